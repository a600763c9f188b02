using System.Text;
using Azure.Core.Serialization;
using Counter.Durable;

namespace Counter.Functions.Entities;

/// <summary>
/// The worker's serializer, <paramref name="json"/>, with the global entities' states stored as
/// <see cref="CompactGlobalState"/> says: the Durable extension takes its entities' converter from this serializer, not
/// from a DataConverter of the app's own.
/// </summary>
internal sealed class CompactStateSerializer(ObjectSerializer json) : ObjectSerializer
{
    public override void Serialize(Stream stream, object? value, Type inputType, CancellationToken cancellationToken) =>
        stream.Write(Stored(value, inputType, cancellationToken));

    public override async ValueTask SerializeAsync(Stream stream, object? value, Type inputType, CancellationToken cancellationToken) =>
        await stream.WriteAsync(Stored(value, inputType, cancellationToken), cancellationToken).ConfigureAwait(false);

    public override object? Deserialize(Stream stream, Type returnType, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        return json.Deserialize(Json(reader.ReadToEnd()), returnType, cancellationToken);
    }

    public override async ValueTask<object?> DeserializeAsync(Stream stream, Type returnType, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        return await json.DeserializeAsync(Json(await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false)), returnType, cancellationToken)
            .ConfigureAwait(false);
    }

    private byte[] Stored(object? value, Type inputType, CancellationToken cancellationToken) =>
        Encoding.UTF8.GetBytes(CompactGlobalState.Store(value, json.Serialize(value, inputType, cancellationToken).ToString()));

    private static MemoryStream Json(string stored) => new(Encoding.UTF8.GetBytes(CompactGlobalState.Load(stored)), writable: false);
}
