using System.Globalization;
using Counter.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Counter.Api;

/// <summary>RFC 9457 problem details for every failure the contract expects; unexpected ones are left to the host (500, no details).</summary>
internal static class Problems
{
    public static bool IsExpected(Exception exception) =>
        exception is RequestValidationException or InvalidCounterKeyException or InvalidContinuationTokenException
            or BackendOverloadedException or BackendUnavailableException or SnapshotStoreUnavailableException
            or AccessDeniedException or ResourceNotFoundException or TenantStoreUnavailableException;

    public static ProblemHttpResult From(Exception exception, HttpResponse response) => exception switch
    {
        RequestValidationException invalid => Invalid(invalid.Field, invalid.Message, invalid.StatusCode),
        InvalidCounterKeyException key => Invalid(key.Field, key.Message, StatusCodes.Status400BadRequest),
        InvalidContinuationTokenException token => Invalid("continuationToken", token.Message, StatusCodes.Status400BadRequest),
        BackendOverloadedException overloaded => Unavailable(overloaded.RetryAfter, "Too much work in flight; retry later.", overloaded.Message, response),
        BackendUnavailableException down => Unavailable(BackendUnavailableException.RetryAfter, "The backend is unavailable; retry later.", down.Message, response),
        SnapshotStoreUnavailableException unreachable => Unavailable(SnapshotStoreUnavailableException.RetryAfter, "The read path is unavailable; retry later.", unreachable.Message, response),
        TenantStoreUnavailableException unreachable => Unavailable(TenantStoreUnavailableException.RetryAfter, "The tenant store is unavailable; retry later.", unreachable.Message, response),
        AccessDeniedException denied => Denied(denied, response),
        ResourceNotFoundException missing => NotFound(missing.Message),
        _ => throw new ArgumentException("Only expected failures map to problem details.", nameof(exception)),
    };

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    private static ProblemHttpResult Denied(AccessDeniedException denied, HttpResponse response)
    {
        if (denied.StatusCode == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = $"ApiKey header=\"{ApiKeys.HeaderName}\"";
        }

        var title = denied.StatusCode == StatusCodes.Status401Unauthorized ? "A valid key is needed." : "The key does not reach this route.";
        return TypedResults.Problem(detail: denied.Message, statusCode: denied.StatusCode, title: title);
    }

    private static ProblemHttpResult Invalid(string field, string detail, int statusCode) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [detail] })
        {
            Status = statusCode,
            Title = "The request is invalid.",
            Detail = detail,
        });

    private static ProblemHttpResult Unavailable(TimeSpan retryAfter, string title, string detail, HttpResponse response)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: title);
    }
}
