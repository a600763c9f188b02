using System.Text;
using Azure.Core.Serialization;
using Counter.Durable;

namespace Counter.Functions.Entities;

/// <summary>
/// The worker's serializer, <paramref name="json"/>, with the global entities' states stored as
/// <see cref="CompactGlobalState"/> says: the Durable extension takes its entities' converter from this serializer, not
/// from a DataConverter of the app's own. Every other payload (every signal's input, every shard's state) passes through
/// as its bytes, without a round trip through a string.
/// </summary>
internal sealed class CompactStateSerializer(ObjectSerializer json) : ObjectSerializer
{
    public override void Serialize(Stream stream, object? value, Type inputType, CancellationToken cancellationToken) =>
        stream.Write(Stored(value, inputType, cancellationToken).Span);

    public override async ValueTask SerializeAsync(Stream stream, object? value, Type inputType, CancellationToken cancellationToken) =>
        await stream.WriteAsync(Stored(value, inputType, cancellationToken), cancellationToken).ConfigureAwait(false);

    public override object? Deserialize(Stream stream, Type returnType, CancellationToken cancellationToken) =>
        json.Deserialize(Json(BinaryData.FromStream(stream)), returnType, cancellationToken);

    public override async ValueTask<object?> DeserializeAsync(Stream stream, Type returnType, CancellationToken cancellationToken) =>
        await json.DeserializeAsync(Json(await BinaryData.FromStreamAsync(stream, cancellationToken).ConfigureAwait(false)), returnType, cancellationToken)
            .ConfigureAwait(false);

    private ReadOnlyMemory<byte> Stored(object? value, Type inputType, CancellationToken cancellationToken)
    {
        var serialized = json.Serialize(value, inputType, cancellationToken);
        return CompactGlobalState.MayCompress(value)
            ? Encoding.UTF8.GetBytes(CompactGlobalState.Store(value, serialized.ToString()))
            : serialized.ToMemory();
    }

    private static Stream Json(BinaryData stored) => CompactGlobalState.IsCompressed(stored.ToMemory().Span)
        ? BinaryData.FromString(CompactGlobalState.Load(stored.ToString())).ToStream()
        : stored.ToStream();
}
