using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Counter.Storage.Tables;

/// <summary>
/// A small client for one table over Azure.Core's pipeline (retries of transient faults, logging, diagnostics):
/// exactly the operations the read path needs. Every failure is a <see cref="TableStorageException"/>.
/// </summary>
public sealed class TableClient
{
    public const int MaxPageSize = 1000;
    public const int MaxTransactionSize = 100;
    internal const string ServiceVersion = "2019-02-02";
    private const string StorageScope = "https://storage.azure.com/.default";
    private const string JsonWithEtags = "application/json;odata=minimalmetadata";

    private readonly HttpPipeline pipeline;
    private readonly Uri endpoint;
    private readonly TimeProvider timeProvider;

    public TableClient(TableConnection connection, string tableName, TableClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(tableName);
        options ??= new TableClientOptions();
        HttpPipelinePolicy authorization = connection.Credential is { } credential
            ? new BearerTokenAuthenticationPolicy(credential, StorageScope)
            : new SharedKeyPolicy(connection.AccountName!, connection.AccountKey!, options.TimeProvider);
        pipeline = HttpPipelineBuilder.Build(options, perCallPolicies: [], perRetryPolicies: [authorization], new ResponseClassifier());
        endpoint = connection.Endpoint;
        timeProvider = options.TimeProvider;
        Name = tableName;
    }

