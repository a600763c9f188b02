using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Counter.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Counter.Api;

/// <summary>
/// The <c>Idempotency-Key</c> of every mutation: the first successful answer is kept for
/// <see cref="IdempotencyOptions.Retention"/> and given again, with <c>Idempotent-Replayed: true</c>, to a retry with the
/// same key; the same key with another request (method, path, query or body) is refused with 422. Failures are not
/// kept: a refused request changed nothing, so a retry runs again. Strict batches keep their answer in their own
/// transaction; sharded increments go to the shard of the key, which applies them once per key, so a crash between
/// the mutation and the kept answer still counts once.
/// </summary>
public sealed class IdempotentRequests(IIdempotencyStore store, IOptions<IdempotencyOptions> options, TimeProvider time)
{
    public const string KeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    /// <summary>Runs <paramref name="handle"/> as the mutation of the request, once per idempotency key in <paramref name="scope"/>.</summary>
    public Task<IResult> RunAsync(HttpRequest request, string scope, Func<IdempotencyContext?, Task<IResult>> handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(handle);
        // Without a key nothing is kept: the mutation's own task, without one more async method awaiting it.
        return KeyOf(request) is { } key ? RunOnceAsync(request, scope, key, handle, cancellationToken) : handle(null);
    }

    private async Task<IResult> RunOnceAsync(HttpRequest request, string scope, string key, Func<IdempotencyContext?, Task<IResult>> handle, CancellationToken cancellationToken)
    {
        var fingerprint = await FingerprintAsync(request, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var context = new IdempotencyContext(scope, Hash(key), fingerprint, now, now + options.Value.Retention);
        if (await store.ReadIdempotencyAsync(scope, context.KeyHash, now, cancellationToken).ConfigureAwait(false) is { } kept)
        {
            return Replay(kept, context, request.HttpContext.Response);
        }

        var result = await handle(context).ConfigureAwait(false);
        if (!context.StoredWithMutation && AnswerOf(result) is { } answer)
        {
            var record = new IdempotencyRecord(scope, context.KeyHash, fingerprint, answer.Status, answer.Body, context.ExpiresAt);
            // False: a concurrent retry kept its answer first; both changed the same thing once (the mutation absorbs it).
            await store.TrySaveIdempotencyAsync(record, now, CancellationToken.None).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>The answer kept for a key, or 422 when the request is not the one that key was first used for.</summary>
    public static IResult Replay(IdempotencyRecord kept, IdempotencyContext context, HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(kept);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        if (kept.Fingerprint != context.Fingerprint)
        {
            return TypedResults.Problem(
                detail: $"This {KeyHeader} was used for another request (another method, path, query or body); use a new key for a new request.",
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Idempotency key reused");
        }

        response.Headers[ReplayedHeader] = "true";
        return kept.Body.Length == 0
            ? TypedResults.StatusCode(kept.Status)
            : new JsonAnswer(Encoding.UTF8.GetBytes(kept.Body), kept.Status);
    }

    /// <summary>
    /// What is kept of a successful answer: its status and JSON body. A tenant key is never kept, so the replay of an
    /// answer that issued one carries its id only.
    /// </summary>
    public static StoredAnswer? AnswerOf(IResult result)
    {
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        if (status is < 200 or > 299)
        {
            return null;
        }

        var value = (result as IValueHttpResult)?.Value;
        if (value is TenantKeyIssued issued)
        {
            value = issued with { Key = null };
        }

        var body = value is null ? "" : JsonSerializer.Serialize(value, CounterApiJsonContext.Readable.GetTypeInfo(value.GetType())!);
        return new StoredAnswer(status, body);
    }

    /// <summary>The hash a key is kept and looked up by.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(key)));

    /// <summary>The request's key, or null without one; 400 for a key that is not 1–255 visible ASCII characters.</summary>
    private static string? KeyOf(HttpRequest request)
    {
        var values = request.Headers[KeyHeader];
        if (values.Count == 0)
        {
            return null;
        }

        var key = values.Count == 1 ? values[0] : null;
        if (key is not { Length: > 0 and <= MaxKeyLength } || key.Any(static character => character is < '!' or > '~'))
        {
            throw new RequestValidationException(KeyHeader, $"{KeyHeader} must be one value of 1 to {MaxKeyLength} visible ASCII characters.");
        }

        return key;
    }

    /// <summary>Method, path, query and body, hashed: what a retry must repeat exactly. The body stays readable for the handler.</summary>
    private static async Task<string> FingerprintAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var buffer = new byte[8192];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > IncrementsBody.MaxBytes)
            {
                throw new RequestValidationException("body", $"The body must be at most {IncrementsBody.MaxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
            }

            hash.AppendData(buffer, 0, read);
        }

        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
