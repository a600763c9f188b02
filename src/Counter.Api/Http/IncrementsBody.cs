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

        var body = await ReadBoundedAsync(request.BodyReader, cancellationToken).ConfigureAwait(false);
        try
        {
            return Parse(body, tenant);
        }
        catch (JsonException exception)
        {
            throw new RequestValidationException(Field, $"The body is not valid JSON: {exception.Message}");
        }
    }

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
                // Copied so the pipe's buffer can be released before parsing; bodies are bounded by MaxBytes.
                var copy = new ReadOnlySequence<byte>(result.Buffer.ToArray());
                reader.AdvanceTo(result.Buffer.End);
                return copy;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static List<Increment> Parse(ReadOnlySequence<byte> body, string tenant)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 2 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new RequestValidationException(Field, "The body must be a JSON object of counter names to integer deltas, e.g. {\"likes\":1}.");
        }

        var increments = new List<Increment>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            var counter = CounterKey.Create(tenant, name);
            if (!seen.Add(name))
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
            ? increments
            : throw new RequestValidationException(Field, "The body must name at least one counter.");
    }

    private static RequestValidationException TooLarge() =>
        new(Field, $"The body must be at most {MaxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
}
