using System.Net;
using System.Net.Http.Json;

namespace Counter.Testing.Tenants;

/// <summary>
/// What tenants must do in every host, as scenarios over HTTP. <c>settle</c> lets the host carry what was accepted to
/// the read path (the embedded host's tests move their clock; the Durable host's run short debounces); reads retry
/// until what they expect shows or a minute has passed.
/// </summary>
public sealed class TenantScenarios(Func<HttpClient> newClient, Func<Task> settle)
{
    public async Task The_same_counter_name_in_two_tenants_counts_separately_and_deleting_one_tenant_leaves_the_other()
    {
        var blog = TenantApi.UniqueTenant("blog");
        var shop = TenantApi.UniqueTenant("shop");
        var (blogKey, _) = await TenantApi.CreateTenantAsync(newClient, blog);
        var (shopKey, _) = await TenantApi.CreateTenantAsync(newClient, shop);
        using var client = newClient().Sending(null);
        using var asBlog = newClient().Sending(blogKey);
        using var asShop = newClient().Sending(shopKey);
        await TenantApi.CreateCounterAsync(asBlog, blog, "likes", initialValue: 100);
        await TenantApi.CreateCounterAsync(asShop, shop, "likes");

        Assert.Equal(100, await TenantApi.ValueAsync(client, blog, "likes"));
        for (var i = 0; i < 5; i++)
        {
            await TenantApi.IncrementAsync(client, blog, "likes");
        }

        await TenantApi.IncrementAsync(client, shop, "likes", delta: 7);
        await ValueEventuallyAsync(client, blog, "likes", 105);
        await ValueEventuallyAsync(client, shop, "likes", 7);

        // Increments accepted just before the deletion still sit in shards: they must not bring the tenant back.
        await TenantApi.IncrementAsync(client, blog, "likes", delta: 3);
        await TenantApi.IncrementAsync(client, shop, "likes");
        using var asOperator = newClient();
        await TenantApi.Expect(await asOperator.DeleteAsync(new Uri($"/tenants/{blog}", UriKind.Relative)), HttpStatusCode.NoContent);
        await settle();

        await ValueEventuallyAsync(client, shop, "likes", 8);
        Assert.Null(await TenantApi.ValueAsync(client, blog, "likes"));
        await TenantApi.Expect(await asOperator.GetAsync(new Uri($"/tenants/{blog}", UriKind.Relative)), HttpStatusCode.NotFound);
        await TenantApi.Expect(await asBlog.PostAsJsonAsync($"/tenants/{blog}", new { counter = "again" }), HttpStatusCode.Unauthorized);

        // A tenant of the same name starts empty: nothing of the old one comes back, not even from a late flush.
        await TenantApi.CreateTenantAsync(newClient, blog);
        await settle();
        var listed = await TenantApi.Expect(await asOperator.GetAsync(new Uri($"/tenants/{blog}", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Empty(listed.GetProperty("counters").EnumerateObject());
        await TenantApi.Expect(await client.PostAsync(new Uri($"/tenants/{blog}/likes/inc", UriKind.Relative), null), HttpStatusCode.NotFound);
    }

    public async Task A_counter_is_counted_only_once_created_and_is_gone_once_deleted()
    {
        var tenant = TenantApi.UniqueTenant("life");
        var (key, _) = await TenantApi.CreateTenantAsync(newClient, tenant);
        using var client = newClient().Sending(null);
        using var asTenant = newClient().Sending(key);

        await TenantApi.Expect(await client.PostAsync(new Uri($"/tenants/{tenant}/likes/inc", UriKind.Relative), null), HttpStatusCode.NotFound);
        Assert.Null(await TenantApi.ValueAsync(client, tenant, "likes"));

        await TenantApi.CreateCounterAsync(asTenant, tenant, "likes", initialValue: -5);
        await TenantApi.Expect(await asTenant.PostAsJsonAsync($"/tenants/{tenant}", new { counter = "likes", initialValue = 9 }), HttpStatusCode.Conflict);
        Assert.Equal(-5, await TenantApi.ValueAsync(client, tenant, "likes"));
        await TenantApi.IncrementAsync(client, tenant, "likes", delta: -2);
        await ValueEventuallyAsync(client, tenant, "likes", -7);

        await TenantApi.IncrementAsync(client, tenant, "likes", delta: 50);
        await TenantApi.Expect(await asTenant.DeleteAsync(new Uri($"/tenants/{tenant}/likes", UriKind.Relative)), HttpStatusCode.NoContent);
        Assert.Null(await TenantApi.ValueAsync(client, tenant, "likes"));
        await TenantApi.Expect(await client.PostAsync(new Uri($"/tenants/{tenant}/likes/inc", UriKind.Relative), null), HttpStatusCode.NotFound);

        // Created again, it starts from its new initial value: the 50 buffered before the deletion are dropped.
        await settle();
        await TenantApi.CreateCounterAsync(asTenant, tenant, "likes", initialValue: 1);
        await TenantApi.IncrementAsync(client, tenant, "likes");
        await ValueEventuallyAsync(client, tenant, "likes", 2);
        var listed = await TenantApi.Expect(await asTenant.GetAsync(new Uri($"/tenants/{tenant}", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal(2, listed.GetProperty("counters").GetProperty("likes").GetInt64());
    }

    public async Task A_rotated_out_key_is_refused_once_deleted_and_the_new_one_works()
    {
        var tenant = TenantApi.UniqueTenant("rotate");
        var (oldKey, oldKeyId) = await TenantApi.CreateTenantAsync(newClient, tenant);
        using var asOld = newClient().Sending(oldKey);

        var issued = await TenantApi.Expect(await asOld.PostAsync(new Uri($"/tenants/{tenant}/keys", UriKind.Relative), null), HttpStatusCode.Created);
        using var asNew = newClient().Sending(issued.GetProperty("key").GetString());
        await TenantApi.CreateCounterAsync(asOld, tenant, "a");
        await TenantApi.Expect(await asNew.DeleteAsync(new Uri($"/tenants/{tenant}/keys/{oldKeyId}", UriKind.Relative)), HttpStatusCode.NoContent);

        await TenantApi.Expect(await asOld.PostAsJsonAsync($"/tenants/{tenant}", new { counter = "b" }), HttpStatusCode.Unauthorized);
        await TenantApi.CreateCounterAsync(asNew, tenant, "b");
        await TenantApi.Expect(await asNew.DeleteAsync(new Uri($"/tenants/{tenant}/keys/{oldKeyId}", UriKind.Relative)), HttpStatusCode.NotFound);
    }

    private async Task ValueEventuallyAsync(HttpClient client, string tenant, string counter, long expected)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        long? value;
        while (true)
        {
            await settle();
            value = await TenantApi.ValueAsync(client, tenant, counter);
            if (value == expected || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.Equal(expected, value);
    }
}
