using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Counter.Api;

/// <summary>
/// Who may do what, by the <c>X-API-Key</c> header: operator keys (their hashes configured in <c>Admin:KeyHashes</c>)
/// reach everything; a tenant key reaches the administration of its own tenant. The key is hashed first and only
/// hashes are compared or looked up, so the time a check takes says nothing about the key; no key or hash is logged.
/// </summary>
public sealed class ApiKeyAccess(IOptions<AdminOptions> admin, TenantDirectory directory)
{
    private readonly string[] operatorHashes = [.. admin.Value.KeyHashes.Select(static hash => hash.ToLowerInvariant())];

    public async ValueTask<Caller> IdentifyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sent = request.Headers[ApiKeys.HeaderName];
        if (sent.Count == 0 || string.IsNullOrEmpty(sent[0]))
        {
            return Caller.Anonymous;
        }

        if (sent.Count > 1 || sent[0]!.Length > ApiKeys.MaxKeyLength)
        {
            return Caller.Unknown;
        }

        var hash = ApiKeys.Hash(sent[0]!);
        var isOperator = false;
        foreach (var operatorHash in operatorHashes)
        {
            // Every configured hash is compared, whichever matches.
            isOperator |= ApiKeys.SameHash(hash, operatorHash);
        }

        if (isOperator)
        {
            return Caller.Operator;
        }

        return await directory.FindKeyAsync(hash, cancellationToken).ConfigureAwait(false) is { } key
            ? new Caller(CallerKind.Tenant, key.Tenant, key.KeyId)
            : Caller.Unknown;
    }

    /// <summary>Throws <see cref="AccessDeniedException"/> unless an operator key was sent.</summary>
    public async ValueTask RequireOperatorAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var caller = await IdentifyAsync(request, cancellationToken).ConfigureAwait(false);
        if (caller.Kind != CallerKind.Operator)
        {
            throw Denied(caller, "an operator key");
        }
    }

    /// <summary>Throws <see cref="AccessDeniedException"/> unless an operator key or a key of <paramref name="tenant"/> was sent.</summary>
    public async ValueTask RequireTenantAsync(HttpRequest request, string tenant, CancellationToken cancellationToken)
    {
        var caller = await IdentifyAsync(request, cancellationToken).ConfigureAwait(false);
        if (caller.Kind != CallerKind.Operator && !(caller.Kind == CallerKind.Tenant && caller.Tenant == tenant))
        {
            throw Denied(caller, $"an operator key or a key of the tenant '{tenant}'");
        }
    }

    private static AccessDeniedException Denied(Caller caller, string needed) => caller.Kind switch
    {
        CallerKind.Anonymous => new(StatusCodes.Status401Unauthorized, $"This route needs {needed} in the {ApiKeys.HeaderName} header."),
        CallerKind.Unknown => new(StatusCodes.Status401Unauthorized, $"The key in the {ApiKeys.HeaderName} header is not valid; this route needs {needed}."),
        _ => new(StatusCodes.Status403Forbidden, $"The key sent does not reach this route; it needs {needed}."),
    };
}
