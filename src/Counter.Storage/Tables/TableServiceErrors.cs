using System.Text.Json;
using Azure;

namespace Counter.Storage.Tables;

/// <summary>Turns the service's error answers into <see cref="TableStorageException"/>s.</summary>
internal static class TableServiceErrors
{
    public static TableStorageException FromResponse(Response response, string table, string? partitionKey, string? rowKey) =>
        FromAnswer(response.Status, response.Content.ToString(), response.Headers.TryGetValue("x-ms-error-code", out var code) ? code : null, table, partitionKey, rowKey);

    public static TableStorageException FromAnswer(int status, string body, string? headerCode, string table, string? partitionKey, string? rowKey)
    {
        var (code, message) = Parse(body);
        code ??= headerCode;
        var kind = status switch
        {
            400 => TableErrorKind.InvalidInput,
            401 or 403 => TableErrorKind.AuthorizationFailed,
            404 when code is "TableNotFound" => TableErrorKind.TableNotFound,
            409 => TableErrorKind.Conflict,
            412 => TableErrorKind.PreconditionFailed,
            408 or 429 or >= 500 => TableErrorKind.Unavailable,
            _ => TableErrorKind.Other,
        };
        return new TableStorageException(kind, status, code, table, partitionKey, rowKey, message);
    }

    public static TableStorageException Unreachable(Exception failure, string table, string? partitionKey, string? rowKey) =>
        new(TableErrorKind.Unavailable, 0, null, table, partitionKey, rowKey, $"The service could not be reached: {failure.Message}", failure);

    /// <summary>The code and message of a JSON (<c>odata.error</c>) or XML (<c>&lt;Error&gt;</c>) error body.</summary>
    public static (string? Code, string Message) Parse(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("odata.error", out var error))
            {
                var code = error.TryGetProperty("code", out var codeValue) ? codeValue.GetString() : null;
                var message = error.TryGetProperty("message", out var messageValue) && messageValue.TryGetProperty("value", out var text) ? text.GetString() : null;
                return (code, message ?? body);
            }
        }
        catch (JsonException)
        {
            var code = Between(body, "<Code>", "</Code>");
            var message = Between(body, "<Message>", "</Message>");
            return (code, message ?? Shorten(body));
        }

        return (null, Shorten(body));
    }

    private static string? Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = from < 0 ? -1 : text.IndexOf(end, from, StringComparison.Ordinal);
        return to < 0 ? null : text[(from + start.Length)..to].Trim();
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
