using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Counter.Api;

/// <summary>Reads a small JSON request body into its contract type, refusing what is not exactly that with a 4xx.</summary>
internal static class JsonBody
{
    public const int MaxBytes = 16 * 1024;
    public const string Field = "body";

    /// <summary>The body as <typeparamref name="T"/>; <paramref name="shape"/> says what it must look like, in the message that refuses anything else.</summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, string shape, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            throw new RequestValidationException(Field, "The body must be JSON (Content-Type: application/json).", StatusCodes.Status415UnsupportedMediaType);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new RequestValidationException(Field, $"The body must be at most {MaxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), type)
                ?? throw new RequestValidationException(Field, $"The body must be {shape}.");
        }
        catch (JsonException exception)
        {
            // The serializer's own message names .NET types; the path says where the body went wrong.
            var where = exception.Path is { Length: > 1 } path ? $" (the problem is at {path})" : "";
            throw new RequestValidationException(Field, $"The body must be {shape}, with no other properties{where}.");
        }
    }
}
