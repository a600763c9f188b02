using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Counter.Storage.Tables;

/// <summary>
/// Signs each attempt with the Table service's Shared Key scheme:
/// <c>VERB \n Content-MD5 \n Content-Type \n x-ms-date \n /account/path[?comp=…]</c>, HMAC-SHA256 with the account key.
/// Runs per retry so that every attempt carries a fresh date.
/// </summary>
internal sealed class SharedKeyPolicy(string accountName, byte[] accountKey, TimeProvider timeProvider) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var date = timeProvider.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
        request.Headers.SetValue("x-ms-date", date);
        request.Headers.TryGetValue("Content-MD5", out var contentMd5);
        request.Headers.TryGetValue("Content-Type", out var contentType);
        var stringToSign = string.Join('\n', request.Method.Method, contentMd5, contentType, date, CanonicalizedResource(request.Uri));
        var signature = Convert.ToBase64String(HMACSHA256.HashData(accountKey, Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.SetValue("Authorization", $"SharedKey {accountName}:{signature}");
    }

    // The path as sent (still percent-encoded); of the query only comp counts.
    private string CanonicalizedResource(RequestUriBuilder uri)
    {
        var resource = $"/{accountName}{uri.Path}";
        var comp = uri.Query.TrimStart('?').Split('&').FirstOrDefault(part => part.StartsWith("comp=", StringComparison.Ordinal));
        return comp is null ? resource : $"{resource}?{comp}";
    }
}
