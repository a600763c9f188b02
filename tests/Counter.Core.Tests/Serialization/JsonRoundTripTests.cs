using System.Text.Json;

namespace Counter.Core.Tests.Serialization;

/// <summary>
/// States and inputs survive both the source-generated context (the embedded runtime) and reflection with default
/// options (how Durable Functions serializes entity state and operation inputs).
/// </summary>
public sealed class JsonRoundTripTests
{
    private static readonly string[] SerializerNames = ["source-generated", "reflection"];

    private static readonly object[] EveryInput =
    [
        Given.Add(("a", 1), ("b", -5)),
        new FlushTick(3),
        Given.Flush("7", 4, ("a", 2), ("b", long.MinValue)),
        Given.Flush("7", 5, ("a", 1)) with { DueAt = Given.At(4) },
        new SnapshotTick(9),
        new ResetCounter(CounterKey.Create("acme", "ü")),
        new ResnapshotCounters([Given.Key("a"), Given.Key("b")]),
        new SnapshotBatch(2, Given.At(3), [new SnapshotRow(Given.Key("a"), 5, 2, Given.At(3))]),
    ];

    public static TheoryData<string> Serializers => new(SerializerNames);

    public static TheoryData<string, object> Inputs
    {
        get
        {
            var data = new TheoryData<string, object>();
            foreach (var serializer in SerializerNames)
            {
                foreach (var input in EveryInput)
                {
                    data.Add(serializer, input);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public void A_shard_state_with_buffered_increments_round_trips(string serializer)
    {
        var state = new ShardState();
        ShardOperations.ApplyAdd(
            state, Given.Add(("a", 1), ("b", -2)), Given.Shard(0, Given.Options(), Given.At(0)));
        ShardOperations.ApplyAdd(
            state, new AddIncrements([new Increment(CounterKey.Create("東京", "a:b"), long.MaxValue)]), Given.Shard(0, Given.Options(), Given.At(1)));

        var copy = RoundTrip(serializer, state);

        Assert.Equal(state.Pending, copy.Pending);
        Assert.Equal(3, copy.PendingIncrements);
        Assert.Equal(1, copy.NextSequence);
        Assert.Equal(Given.At(5), copy.FlushDueAt);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public void A_global_state_with_totals_progress_and_recent_merges_round_trips(string serializer)
    {
        var state = new GlobalState();
        var context = Given.Global(Given.Options(globalMinWrites: 3), Given.At(0));
        foreach (var sequence in new long[] { 1, 2, 4, 6, 6 })
        {
            GlobalOperations.ApplyMerge(state, Given.Flush("0", sequence, ("a", sequence)), context);
        }

        GlobalOperations.ApplyMerge(state, Given.Flush("7", 1, ("b", -1)), context);

        var copy = RoundTrip(serializer, state);

        Assert.Equal(Serialize(serializer, state), Serialize(serializer, copy));
        Assert.Equal(state.Totals, copy.Totals);
        Assert.Equal(state.Dirty, copy.Dirty);
        Assert.Equal([4L, 6L], copy.Shards["0"].AppliedAhead);
        Assert.Equal(2, copy.Shards["0"].AppliedThrough);
        Assert.Equal(state.RecentMerges, copy.RecentMerges);
        Assert.Equal((1L, 2L, 1L), (copy.SnapshotVersion, copy.MergesSinceSnapshot, copy.DuplicateFlushes));
        Assert.Equal(state.SnapshotDueAt, copy.SnapshotDueAt);
    }

    [Fact]
    public void Counter_keys_are_written_in_their_composite_form_also_as_dictionary_keys()
    {
        var state = new ShardState();
        ShardOperations.ApplyAdd(state, Given.Add(("page-views", 1)), Given.Shard(0, Given.Options(), Given.At(0)));

        var json = JsonSerializer.Serialize(state, CounterJsonContext.Default.ShardState);

        Assert.Contains("\"default/page-views\":1", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_rows_are_kept_as_the_web_defaults_write_them_and_read_back_sharing_the_default_tenant()
    {
        var batch = new SnapshotBatch(2, Given.At(3), [
            new SnapshotRow(Given.Key("a"), 5, 2, Given.At(3)),
            new SnapshotRow(CounterKey.Create("東京", "ü:x"), long.MinValue, 2, Given.At(4)),
        ]);

        var json = JsonSerializer.Serialize(batch, CounterJsonContext.Default.SnapshotBatch);
        var copy = JsonSerializer.Deserialize(json, CounterJsonContext.Default.SnapshotBatch)!;

        Assert.Equal(JsonSerializer.Serialize(batch, new JsonSerializerOptions(JsonSerializerDefaults.Web)), json);
        Assert.Equal(batch.Rows, copy.Rows);
        Assert.Same(CounterKey.DefaultTenant, copy.Rows[0].Counter.Tenant);
    }

    [Fact]
    public void Increments_are_stored_as_one_object_of_counters_to_deltas()
    {
        var add = Given.Add(("a", 1), ("b", long.MinValue));
        var flush = Given.Flush("7", 4, ("a", 2), ("b", long.MaxValue));

        var addJson = JsonSerializer.Serialize(add, CounterJsonContext.Default.AddIncrements);
        var flushJson = JsonSerializer.Serialize(flush, CounterJsonContext.Default.ShardFlush);

        Assert.Equal("""{"increments":{"default/a":1,"default/b":-9223372036854775808}}""", addJson);
        Assert.Contains(
            """
            "deltas":{"default/a":2,"default/b":9223372036854775807}
            """,
            flushJson,
            StringComparison.Ordinal);
        Assert.Equal(add.Increments, JsonSerializer.Deserialize(addJson, CounterJsonContext.Default.AddIncrements)!.Increments);
        Assert.Equal(flush.Deltas, JsonSerializer.Deserialize(flushJson, CounterJsonContext.Default.ShardFlush)!.Deltas);
    }

    [Fact]
    public void Increments_of_keys_in_any_script_and_with_every_allowed_punctuation_are_written_unescaped_and_read_back()
    {
        var add = new AddIncrements(
        [
            new Increment(CounterKey.Create("東京", "ü:x"), -3),
            new Increment(CounterKey.Create("t", KeyRules.AllowedPunctuation + "अ०"), 0),
            new Increment(Given.Key("a"), 1),
        ]);

        var json = JsonSerializer.Serialize(add, CounterJsonContext.Default.AddIncrements);

        Assert.Equal($$$"""{"increments":{"東京/ü:x":-3,"t/{{{KeyRules.AllowedPunctuation}}}अ०":0,"default/a":1}}""", json);
        Assert.Equal(add.Increments, JsonSerializer.Deserialize(json, CounterJsonContext.Default.AddIncrements)!.Increments);
    }

    [Fact]
    public void Total_entries_are_stored_as_arrays_of_counter_total_and_version_and_read_back()
    {
        TotalEntry[] entries = [new(CounterKey.Create("東京", "ü:x"), long.MinValue, 7), new(Given.Key("a"), long.MaxValue, 0), new(Given.Key("gone"), 0, 0, Removed: true)];

        var json = JsonSerializer.Serialize(entries, CounterJsonContext.Default.TotalEntryArray);

        Assert.Equal("""[["東京/ü:x",-9223372036854775808,7],["default/a",9223372036854775807,0],["default/gone",0,0,1]]""", json);
        Assert.Equal(entries, JsonSerializer.Deserialize(json, CounterJsonContext.Default.TotalEntryArray));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""[["default/a",1,0,2]]""", CounterJsonContext.Default.TotalEntryArray));
    }

    [Fact]
    public void Total_entries_stored_by_earlier_versions_as_objects_still_read()
    {
        var earlier = """[{"counter":"default/a","total":5,"dirtyForVersion":3},{"extra":[1],"dirtyForVersion":0,"total":-2,"counter":"acme/b"}]""";

        Assert.Equal(
            [new TotalEntry(Given.Key("a"), 5, 3), new TotalEntry(CounterKey.Create("acme", "b"), -2, 0)],
            JsonSerializer.Deserialize(earlier, CounterJsonContext.Default.TotalEntryArray)!);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""[{"counter":"default/a"}]""", CounterJsonContext.Default.TotalEntryArray));
    }

    [Fact]
    public void Increments_stored_by_earlier_versions_as_arrays_of_objects_still_read()
    {
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var add = new AddIncrements([new Increment(CounterKey.Create("東京", "ü:x"), -3), new Increment(Given.Key("a"), 1)]);
        var earlier = JsonSerializer.Serialize(add, web);

        var copy = JsonSerializer.Deserialize(earlier, CounterJsonContext.Default.AddIncrements)!;

        Assert.StartsWith("""{"increments":[{"counter":""", earlier, StringComparison.Ordinal);
        Assert.Equal(add.Increments, copy.Increments);
    }

    [Fact]
    public void An_increment_of_the_earlier_form_skips_properties_it_does_not_know_and_refuses_one_that_lacks_a_delta()
    {
        var add = JsonSerializer.Deserialize(
            """{"increments":[{"extra":[1,{"y":2}],"counter":"default/a","delta":-3}]}""", CounterJsonContext.Default.AddIncrements);

        Assert.Equal([new Increment(Given.Key("a"), -3)], add!.Increments);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(
            """{"increments":[{"counter":"default/a"}]}""", CounterJsonContext.Default.AddIncrements));
    }

    [Fact]
    public void A_snapshot_row_skips_properties_it_does_not_know_and_refuses_one_that_lacks_a_value()
    {
        var row = JsonSerializer.Deserialize(
            """{"counter":"default/a","extra":{"x":[1]},"value":5,"version":2,"updatedAt":"2026-01-01T00:00:00+00:00"}""",
            CounterJsonContext.Default.SnapshotBatch.Options.GetTypeInfo(typeof(SnapshotRow)));

        Assert.Equal(new SnapshotRow(Given.Key("a"), 5, 2, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)), row);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(
            """{"counter":"default/a","value":5,"updatedAt":"2026-01-01T00:00:00+00:00"}""",
            CounterJsonContext.Default.SnapshotBatch.Options.GetTypeInfo(typeof(SnapshotRow))));
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Every_operation_input_round_trips(string serializer, object input)
    {
        var json = Serialize(serializer, input);

        var copy = Deserialize(serializer, json, input.GetType());

        Assert.IsType(input.GetType(), copy);
        Assert.Equal(json, Serialize(serializer, copy));
        Assert.DoesNotContain("{}", json, StringComparison.Ordinal);
    }

    private static T RoundTrip<T>(string serializer, T value)
        where T : class =>
        Assert.IsType<T>(Deserialize(serializer, Serialize(serializer, value), typeof(T)));

    private static string Serialize(string serializer, object value) => serializer == "reflection"
        ? JsonSerializer.Serialize(value, value.GetType())
        : JsonSerializer.Serialize(value, value.GetType(), CounterJsonContext.Default);

    private static object? Deserialize(string serializer, string json, Type type) => serializer == "reflection"
        ? JsonSerializer.Deserialize(json, type)
        : JsonSerializer.Deserialize(json, type, CounterJsonContext.Default);
}
