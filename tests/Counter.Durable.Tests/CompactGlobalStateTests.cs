using Counter.Core;
using Microsoft.DurableTask.Converters;

namespace Counter.Durable.Tests;

public sealed class CompactGlobalStateTests
{
    private readonly CompactStateConverter converter = new(JsonDataConverter.Default);

    [Fact]
    public void A_small_global_state_is_stored_as_its_json()
    {
        var state = StateOf(10);

        var stored = converter.Serialize(state)!;

        Assert.Equal(JsonDataConverter.Default.Serialize(state), stored);
        Assert.Equal(state.Totals, ((GlobalState)converter.Deserialize(stored, typeof(GlobalState))!).Totals);
    }

    [Fact]
    public void A_large_global_state_is_stored_compressed_and_reads_back_whole()
    {
        var state = StateOf(2_000);
        var json = JsonDataConverter.Default.Serialize(state)!;

        var stored = converter.Serialize(state)!;

        Assert.StartsWith(CompactGlobalState.Marker, stored, StringComparison.Ordinal);
        Assert.True(stored.Length < json.Length / 3, $"{stored.Length} characters stored for {json.Length} of JSON");
        var read = (GlobalState)converter.Deserialize(stored, typeof(GlobalState))!;
        Assert.Equal(state.Totals, read.Totals);
        Assert.Equal(state.Dirty, read.Dirty);
    }

    [Fact]
    public void A_large_global_state_stored_as_json_before_reads_back()
    {
        var state = StateOf(2_000);

        var read = (GlobalState)converter.Deserialize(JsonDataConverter.Default.Serialize(state), typeof(GlobalState))!;

        Assert.Equal(state.Totals, read.Totals);
    }

    [Fact]
    public void Other_values_stay_json_however_large()
    {
        var add = new AddIncrements([.. Enumerable.Range(0, 2_000).Select(static i => new Increment(CounterKey.InDefaultTenant($"c-{i}"), 1))]);

        Assert.Equal(JsonDataConverter.Default.Serialize(add), converter.Serialize(add));
    }

    private static GlobalState StateOf(int counters)
    {
        var state = new GlobalState();
        for (var i = 0; i < counters; i++)
        {
            var counter = CounterKey.InDefaultTenant($"counter-{i}");
            state.Totals[counter] = i % 37;
            state.Dirty.Add(counter);
        }

        return state;
    }
}
