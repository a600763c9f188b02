using System.Net;

namespace Counter.Api;

/// <summary>
/// Which senders may say who the client is (<c>ForwardedHeaders:KnownProxies</c>, <c>ForwardedHeaders:KnownNetworks</c>):
/// a request's address is the last one <c>X-Forwarded-For</c> names only when the connection comes from one of these,
/// else the connection's own. Anyone can write the header; only a proxy the operator runs can be believed. Listed ones
/// replace ASP.NET Core's default (loopback only), so that a host behind a proxy on another machine trusts that alone.
/// </summary>
public sealed class ProxyOptions
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Addresses of trusted proxies, e.g. <c>10.0.0.5</c> or <c>::1</c>.</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>10.0.0.0/8</c>.</summary>
    public IList<string> KnownNetworks { get; } = [];

    /// <summary>The proxies, parsed (validated on start).</summary>
    public IEnumerable<IPAddress> ParsedProxies() => KnownProxies.Select(static proxy => IPAddress.Parse(proxy));

    /// <summary>The networks, parsed (validated on start).</summary>
    public IEnumerable<IPNetwork> ParsedNetworks() => KnownNetworks.Select(static network => IPNetwork.Parse(network));

    /// <summary>Every problem with these options, each a sentence naming the setting; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        for (var index = 0; index < KnownProxies.Count; index++)
        {
            if (!IPAddress.TryParse(KnownProxies[index], out _))
            {
                problems.Add($"{SectionName}:{nameof(KnownProxies)}:{index} must be an IP address; it was '{KnownProxies[index]}'.");
            }
        }

        for (var index = 0; index < KnownNetworks.Count; index++)
        {
            if (!IPNetwork.TryParse(KnownNetworks[index], out _))
            {
                problems.Add($"{SectionName}:{nameof(KnownNetworks)}:{index} must be a network in CIDR notation (10.0.0.0/8); it was '{KnownNetworks[index]}'.");
            }
        }

        return problems;
    }
}
