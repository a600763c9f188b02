namespace Counter.Api;

/// <summary>
/// The rules of an allowed origin list, the same for the default tenant's (<see cref="PublicCorsOptions"/>) and a tenant's
/// own: each entry is <c>scheme://host[:port]</c> (http or https, no path), or <c>*</c>, which lets any origin
/// <em>read</em> but never increment: a page anywhere may show a count, only the listed sites may move it.
/// </summary>
public static class BrowserOrigins
{
    public const string Any = "*";
    public const int MaxCount = 100;
    public const int MaxLength = 256;

    /// <summary>Why <paramref name="origins"/> cannot be allowed, or null when every entry is an origin or <c>*</c>.</summary>
    public static string? Explain(IReadOnlyList<string?>? origins)
    {
        if (origins is null)
        {
            return "must be a list of origins";
        }

        if (origins.Count > MaxCount)
        {
            return $"must list at most {MaxCount} origins";
        }

        foreach (var origin in origins)
        {
            if (origin is Any)
            {
                continue;
            }

            if (origin is null || origin.Length > MaxLength || !Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || !string.Equals(uri.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase))
            {
                return $"must hold only origins, scheme://host[:port] of at most {MaxLength} characters with no path or trailing slash, or \"*\"; '{origin}' is not one";
            }
        }

        return null;
    }
}
