using Counter.Core;
using Counter.Testing;

namespace Counter.Storage.Tests.Tenants;

/// <summary>
/// What every <see cref="ITenantStore"/> does, with the strict counters and idempotency records it keeps as well, run
/// against each real store by a subclass. <see cref="Store"/> gives a new instance over the same storage each time, so
/// that nothing is answered from one instance's memory.
/// </summary>
public abstract partial class TenantStoreContract<TStore>
    where TStore : ITenantStore, IStrictCounterStore, IIdempotencyStore
{
    protected static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    /// <summary>When strict counters change: the clock every <see cref="Store"/> is given.</summary>
    protected static readonly DateTimeOffset ChangedAt = At.AddDays(1);

    protected TimeProvider Clock { get; } = new ManualTimeProvider(ChangedAt);

    /// <summary>A new instance over the same storage, on <see cref="Clock"/>.</summary>
    protected abstract TStore Store();

    [Fact]
    public async Task A_tenant_created_with_its_first_key_reads_back_and_is_in_the_directory()
    {
        var store = Store();

        Assert.True(await store.TryCreateTenantAsync(Tenant("acme"), Key("acme", "k1", "hash1"), CancellationToken.None));

        Assert.Equal(Tenant("acme"), await Store().ReadTenantAsync("acme", CancellationToken.None));
        Assert.Null(await Store().ReadTenantAsync("never", CancellationToken.None));
        var directory = await Store().ReadDirectoryAsync(CancellationToken.None);
        Assert.Equal([Tenant("acme")], directory.Tenants);
        Assert.Equal([Key("acme", "k1", "hash1")], directory.Keys);
    }

    [Fact]
    public async Task Creating_a_tenant_that_exists_answers_false_and_changes_nothing()
    {
        var store = Store();
        await store.TryCreateTenantAsync(Tenant("acme"), Key("acme", "k1", "hash1"), CancellationToken.None);

        Assert.False(await store.TryCreateTenantAsync(Tenant("acme", At.AddDays(1)), Key("acme", "k2", "hash2"), CancellationToken.None));
        Assert.False(await store.TryCreateTenantAsync(Tenant("acme", At.AddDays(1)), Key("acme", "k1", "other"), CancellationToken.None));

        Assert.Equal(Tenant("acme"), await store.ReadTenantAsync("acme", CancellationToken.None));
        Assert.Equal([Key("acme", "k1", "hash1")], (await store.ReadDirectoryAsync(CancellationToken.None)).Keys);
    }

    [Fact]
    public async Task Tenants_are_listed_by_name_in_pages_that_continue_with_their_tokens()
    {
        string[] names = ["acme", "b", "c.d", "zeta", "東京"];
        foreach (var name in names.Reverse())
        {
            await Store().TryCreateTenantAsync(Tenant(name), Key(name, "k", "h"), CancellationToken.None);
        }

        var listed = new List<string>();
        var pages = new List<int>();
        string? token = null;
        do
        {
            var page = await Store().ListTenantsAsync(token, 2, CancellationToken.None);
            listed.AddRange(page.Tenants.Select(tenant => tenant.Tenant));
            pages.Add(page.Tenants.Count);
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal(names, listed);
        Assert.Equal([2, 2, 1], pages);
        Assert.All((await Store().ListTenantsAsync(null, ITenantStore.MaxPageSize, CancellationToken.None)).Tenants, tenant => Assert.Equal(At, tenant.CreatedAt));
    }

    [Fact]
    public async Task A_page_that_ends_on_the_last_tenant_has_no_token_and_an_empty_store_lists_nothing()
    {
        var empty = await Store().ListTenantsAsync(null, 10, CancellationToken.None);
        Assert.Empty(empty.Tenants);
        Assert.Null(empty.ContinuationToken);
        await Store().TryCreateTenantAsync(Tenant("a"), Key("a", "k", "h"), CancellationToken.None);
        await Store().TryCreateTenantAsync(Tenant("b"), Key("b", "k", "h"), CancellationToken.None);

        var first = await Store().ListTenantsAsync(null, 1, CancellationToken.None);
        var second = await Store().ListTenantsAsync(first.ContinuationToken, 1, CancellationToken.None);
        var whole = await Store().ListTenantsAsync(null, 2, CancellationToken.None);

        Assert.Equal("a", Assert.Single(first.Tenants).Tenant);
        Assert.Equal("b", Assert.Single(second.Tenants).Tenant);
        Assert.Null(second.ContinuationToken);
        Assert.Equal(2, whole.Tenants.Count);
        Assert.Null(whole.ContinuationToken);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("Lw")]
    [InlineData("")]
    public async Task A_continuation_token_no_page_issued_is_refused(string token)
    {
        await Assert.ThrowsAsync<InvalidContinuationTokenException>(() => Store().ListTenantsAsync(token, 10, CancellationToken.None));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ITenantStore.MaxPageSize + 1)]
    public async Task A_page_size_out_of_range_is_refused(int pageSize)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store().ListTenantsAsync(null, pageSize, CancellationToken.None));
    }

    [Fact]
    public async Task Keys_are_added_to_an_existing_tenant_only_once_per_id_and_deleted_once()
    {
        var store = Store();
        await store.TryCreateTenantAsync(Tenant("acme"), Key("acme", "k1", "hash1"), CancellationToken.None);

        Assert.False(await store.TryAddKeyAsync(Key("never", "k1", "hash"), CancellationToken.None));
        Assert.True(await store.TryAddKeyAsync(Key("acme", "k2", "hash2"), CancellationToken.None));
        Assert.False(await store.TryAddKeyAsync(Key("acme", "k2", "other"), CancellationToken.None));
        Assert.Equal([Key("acme", "k1", "hash1"), Key("acme", "k2", "hash2")], (await Store().ReadDirectoryAsync(CancellationToken.None)).Keys);
        Assert.Null(await Store().ReadTenantAsync("never", CancellationToken.None));

        Assert.True(await store.DeleteKeyAsync("acme", "k1", CancellationToken.None));
        Assert.False(await store.DeleteKeyAsync("acme", "k1", CancellationToken.None));
        Assert.False(await store.DeleteKeyAsync("never", "k2", CancellationToken.None));

        Assert.Equal([Key("acme", "k2", "hash2")], (await Store().ReadDirectoryAsync(CancellationToken.None)).Keys);
        Assert.Equal(Tenant("acme"), await store.ReadTenantAsync("acme", CancellationToken.None));
    }

    [Fact]
    public async Task Counters_are_created_once_read_back_and_deleted_once()
    {
        var store = Store();
        var counter = CounterKey.Create("acme", "orders");

        Assert.True(await store.TryCreateCounterAsync(new CounterRecord(counter, -5, At), CancellationToken.None));
        Assert.False(await store.TryCreateCounterAsync(new CounterRecord(counter, 7, At.AddDays(1)), CancellationToken.None));
        Assert.True(await store.TryCreateCounterAsync(new CounterRecord(CounterKey.Create("other", "orders"), long.MaxValue, At), CancellationToken.None));

        Assert.Equal(new CounterRecord(counter, -5, At), await Store().ReadCounterAsync(counter, CancellationToken.None));
        Assert.Equal(long.MaxValue, (await Store().ReadCounterAsync(CounterKey.Create("other", "orders"), CancellationToken.None))!.InitialValue);
        Assert.Null(await Store().ReadCounterAsync(CounterKey.Create("acme", "never"), CancellationToken.None));

        Assert.True(await store.DeleteCounterAsync(counter, CancellationToken.None));
        Assert.False(await store.DeleteCounterAsync(counter, CancellationToken.None));
        Assert.Null(await Store().ReadCounterAsync(counter, CancellationToken.None));
        Assert.NotNull(await Store().ReadCounterAsync(CounterKey.Create("other", "orders"), CancellationToken.None));
    }

    [Fact]
    public async Task A_counter_reads_back_with_its_mode_sharded_unless_created_strict()
    {
        var sharded = CounterKey.Create("acme", "views");
        var strict = CounterKey.Create("acme", "stock");

        Assert.True(await Store().TryCreateCounterAsync(new CounterRecord(sharded, 1, At), CancellationToken.None));
        Assert.True(await Store().TryCreateCounterAsync(new CounterRecord(strict, 2, At, CounterMode.Strict), CancellationToken.None));
        Assert.False(await Store().TryCreateCounterAsync(new CounterRecord(strict, 3, At, CounterMode.Sharded), CancellationToken.None));

        Assert.Equal(new CounterRecord(sharded, 1, At, CounterMode.Sharded), await Store().ReadCounterAsync(sharded, CancellationToken.None));
        Assert.Equal(new CounterRecord(strict, 2, At, CounterMode.Strict), await Store().ReadCounterAsync(strict, CancellationToken.None));
    }

    [Fact]
    public async Task Deleting_a_tenant_removes_its_counters_and_keys_and_a_new_tenant_of_that_name_starts_empty()
    {
        var store = Store();
        await store.TryCreateTenantAsync(Tenant("acme"), Key("acme", "k000", "h"), CancellationToken.None);
        await store.TryCreateTenantAsync(Tenant("acme2"), Key("acme2", "k", "h"), CancellationToken.None);
        for (var index = 1; index < 120; index++)
        {
            Assert.True(await store.TryAddKeyAsync(Key("acme", $"k{index:D3}", "h"), CancellationToken.None));
        }

        var names = Enumerable.Range(0, 150).Select(index => $"c{index:D3}").ToList();
        await Task.WhenAll(names.Select(name => store.TryCreateCounterAsync(new CounterRecord(CounterKey.Create("acme", name), 1, At), CancellationToken.None)));
        await store.TryCreateCounterAsync(new CounterRecord(CounterKey.Create("acme2", "c000"), 2, At), CancellationToken.None);

        Assert.True(await store.DeleteTenantAsync("acme", CancellationToken.None));
        Assert.False(await store.DeleteTenantAsync("acme", CancellationToken.None));
        Assert.False(await store.DeleteTenantAsync("never", CancellationToken.None));

        Assert.Null(await Store().ReadTenantAsync("acme", CancellationToken.None));
        var directory = await Store().ReadDirectoryAsync(CancellationToken.None);
        Assert.Equal([Tenant("acme2")], directory.Tenants);
        Assert.Equal([Key("acme2", "k", "h")], directory.Keys);
        foreach (var name in names)
        {
            Assert.Null(await Store().ReadCounterAsync(CounterKey.Create("acme", name), CancellationToken.None));
        }

        Assert.NotNull(await Store().ReadCounterAsync(CounterKey.Create("acme2", "c000"), CancellationToken.None));

        Assert.True(await store.TryCreateTenantAsync(Tenant("acme", At.AddDays(1)), Key("acme", "new", "h2"), CancellationToken.None));
        directory = await Store().ReadDirectoryAsync(CancellationToken.None);
        Assert.Equal([Key("acme", "new", "h2"), Key("acme2", "k", "h")], directory.Keys);
        Assert.Equal(Tenant("acme", At.AddDays(1)), await Store().ReadTenantAsync("acme", CancellationToken.None));
        Assert.True(await store.TryCreateCounterAsync(new CounterRecord(CounterKey.Create("acme", "c000"), 3, At), CancellationToken.None));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a#b")]
    [InlineData("")]
    public async Task A_tenant_that_breaks_the_key_rules_is_refused_before_anything_is_stored(string tenant)
    {
        var store = Store();

        await Assert.ThrowsAsync<InvalidCounterKeyException>(() => store.TryCreateTenantAsync(Tenant(tenant), Key(tenant, "k", "h"), CancellationToken.None));
        await Assert.ThrowsAsync<InvalidCounterKeyException>(() => store.ReadTenantAsync(tenant, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidCounterKeyException>(() => store.DeleteTenantAsync(tenant, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidCounterKeyException>(() => store.TryAddKeyAsync(Key(tenant, "k", "h"), CancellationToken.None));
        Assert.Empty((await store.ReadDirectoryAsync(CancellationToken.None)).Tenants);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a?b")]
    [InlineData("")]
    public async Task A_key_id_that_breaks_the_key_rules_is_refused_before_anything_is_stored(string keyId)
    {
        var store = Store();

        await Assert.ThrowsAsync<ArgumentException>(() => store.TryCreateTenantAsync(Tenant("acme"), Key("acme", keyId, "h"), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteKeyAsync("acme", keyId, CancellationToken.None));
        Assert.Empty((await store.ReadDirectoryAsync(CancellationToken.None)).Tenants);
    }

    [Fact]
    public async Task A_first_key_of_another_tenant_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store().TryCreateTenantAsync(Tenant("acme"), Key("other", "k", "h"), CancellationToken.None));
        Assert.Null(await Store().ReadTenantAsync("acme", CancellationToken.None));
    }

    [Fact]
    public async Task A_tenants_origins_replace_the_ones_before_are_in_the_directory_and_go_with_the_tenant()
    {
        var store = Store();
        await store.TryCreateTenantAsync(Tenant("acme"), Key("acme", "k1", "h"), CancellationToken.None);
        await store.TryCreateTenantAsync(Tenant("bare"), Key("bare", "k1", "h"), CancellationToken.None);

        Assert.True(await store.SetOriginsAsync(new TenantOrigins("acme", ["https://a.example", "*"]), CancellationToken.None));
        Assert.True(await store.SetOriginsAsync(new TenantOrigins("acme", ["https://b.example:8443", "https://a.example"]), CancellationToken.None));
        Assert.False(await store.SetOriginsAsync(new TenantOrigins("never", ["https://a.example"]), CancellationToken.None));

        var origins = Assert.Single((await Store().ReadDirectoryAsync(CancellationToken.None)).Origins!);
        Assert.Equal("acme", origins.Tenant);
        Assert.Equal(["https://b.example:8443", "https://a.example"], origins.Origins);
        Assert.Null(await Store().ReadTenantAsync("never", CancellationToken.None));

        Assert.True(await store.SetOriginsAsync(new TenantOrigins("acme", []), CancellationToken.None));
        Assert.Empty((await Store().ReadDirectoryAsync(CancellationToken.None)).Origins!);
        await store.SetOriginsAsync(new TenantOrigins("acme", ["https://a.example"]), CancellationToken.None);
        Assert.True(await store.DeleteTenantAsync("acme", CancellationToken.None));
        await store.TryCreateTenantAsync(Tenant("acme"), Key("acme", "k1", "h"), CancellationToken.None);
        Assert.Empty((await Store().ReadDirectoryAsync(CancellationToken.None)).Origins!);
    }

    [Fact]
    public async Task An_origin_with_white_space_is_refused_before_anything_is_stored()
    {
        var store = Store();
        await store.TryCreateTenantAsync(Tenant("acme"), Key("acme", "k1", "h"), CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentException>(() => store.SetOriginsAsync(new TenantOrigins("acme", ["https://a.example\nhttps://b.example"]), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SetOriginsAsync(new TenantOrigins("acme", [""]), CancellationToken.None));
        Assert.Empty((await Store().ReadDirectoryAsync(CancellationToken.None)).Origins!);
    }

    protected static TenantRecord Tenant(string tenant, DateTimeOffset? createdAt = null) => new(tenant, createdAt ?? At);

    protected static TenantKeyRecord Key(string tenant, string keyId, string hash) => new(tenant, keyId, hash, At);
}
