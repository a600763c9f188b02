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
            or BackendOverloadedException or BackendUnavailableException or SnapshotStoreUnavailableException;

    public static ProblemHttpResult From(Exception exception, HttpResponse response) => exception switch
    {
        RequestValidationException invalid => Invalid(invalid.Field, invalid.Message, invalid.StatusCode),
        InvalidCounterKeyException key => Invalid(key.Field, key.Message, StatusCodes.Status400BadRequest),
        InvalidContinuationTokenException token => Invalid("continuationToken", token.Message, StatusCodes.Status400BadRequest),
        BackendOverloadedException overloaded => Unavailable(overloaded.RetryAfter, "Too much work in flight; retry later.", overloaded.Message, response),
        BackendUnavailableException down => Unavailable(BackendUnavailableException.RetryAfter, "The backend is unavailable; retry later.", down.Message, response),
        SnapshotStoreUnavailableException unreachable => Unavailable(SnapshotStoreUnavailableException.RetryAfter, "The read path is unavailable; retry later.", unreachable.Message, response),
        _ => throw new ArgumentException("Only expected failures map to problem details.", nameof(exception)),
    };

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

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
