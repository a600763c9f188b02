using System.Security.Cryptography;
using System.Text;

namespace Counter.Testing;

/// <summary>The operator key every host under test is configured with (by its hash, as an operator would), and how to send it.</summary>
public static class TestKeys
{
    public const string Header = "X-API-Key";

    public const string Operator = "test-operator-key-not-for-production";

    public static string OperatorHash { get; } = Hash(Operator);

    /// <summary>The setting that configures <see cref="Operator"/>, as <c>--key=value</c> for a process.</summary>
    public static string OperatorSetting { get; } = $"--Admin:KeyHashes:0={OperatorHash}";

    /// <summary>A per-address token bucket no test of anything else reaches: every test client shares one address.</summary>
    public const string UnlimitedTokens = "1000000";

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Sends <paramref name="key"/> with every request of <paramref name="client"/>, or no key when null.</summary>
    public static HttpClient Sending(this HttpClient client, string? key)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Remove(Header);
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add(Header, key);
        }

        return client;
    }
}
