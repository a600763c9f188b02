using System.Text;
using Azure.Core.Serialization;
using Counter.Core;
using Counter.Durable;
using Counter.Functions.Entities;

namespace Counter.Functions.Tests;

/// <summary>The worker's serializer, which the Durable extension turns into its entities' converter, compresses large global states.</summary>
public sealed class CompactStateSerializerTests
{
    private readonly CompactStateSerializer serializer = new(new JsonObjectSerializer());

    [Fact]
    public async Task A_large_global_state_is_written_compressed_and_read_back_whole()
    {
        var state = new GlobalState();
        for (var i = 0; i < 2_000; i++)
        {
            state.Totals[CounterKey.InDefaultTenant($"counter-{i}")] = i;
        }

        var stored = serializer.Serialize(state, typeof(GlobalState)).ToString();

        Assert.StartsWith(CompactGlobalState.Marker, stored, StringComparison.Ordinal);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(stored));
        var read = (GlobalState)(await serializer.DeserializeAsync(stream, typeof(GlobalState), CancellationToken.None))!;
        Assert.Equal(state.Totals, read.Totals);
    }

    [Fact]
    public void Anything_else_is_written_as_the_inner_serializer_writes_it()
    {
        var flush = new Dictionary<string, long> { ["likes"] = 3 };

        Assert.Equal(new JsonObjectSerializer().Serialize(flush).ToString(), serializer.Serialize(flush, flush.GetType()).ToString());
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("""{"likes":3}"""));
        Assert.Equal(flush, serializer.Deserialize(stream, typeof(Dictionary<string, long>), CancellationToken.None));
    }
}
