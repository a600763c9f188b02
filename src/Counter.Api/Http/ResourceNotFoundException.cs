namespace Counter.Api;

/// <summary>The tenant, counter or key a route names does not exist; answered with 404 problem details.</summary>
internal sealed class ResourceNotFoundException(string message) : Exception(message);
