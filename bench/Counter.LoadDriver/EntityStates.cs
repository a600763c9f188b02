using System.IO.Compression;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Counter.Durable;

namespace Counter.LoadDriver;

/// <summary>
/// The Durable entities' states as the Durable Task Framework's Azure Storage backend keeps them. An entity is an
/// instance whose input is its whole state (the scheduler state, with the entity's own state as an escaped JSON string
/// in it), rewritten after every batch: the row of the instance in the <c>{hub}Instances</c> table holds it in its
/// <c>Input</c> property, or, when it is too large for a table property, the URL of a gzip blob in the
/// <c>{hub}-largemessages</c> container that holds it. Measured: per entity, the bytes stored (the UTF-8 of the
/// property, or the blob's size) and the JSON's UTF-8 bytes (the blob uncompressed, and the entity's own state counted
/// as JSON where the host stored it compressed: <see cref="CompactGlobalState"/>).
/// </summary>
internal static class EntityStates
{
    public static async Task<(string Largest, IReadOnlyList<(string Name, double Value)> Figures)> MeasureAsync(
        string connection, string taskHub, CancellationToken cancellationToken)
    {
        var instances = new TableClient(connection, taskHub + "Instances");
        var blobs = new BlobContainerClient(connection, taskHub.ToLowerInvariant() + "-largemessages");
        var entities = 0;
        (string Id, long Stored, long Json) largest = ("", 0, 0);
        (long Stored, long Json) largestShard = (0, 0);
        (long Stored, long Json) largestGlobal = (0, 0);
        // Entities' instance ids start with '@' ("@shard@0", "@global@3"); orchestrations' do not.
        await foreach (var row in instances.QueryAsync<TableEntity>("PartitionKey ge '@' and PartitionKey lt 'A'", cancellationToken: cancellationToken))
        {
            var (stored, json) = await SizeAsync(instances, blobs, row, cancellationToken).ConfigureAwait(false);
            entities++;
            if (json > largest.Json)
            {
                largest = (row.PartitionKey, stored, json);
            }

            if (row.PartitionKey.StartsWith("@shard@", StringComparison.Ordinal))
            {
                largestShard = (Math.Max(largestShard.Stored, stored), Math.Max(largestShard.Json, json));
            }
            else if (row.PartitionKey.StartsWith("@global@", StringComparison.Ordinal))
            {
                largestGlobal = (Math.Max(largestGlobal.Stored, stored), Math.Max(largestGlobal.Json, json));
            }
        }

        // Every large state ever written, the older ones too, until the backend deletes them: the largest of them all.
        var largestBlob = 0L;
        var blobCount = 0;
        if (await blobs.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            await foreach (var item in blobs.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                blobCount++;
                largestBlob = Math.Max(largestBlob, item.Properties.ContentLength ?? 0);
            }
        }

        return (largest.Id,
        [
            ("entities", entities),
            ("largest_json_bytes", largest.Json),
            ("largest_stored_bytes", largest.Stored),
            ("shard_json_bytes", largestShard.Json),
            ("shard_stored_bytes", largestShard.Stored),
            ("global_json_bytes", largestGlobal.Json),
            ("global_stored_bytes", largestGlobal.Stored),
            ("blobs", blobCount),
            ("largest_blob_bytes", largestBlob),
        ]);
    }

    /// <summary>The stored and the JSON size of one entity's state; read again when its blob was replaced meanwhile.</summary>
    private static async Task<(long Stored, long Json)> SizeAsync(TableClient instances, BlobContainerClient blobs, TableEntity row, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var input = row.GetString("Input") ?? "";
            var marker = "/" + blobs.Name + "/";
            if (!input.StartsWith("http", StringComparison.Ordinal) || input.IndexOf(marker, StringComparison.Ordinal) is not (var at and >= 0))
            {
                return (Encoding.UTF8.GetByteCount(input), JsonBytes(input));
            }

            try
            {
                var blob = await blobs.GetBlobClient(Uri.UnescapeDataString(input[(at + marker.Length)..]))
                    .DownloadContentAsync(cancellationToken).ConfigureAwait(false);
                await using var unzip = new GZipStream(blob.Value.Content.ToStream(), CompressionMode.Decompress);
                using var reader = new StreamReader(unzip, Encoding.UTF8);
                return (blob.Value.Content.ToMemory().Length, JsonBytes(await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false)));
            }
            catch (RequestFailedException failure) when (failure.Status == 404 && attempt < 5)
            {
                // The entity ran a batch since its row was read, and the backend deleted the blob of its older state.
                row = (await instances.GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            }
        }
    }

    /// <summary>The UTF-8 bytes of a scheduler state's JSON, its entity's state expanded when it was stored compressed.</summary>
    private static long JsonBytes(string schedulerState)
    {
        const string StateProperty = "\"state\":\"";
        var at = schedulerState.IndexOf(StateProperty + CompactGlobalState.Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return Encoding.UTF8.GetByteCount(schedulerState);
        }

        // Base64 needs no escaping: the compressed state ends at the next quote.
        var start = at + StateProperty.Length;
        var stored = schedulerState[start..schedulerState.IndexOf('"', start)];
        return Encoding.UTF8.GetByteCount(schedulerState) - stored.Length + Encoding.UTF8.GetByteCount(CompactGlobalState.Load(stored));
    }
}
