using System.Globalization;
using System.Text;
using Azure;

namespace Counter.Storage.Tables;

/// <summary>
/// The wire form of an entity group transaction: a <c>multipart/mixed</c> batch holding one changeset with one HTTP
/// request per action, and the reading of its answer, one HTTP response per action (or one error for the whole changeset).
/// </summary>
internal sealed class TableTransaction
{
    private const string NewLine = "\r\n";

    public TableTransaction(IReadOnlyList<TableAction> actions, Func<TableAction, string> pathOf, Uri endpoint)
    {
        var batch = $"batch_{Guid.NewGuid():N}";
        var changeset = $"changeset_{Guid.NewGuid():N}";
        var body = new StringBuilder();
        body.Append("--").Append(batch).Append(NewLine)
            .Append("Content-Type: multipart/mixed; boundary=").Append(changeset).Append(NewLine).Append(NewLine);
        foreach (var action in actions)
        {
            var method = action.Kind switch { TableActionKind.Insert => "POST", TableActionKind.Replace => "PUT", _ => "MERGE" };
            body.Append("--").Append(changeset).Append(NewLine)
                .Append("Content-Type: application/http").Append(NewLine)
                .Append("Content-Transfer-Encoding: binary").Append(NewLine).Append(NewLine)
                .Append(method).Append(' ').Append(endpoint.AbsoluteUri.TrimEnd('/')).Append(pathOf(action)).Append(" HTTP/1.1").Append(NewLine)
                .Append("Accept: application/json;odata=minimalmetadata").Append(NewLine)
                .Append("Content-Type: application/json").Append(NewLine)
                .Append("DataServiceVersion: 3.0").Append(NewLine);
            SetConditions((name, value) => body.Append(name).Append(": ").Append(value).Append(NewLine), action);
            body.Append(NewLine).Append(Encoding.UTF8.GetString(TableEntityJson.Write(action.Entity))).Append(NewLine);
        }

        body.Append("--").Append(changeset).Append("--").Append(NewLine)
            .Append("--").Append(batch).Append("--").Append(NewLine);
        ContentType = $"multipart/mixed; boundary={batch}";
        Body = Encoding.UTF8.GetBytes(body.ToString());
    }

    public string ContentType { get; }

    public byte[] Body { get; }

    /// <summary>The headers an action's request carries besides the content: its condition and that no echo is wanted.</summary>
    public static void SetConditions(Action<string, string> setHeader, TableAction action)
    {
        if (action.Kind == TableActionKind.Replace)
        {
            setHeader("If-Match", action.IfMatch == default ? "*" : action.IfMatch.ToString("H"));
        }

        if (action.Kind == TableActionKind.Insert)
        {
            setHeader("Prefer", "return-no-content");
        }
    }

    /// <summary>The ETag of each action, or the error of the action that failed the changeset.</summary>
    public static IReadOnlyList<ETag> ReadResults(Response response, IReadOnlyList<TableAction> actions, string table)
    {
        var answers = ParseResponses(response.Content.ToString());
        var failed = answers.FirstOrDefault(answer => answer.Status >= 400);
        if (failed is not null || answers.Count != actions.Count)
        {
            var status = failed?.Status ?? 500;
            var body = failed?.Body ?? $"The transaction answered {answers.Count} responses to {actions.Count} actions.";
            // The service prefixes a changeset error's message with the index of the failing action ("3:The specified…").
            var (_, message) = TableServiceErrors.Parse(body);
            var colon = message.IndexOf(':', StringComparison.Ordinal);
            var culprit = colon > 0 && int.TryParse(message.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < actions.Count
                ? actions[index].Entity
                : null;
            throw TableServiceErrors.FromAnswer(status, body, null, table, actions[0].Entity.PartitionKey, culprit?.RowKey);
        }

        return answers.Select(answer => answer.ETag).ToList();
    }

    private static List<Answer> ParseResponses(string content)
    {
        var answers = new List<Answer>();
        var lines = content.Split(NewLine);
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("HTTP/1.1 ", StringComparison.Ordinal))
            {
                continue;
            }

            var status = int.Parse(lines[i].AsSpan(9, 3), CultureInfo.InvariantCulture);
            var etag = default(ETag);
            for (i++; i < lines.Length && lines[i].Length > 0; i++)
            {
                if (lines[i].StartsWith("ETag:", StringComparison.OrdinalIgnoreCase))
                {
                    etag = new ETag(lines[i][5..].Trim());
                }
            }

            var body = new StringBuilder();
            for (i++; i < lines.Length && !lines[i].StartsWith("--", StringComparison.Ordinal); i++)
            {
                body.Append(lines[i]);
            }

            answers.Add(new Answer(status, etag, body.ToString()));
        }

        return answers;
    }

    private sealed record Answer(int Status, ETag ETag, string Body);
}
