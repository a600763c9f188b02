using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Counter.Core;
using Microsoft.AspNetCore.Http;

namespace Counter.Api;

/// <summary>Reads the body of <c>POST /increments</c>: one JSON object of counter names to integer deltas, e.g. <c>{"a":1,"b":5}</c>.</summary>
internal static class IncrementsBody
{
    public const int MaxBytes = 1024 * 1024;
    public const string Field = "body";

    public static async Task<IReadOnlyList<Increment>> ReadAsync(HttpRequest request, string tenant, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            throw new RequestValidationException(Field, "The body must be JSON (Content-Type: application/json).", StatusCodes.Status415UnsupportedMediaType);
        }

        if (request.ContentLength > MaxBytes)
        {
            throw TooLarge();
        }

        var reader = request.BodyReader;
        var body = await ReadBoundedAsync(reader, cancellationToken).ConfigureAwait(false);
        try
        {
            return Parse(body, tenant);
        }
        catch (JsonException exception)
        {
            throw new RequestValidationException(Field, $"The body is not valid JSON: {exception.Message}");
        }
        finally
        {
            reader.AdvanceTo(body.End);
        }
    }

    /// <summary>The whole body, still in the pipe's buffers: the caller parses it, then advances past it.</summary>
    private static async Task<ReadOnlySequence<byte>> ReadBoundedAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.Buffer.Length > MaxBytes)
            {
                reader.AdvanceTo(result.Buffer.Start);
                throw TooLarge();
            }

            if (result.IsCompleted)
            {
                return result.Buffer;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>Parses into this thread's scratch list and set (parsing never awaits), and returns an array of the exact size.</summary>
    private static Increment[] Parse(ReadOnlySequence<byte> body, string tenant)
    {
        var scratch = ParseScratch.OfThisThread();
        try
        {
            return Parse(body, tenant, scratch.Increments, scratch.Seen);
        }
        finally
        {
            scratch.Clear();
        }
    }

    private static Increment[] Parse(ReadOnlySequence<byte> body, string tenant, List<Increment> increments, HashSet<CounterKey> seen)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 2 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new RequestValidationException(Field, "The body must be a JSON object of counter names to integer deltas, e.g. {\"likes\":1}.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            var counter = increments.Count == 0 ? CounterKey.Create(tenant, name) : increments[0].Counter.WithName(name);
            if (!seen.Add(counter))
            {
                throw new RequestValidationException(name, $"The counter '{name}' appears more than once in the body.");
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var delta))
            {
                throw new RequestValidationException(name, $"The delta of '{name}' must be an integer between {long.MinValue} and {long.MaxValue}.");
            }

            increments.Add(new Increment(counter, delta));
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new RequestValidationException(Field, "The body must be exactly one JSON object of counter names to integer deltas.");
        }

        return increments.Count > 0
            ? [.. increments]
            : throw new RequestValidationException(Field, "The body must name at least one counter.");
    }

    /// <summary>What parsing needs, kept per thread so a request allocates only what it returns.</summary>
    private sealed class ParseScratch
    {
        /// <summary>Bodies are at most a megabyte, i.e. tens of thousands of counters; a set grown beyond that is not kept.</summary>
        private const int MaxKeptCapacity = 4096;

        [ThreadStatic]
        private static ParseScratch? current;

        public List<Increment> Increments { get; private set; } = [];

        public HashSet<CounterKey> Seen { get; private set; } = [];

        public static ParseScratch OfThisThread() => current ??= new ParseScratch();

        public void Clear()
        {
            if (Increments.Count > MaxKeptCapacity)
            {
                Increments = [];
                Seen = [];
                return;
            }

            Increments.Clear();
            Seen.Clear();
        }
    }

    private static RequestValidationException TooLarge() =>
        new(Field, $"The body must be at most {MaxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
}
