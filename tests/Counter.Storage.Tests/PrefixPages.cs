using Counter.Core;

namespace Counter.Storage.Tests;

/// <summary>What every snapshot store must answer for a listing narrowed to a prefix, read page by page.</summary>
internal static class PrefixPages
{
    public const string Tenant = "t";

    /// <summary>
    /// Names around the prefixes <c>lag-</c> and <c>x𠀀</c> (a character outside the BMP): either side of each range, the
    /// prefix itself, the next code point after its last character, and one of those names in another tenant.
    /// </summary>
    public static readonly (string Tenant, string Name)[] Rows =
    [
        (Tenant, "a"), (Tenant, "lag"), (Tenant, "lag-"), (Tenant, "lag-1"), (Tenant, "lag-2"), (Tenant, "lag-𠀀"),
        (Tenant, "lag."), (Tenant, "lah"), (Tenant, "x𠀀"), (Tenant, "x𠀀a"), (Tenant, "x𠀁"), ("other", "lag-3"),
    ];

    /// <summary>Each prefix, with the pages of two that reading it gives.</summary>
    public static readonly (string Prefix, string[][] Pages)[] Expected =
    [
        ("lag-", [["lag-", "lag-1"], ["lag-2", "lag-𠀀"]]),
        ("x𠀀", [["x𠀀", "x𠀀a"]]),
        ("lag-2", [["lag-2"]]),
        ("b", [[]]),
    ];

    /// <summary>Every page of <paramref name="prefix"/> in <see cref="Tenant"/>, two names a page, following the tokens.</summary>
    public static async Task<string[][]> ReadAsync(ISnapshotStore store, string prefix)
    {
        var pages = new List<string[]>();
        string? token = null;
        do
        {
            var page = await store.ReadPageAsync(Tenant, NamePrefix.Create(prefix), token, 2, CancellationToken.None);
            pages.Add([.. page.Rows.Select(row => row.Counter.Name)]);
            token = page.ContinuationToken;
        }
        while (token is not null);
        return [.. pages];
    }
}