    public string Name { get; }

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Post, "/Tables");
        SetJsonBody(message.Request, TableJson(Name));
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        var response = await SendAsync(message, null, null, cancellationToken).ConfigureAwait(false);
        if (response.IsError && !(response.Status == 409 && TableServiceErrors.Parse(response.Content.ToString()).Code == "TableAlreadyExists"))
        {
            throw TableServiceErrors.FromResponse(response, Name, null, null);
        }
    }

    /// <summary>Inserts the entity, or merges its properties into the existing one (Insert Or Merge). Returns the new ETag.</summary>
    public Task<ETag> UpsertMergeAsync(TableEntity entity, CancellationToken cancellationToken) =>
        WriteAsync(new TableAction(TableActionKind.UpsertMerge, entity), cancellationToken);

    /// <summary>Inserts the entity; a <see cref="TableErrorKind.Conflict"/> error if it exists. Returns its ETag.</summary>
    public Task<ETag> InsertAsync(TableEntity entity, CancellationToken cancellationToken) =>
        WriteAsync(new TableAction(TableActionKind.Insert, entity), cancellationToken);

    /// <summary>Replaces the entity if its ETag is still <paramref name="ifMatch"/>; a <see cref="TableErrorKind.PreconditionFailed"/> error otherwise.</summary>
    public Task<ETag> ReplaceAsync(TableEntity entity, ETag ifMatch, CancellationToken cancellationToken) =>
        WriteAsync(new TableAction(TableActionKind.Replace, entity, ifMatch), cancellationToken);

    /// <summary>One entity, or null if there is none with these keys.</summary>
    public async Task<TableEntity?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Get, EntityPath(partitionKey, rowKey));
        var response = await SendAsync(message, partitionKey, rowKey, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404 && TableServiceErrors.Parse(response.Content.ToString()).Code != "TableNotFound")
        {
            return null;
        }

        return response.IsError
            ? throw TableServiceErrors.FromResponse(response, Name, partitionKey, rowKey)
            : TableEntityJson.Read(JsonDocument.Parse(response.Content).RootElement);
    }

    /// <summary>One page (at most <paramref name="pageSize"/> entities, possibly fewer even when more follow) of the entities matching an OData <paramref name="filter"/>.</summary>
    public async Task<TablePage> QueryAsync(string filter, IReadOnlyList<string>? select, int pageSize, TableContinuation? continuation, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        using var message = CreateMessage(RequestMethod.Get, $"/{Name}()");
        var uri = message.Request.Uri;
        uri.AppendQuery("$filter", filter);
        uri.AppendQuery("$top", pageSize.ToString(CultureInfo.InvariantCulture));
        if (select is { Count: > 0 })
        {
            // The keys are always selected: an entity is addressed by them.
            uri.AppendQuery("$select", string.Join(',', select.Prepend("RowKey").Prepend("PartitionKey").Distinct(StringComparer.Ordinal)));
        }

        if (continuation is not null)
        {
            uri.AppendQuery("NextPartitionKey", continuation.NextPartitionKey);
            if (continuation.NextRowKey is not null)
            {
                uri.AppendQuery("NextRowKey", continuation.NextRowKey);
            }
        }

        var response = await SendAsync(message, null, null, cancellationToken).ConfigureAwait(false);
        if (response.IsError)
        {
            throw TableServiceErrors.FromResponse(response, Name, null, null);
        }

        using var json = JsonDocument.Parse(response.Content);
        var entities = json.RootElement.GetProperty("value").EnumerateArray().Select(TableEntityJson.Read).ToList();
        var next = response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var nextPartition)
            ? new TableContinuation(nextPartition, response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nextRow) ? nextRow : null)
            : null;
        return new TablePage(entities, next);
    }

    /// <summary>
    /// Runs up to <see cref="MaxTransactionSize"/> actions on one partition atomically (an entity group transaction).
    /// If any action fails, none is applied, and the error names the failing entity. Returns the new ETags in order.
    /// </summary>
    public async Task<IReadOnlyList<ETag>> SubmitTransactionAsync(IReadOnlyList<TableAction> actions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count == 0 || actions.Count > MaxTransactionSize || actions.Any(action => action.Entity.PartitionKey != actions[0].Entity.PartitionKey))
        {
            throw new ArgumentException($"A transaction takes 1 to {MaxTransactionSize} actions on one partition.", nameof(actions));
        }

        var batch = new TableTransaction(actions, action => EntityPath(action.Entity.PartitionKey, action.Kind == TableActionKind.Insert ? null : action.Entity.RowKey), endpoint);
        using var message = CreateMessage(RequestMethod.Post, "/$batch");
        message.Request.Headers.SetValue("Content-Type", batch.ContentType);
        message.Request.Content = RequestContent.Create(batch.Body);
        var response = await SendAsync(message, actions[0].Entity.PartitionKey, null, cancellationToken).ConfigureAwait(false);
        if (response.IsError)
        {
            throw TableServiceErrors.FromResponse(response, Name, actions[0].Entity.PartitionKey, null);
        }

        return TableTransaction.ReadResults(response, actions, Name);
    }

    private async Task<ETag> WriteAsync(TableAction action, CancellationToken cancellationToken)
    {
        var entity = action.Entity;
        var (method, path) = action.Kind switch
        {
            TableActionKind.Insert => (RequestMethod.Post, $"/{Name}"),
            TableActionKind.Replace => (RequestMethod.Put, EntityPath(entity.PartitionKey, entity.RowKey)),
            _ => (new RequestMethod("MERGE"), EntityPath(entity.PartitionKey, entity.RowKey)),
        };
        using var message = CreateMessage(method, path);
        TableTransaction.SetConditions(message.Request.Headers.SetValue, action);
        SetJsonBody(message.Request, TableEntityJson.Write(entity));
        var response = await SendAsync(message, entity.PartitionKey, entity.RowKey, cancellationToken).ConfigureAwait(false);
        return response.IsError
            ? throw TableServiceErrors.FromResponse(response, Name, entity.PartitionKey, entity.RowKey)
            : response.Headers.ETag ?? default;
    }

    private string EntityPath(string partitionKey, string? rowKey) =>
        rowKey is null ? $"/{Name}" : $"/{Name}(PartitionKey='{EscapeKey(partitionKey)}',RowKey='{EscapeKey(rowKey)}')";

    // In an entity address a key is an OData string literal (quotes doubled) inside a URL path segment (percent-encoded).
    private static string EscapeKey(string key) => Uri.EscapeDataString(TableFilter.Literal(key)[1..^1]);

    private HttpMessage CreateMessage(RequestMethod method, string path)
    {
        var message = pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(endpoint);
        request.Uri.AppendPath(path, escape: false);
        request.Headers.SetValue("x-ms-version", ServiceVersion);
        request.Headers.SetValue("x-ms-date", timeProvider.GetUtcNow().ToString("R", CultureInfo.InvariantCulture));
        request.Headers.SetValue("DataServiceVersion", "3.0");
        request.Headers.SetValue("Accept", JsonWithEtags);
        return message;
    }

    /// <summary>The body of a Create Table request, <c>{"TableName":name}</c>.</summary>
    private static byte[] TableJson(string tableName)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("TableName", tableName);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void SetJsonBody(Request request, byte[] body)
    {
        request.Headers.SetValue("Content-Type", "application/json");
        request.Content = RequestContent.Create(body);
    }

    private async Task<Response> SendAsync(HttpMessage message, string? partitionKey, string? rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            return message.Response;
        }
        catch (Exception failure) when (failure is RequestFailedException or AggregateException)
        {
            // A transport failure, or (AggregateException) the retry policy giving up after several.
            throw TableServiceErrors.Unreachable(failure, Name, partitionKey, rowKey);
        }
        catch (OperationCanceledException timeout) when (!cancellationToken.IsCancellationRequested)
        {
            throw TableServiceErrors.Unreachable(timeout, Name, partitionKey, rowKey);
        }
    }
}
