using Counter.Core;

namespace Counter.Storage.Tests.Tenants;

/// <summary>What every store does with idempotency records; every time is passed explicitly.</summary>
public abstract partial class TenantStoreContract<TStore>
{
    [Fact]
    public async Task A_record_reads_back_until_it_expires_and_an_expired_one_is_absent_and_overwritten()
    {
        var first = Record("acme", "retry-1", "first", At.AddMinutes(10));

        Assert.True(await Store().TrySaveIdempotencyAsync(first, At, CancellationToken.None));

        Assert.Equal(first, await Store().ReadIdempotencyAsync("acme", "retry-1", At.AddMinutes(10).AddTicks(-1), CancellationToken.None));
        Assert.Null(await Store().ReadIdempotencyAsync("acme", "retry-1", At.AddMinutes(10), CancellationToken.None));
        var second = Record("acme", "retry-1", "second", At.AddMinutes(30));
        Assert.True(await Store().TrySaveIdempotencyAsync(second, At.AddMinutes(20), CancellationToken.None));
        Assert.Equal(second, await Store().ReadIdempotencyAsync("acme", "retry-1", At.AddMinutes(20), CancellationToken.None));
    }

    [Fact]
    public async Task Saving_a_key_with_an_unexpired_record_answers_false_and_keeps_the_first()
    {
        var first = Record("acme", "retry-1", "first", At.AddMinutes(10));
        await Store().TrySaveIdempotencyAsync(first, At, CancellationToken.None);

        Assert.False(await Store().TrySaveIdempotencyAsync(Record("acme", "retry-1", "second", At.AddDays(1)), At.AddMinutes(9), CancellationToken.None));

        Assert.Equal(first, await Store().ReadIdempotencyAsync("acme", "retry-1", At, CancellationToken.None));
    }

    [Fact]
    public async Task Records_are_kept_per_scope_under_any_key_of_visible_ASCII()
    {
        const string key = "a/b\\c#d?e !~\"%'";
        var acme = Record("acme", key, "acme's", At.AddHours(1));
        var other = Record("other", key, "other's", At.AddHours(1));
        var longest = Record("acme", new string('k', 255), "long", At.AddHours(1));

        Assert.True(await Store().TrySaveIdempotencyAsync(acme, At, CancellationToken.None));
        Assert.True(await Store().TrySaveIdempotencyAsync(other, At, CancellationToken.None));
        Assert.True(await Store().TrySaveIdempotencyAsync(longest, At, CancellationToken.None));

        Assert.Equal(acme, await Store().ReadIdempotencyAsync("acme", key, At, CancellationToken.None));
        Assert.Equal(other, await Store().ReadIdempotencyAsync("other", key, At, CancellationToken.None));
        Assert.Equal(longest, await Store().ReadIdempotencyAsync("acme", longest.Key, At, CancellationToken.None));
        Assert.Null(await Store().ReadIdempotencyAsync("acme", key + "x", At, CancellationToken.None));
    }

    [Fact]
    public async Task Deleting_a_tenant_removes_its_records_and_no_one_elses()
    {
        var store = Store();
        await store.TryCreateTenantAsync(Tenant("acme"), Key("acme", "k", "h"), CancellationToken.None);
        await store.TryCreateCounterAsync(new CounterRecord(CounterKey.Create("acme", "orders"), 1, At), CancellationToken.None);
        await store.TrySaveIdempotencyAsync(Record("acme", "retry-1", "acme's", At.AddHours(1)), At, CancellationToken.None);
        await store.TrySaveIdempotencyAsync(Record("other", "retry-1", "other's", At.AddHours(1)), At, CancellationToken.None);

        Assert.True(await store.DeleteTenantAsync("acme", CancellationToken.None));

        Assert.Null(await Store().ReadIdempotencyAsync("acme", "retry-1", At, CancellationToken.None));
        Assert.NotNull(await Store().ReadIdempotencyAsync("other", "retry-1", At, CancellationToken.None));
        Assert.Null(await Store().ReadCounterAsync(CounterKey.Create("acme", "orders"), CancellationToken.None));
    }

    [Fact]
    public async Task A_bad_scope_or_an_empty_key_is_refused()
    {
        await Assert.ThrowsAsync<InvalidCounterKeyException>(() => Store().ReadIdempotencyAsync("a/b", "k", At, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidCounterKeyException>(() => Store().TrySaveIdempotencyAsync(Record("a#b", "k", "b", At), At, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store().ReadIdempotencyAsync("acme", "", At, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store().TrySaveIdempotencyAsync(Record("acme", "", "b", At), At, CancellationToken.None));
    }

    protected static IdempotencyRecord Record(string scope, string key, string body, DateTimeOffset expiresAt) =>
        new(scope, key, "POST /tenants/acme/ops " + body.Length, 200, $$"""{"body":"{{body}}"}""", expiresAt);
}
