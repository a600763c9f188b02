using Microsoft.AspNetCore.Http;

namespace Counter.Api;

/// <summary>
/// An answer whose JSON is already serialized (a strict outcome, a kept idempotent answer), written as it is. The
/// framework's results resolve the logger factory and create a logger for every answer they write, and a string body is
/// encoded once more: a perf profile under strict incs showed both, and CPU per strict inc fell with this
/// (bench/README.md, "Strict counters").
/// </summary>
internal sealed class JsonAnswer(ReadOnlyMemory<byte> utf8Json, int statusCode) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => statusCode;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = utf8Json.Length;
        var written = response.BodyWriter.WriteAsync(utf8Json, httpContext.RequestAborted);
        return written.IsCompletedSuccessfully ? Task.CompletedTask : written.AsTask();
    }
}
