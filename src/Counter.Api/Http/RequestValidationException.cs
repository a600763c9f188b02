namespace Counter.Api;

/// <summary>A request the contract refuses; <see cref="CounterHandlers"/> answers it with problem details naming <see cref="Field"/>.</summary>
internal sealed class RequestValidationException(string field, string message, int statusCode = 400) : Exception(message)
{
    public string Field { get; } = field;

    public int StatusCode { get; } = statusCode;
}
