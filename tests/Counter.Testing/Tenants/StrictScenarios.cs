using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Counter.Testing.Tenants;

/// <summary>Strict counters, the operation set and idempotency, as scenarios over HTTP that every host must pass.</summary>
public sealed class StrictScenarios(Func<HttpClient> newClient)
{
    private static readonly string[] Comparators = ["eq", "ne", "gt", "ge", "lt", "le"];

    /// <summary>Random single and batch operations, conditions at their boundaries included, answer what a model of them answers.</summary>
    public async Task Random_operations_answer_what_a_model_answers(int seed, int steps)
    {
        var (tenant, client) = await TenantAsync("model");
        string[] names = ["a", "b", "c"];
        var model = new Dictionary<string, long>();
        foreach (var name in names)
        {
            await CreateStrictAsync(client, tenant, name, 5);
            model[name] = 5;
        }

        var random = new Random(seed);
        for (var step = 0; step < steps; step++)
        {
            var count = random.Next(3) == 0 ? 1 + random.Next(4) : 1;
            var operations = Enumerable.Range(0, count).Select(_ => RandomOperation(random, names, model)).ToList();
            var expected = Model(model, operations, out var refused);
            using var response = await client.PostAsJsonAsync($"/tenants/{tenant}/ops", operations.Select(static operation => operation.Json).ToList());
            var text = await response.Content.ReadAsStringAsync();
            if (refused)
            {
                Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"step {step}: {(int)response.StatusCode} {text}");
                continue;
            }

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"step {step}: {(int)response.StatusCode} {text}");
            var results = JsonDocument.Parse(text).RootElement.EnumerateArray().Select(static result =>
                (result.GetProperty("value").GetInt64(), result.GetProperty("previous").GetInt64(), result.GetProperty("applied").GetBoolean())).ToList();
            Assert.Equal(expected, results);
        }

        foreach (var name in names)
        {
            var value = await TenantApi.Expect(await client.GetAsync(new Uri($"/tenants/{tenant}/{name}", UriKind.Relative)), HttpStatusCode.OK);
            Assert.Equal(model[name], value.GetProperty("value").GetInt64());
        }
    }

    /// <summary>Concurrent strict increments on one counter add up exactly; a conditional increment never passes its bound.</summary>
    public async Task Concurrent_strict_increments_are_exact_and_a_bound_holds(int clients, int perClient)
    {
        var (tenant, client) = await TenantAsync("race");
        await CreateStrictAsync(client, tenant, "hits", 0);
        await CreateStrictAsync(client, tenant, "quota", 0);
        using var anonymous = newClient().Sending(null);

        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            using var own = newClient().Sending(null);
            for (var i = 0; i < perClient; i++)
            {
                using var response = await own.PostAsync(new Uri($"/tenants/{tenant}/hits/inc", UriKind.Relative), null);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }));
        var applied = 0;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            using var own = newClient();
            for (var i = 0; i < 5; i++)
            {
                using var response = await own.PostAsJsonAsync($"/tenants/{tenant}/ops", new[] { new { op = "inc_if", counter = "quota", by = 1, @if = new Dictionary<string, long> { ["lt"] = 100 } } });
                var result = (await TenantApi.Expect(response, HttpStatusCode.OK))[0];
                if (result.GetProperty("applied").GetBoolean())
                {
                    Interlocked.Increment(ref applied);
                }
            }
        }));

        Assert.Equal(clients * perClient, await TenantApi.ValueAsync(anonymous, tenant, "hits"));
        var quota = await TenantApi.ValueAsync(anonymous, tenant, "quota");
        Assert.Equal(Math.Min(100, clients * 5), quota);
        Assert.Equal(quota, applied);
    }

    /// <summary>A batch keeps input order; a condition that fails inside it leaves nothing applied; bad batches are refused whole.</summary>
    public async Task Batches_keep_order_and_are_all_or_nothing_and_bad_ones_are_refused()
    {
        var (tenant, client) = await TenantAsync("batch");
        await CreateStrictAsync(client, tenant, "x", 1);
        await CreateStrictAsync(client, tenant, "y", 10);
        await TenantApi.CreateCounterAsync(client, tenant, "lax");

        var ordered = await Ops(client, tenant, HttpStatusCode.OK, """[{"op":"inc","counter":"x","by":2},{"op":"get","counter":"x"},{"op":"set","counter":"y","value":0},{"op":"dec","counter":"x"}]""");
        Assert.Equal([3L, 3L, 0L, 2L], ordered.EnumerateArray().Select(static result => result.GetProperty("value").GetInt64()));
        Assert.Equal(["inc", "get", "set", "dec"], ordered.EnumerateArray().Select(static result => result.GetProperty("op").GetString()));

        await Ops(client, tenant, HttpStatusCode.Conflict, """[{"op":"inc","counter":"x","by":100},{"op":"set_if","counter":"y","value":5,"if":{"gt":0}}]""");
        await Ops(client, tenant, HttpStatusCode.NotFound, """[{"op":"inc","counter":"x"},{"op":"inc","counter":"nope"}]""");
        await Ops(client, tenant, HttpStatusCode.Conflict, """[{"op":"inc","counter":"lax"}]""");
        await Ops(client, tenant, HttpStatusCode.Conflict, """[{"op":"inc_if","counter":"lax","by":1,"if":{"lt":5}}]""");
        await Ops(client, tenant, HttpStatusCode.BadRequest, """[{"op":"mul","counter":"x"}]""");
        await Ops(client, tenant, HttpStatusCode.BadRequest, """[{"op":"set","counter":"x"}]""");
        await Ops(client, tenant, HttpStatusCode.BadRequest, """[{"op":"inc_if","counter":"x","if":{"lt":1,"gt":0}}]""");
        await Ops(client, tenant, HttpStatusCode.BadRequest, """[{"op":"inc","counter":"x","if":{"lt":1}}]""");
        await Ops(client, tenant, HttpStatusCode.BadRequest, """{"op":"inc","counter":"x"}""");
        await Ops(client, tenant, HttpStatusCode.BadRequest, "[]");
        await Ops(client, tenant, HttpStatusCode.BadRequest, "[" + string.Join(',', Enumerable.Repeat("""{"op":"inc","counter":"x"}""", 101)) + "]");
        await Ops(client, tenant, HttpStatusCode.BadRequest, """[{"op":"inc","counter":"x","by":9223372036854775807}]""");

        var after = await Ops(client, tenant, HttpStatusCode.OK, """[{"op":"get","counter":"x"},{"op":"get","counter":"y"}]""");
        Assert.Equal([2L, 0L], after.EnumerateArray().Select(static result => result.GetProperty("value").GetInt64()));
    }

    /// <summary>A retried mutation with the same key is answered the same, applied once; the same key with another request is refused.</summary>
    public async Task An_idempotency_key_applies_a_mutation_once_and_refuses_reuse_for_another_request()
    {
        var (tenant, client) = await TenantAsync("retry");
        await CreateStrictAsync(client, tenant, "s", 0);
        await TenantApi.CreateCounterAsync(client, tenant, "lax");

        var first = await Keyed(client, HttpMethod.Post, $"/tenants/{tenant}/s/inc?delta=5", "key-1", null);
        var second = await Keyed(client, HttpMethod.Post, $"/tenants/{tenant}/s/inc?delta=5", "key-1", null);
        var reused = await Keyed(client, HttpMethod.Post, $"/tenants/{tenant}/s/inc?delta=6", "key-1", null);
        var batch = """[{"op":"inc","counter":"s","by":1}]""";
        await Keyed(client, HttpMethod.Post, $"/tenants/{tenant}/ops", "key-2", batch);
        await Keyed(client, HttpMethod.Post, $"/tenants/{tenant}/ops", "key-2", batch);
        await Keyed(client, HttpMethod.Post, $"/tenants/{tenant}/lax/inc", "key-3", null);
        var laxAgain = await Keyed(client, HttpMethod.Post, $"/tenants/{tenant}/lax/inc", "key-3", null);

        Assert.Equal((HttpStatusCode.OK, false), (first.Status, first.Replayed));
        Assert.Equal((HttpStatusCode.OK, true, first.Body), (second.Status, second.Replayed, second.Body));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.Status);
        Assert.Equal((HttpStatusCode.Accepted, true), (laxAgain.Status, laxAgain.Replayed));
        Assert.Equal(6, await TenantApi.ValueAsync(client, tenant, "s"));
        // The exact total shows the keyed increment once its shard has it, and only once however long one waits.
        long lax = 0;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            lax = (await TenantApi.Expect(await client.GetAsync(new Uri($"/tenants/{tenant}/lax?consistency=strong", UriKind.Relative)), HttpStatusCode.OK)).GetProperty("value").GetInt64();
            if (lax > 1)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(1, lax);
        using var badKey = new HttpRequestMessage(HttpMethod.Post, $"/tenants/{tenant}/s/inc");
        badKey.Headers.TryAddWithoutValidation("Idempotency-Key", "has space");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(badKey)).StatusCode);
    }

    /// <summary>Sharded counters take inc, dec, set, get (exactly with consistency=strong) and del.</summary>
    public async Task Sharded_counters_take_the_plain_operations()
    {
        var (tenant, client) = await TenantAsync("lax");
        await TenantApi.CreateCounterAsync(client, tenant, "views", 10);

        await TenantApi.Expect(await client.PutAsJsonAsync($"/tenants/{tenant}/views", new { value = 100 }), HttpStatusCode.Accepted);
        await TenantApi.Expect(await client.PostAsync(new Uri($"/tenants/{tenant}/views/inc?delta=5", UriKind.Relative), null), HttpStatusCode.Accepted);
        await TenantApi.Expect(await client.PostAsync(new Uri($"/tenants/{tenant}/views/dec?delta=2", UriKind.Relative), null), HttpStatusCode.Accepted);

        // The set reaches the global entity on its own signal: the exact total shows it once processed, with the
        // increments after it, wherever they are buffered.
        JsonElement strong = default;
        for (var attempt = 0; attempt < 300; attempt++)
        {
            strong = await TenantApi.Expect(await client.GetAsync(new Uri($"/tenants/{tenant}/views?consistency=strong", UriKind.Relative)), HttpStatusCode.OK);
            if (strong.GetProperty("value").GetInt64() == 103)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(103, strong.GetProperty("value").GetInt64());
        Assert.Equal("sharded", strong.GetProperty("mode").GetString());
        await TenantApi.Expect(await client.GetAsync(new Uri($"/tenants/{tenant}/views?consistency=exact", UriKind.Relative)), HttpStatusCode.BadRequest);
        await TenantApi.Expect(await client.DeleteAsync(new Uri($"/tenants/{tenant}/views", UriKind.Relative)), HttpStatusCode.NoContent);
        Assert.Null(await TenantApi.ValueAsync(client, tenant, "views"));
    }

    /// <summary>Clear removes every counter of the tenant, strict and sharded; counters created after it count afresh.</summary>
    public async Task Clear_removes_every_counter_of_the_tenant_and_nothing_else()
    {
        var (tenant, client) = await TenantAsync("clear");
        var (other, _) = await TenantAsync("kept");
        await CreateStrictAsync(client, tenant, "s", 5);
        await TenantApi.CreateCounterAsync(client, tenant, "lax", 7);
        await TenantApi.CreateCounterAsync(client, other, "lax", 3);
        await TenantApi.IncrementAsync(client, tenant, "lax", 10);

        await Ops(client, tenant, HttpStatusCode.BadRequest, """[{"op":"clear"},{"op":"get","counter":"s"}]""");
        var cleared = await Ops(client, tenant, HttpStatusCode.OK, """[{"op":"clear"}]""");

        Assert.Equal("clear", cleared[0].GetProperty("op").GetString());
        Assert.Null(await TenantApi.ValueAsync(client, tenant, "s"));
        Assert.Null(await TenantApi.ValueAsync(client, tenant, "lax"));
        Assert.Equal(3, await TenantApi.ValueAsync(client, other, "lax"));
        await TenantApi.CreateCounterAsync(client, tenant, "lax", 1);
        await TenantApi.IncrementAsync(client, tenant, "lax");
        long? value = null;
        for (var attempt = 0; attempt < 300 && value != 2; attempt++)
        {
            await Task.Delay(100);
            value = (await TenantApi.Expect(await client.GetAsync(new Uri($"/tenants/{tenant}/lax?consistency=strong", UriKind.Relative)), HttpStatusCode.OK)).GetProperty("value").GetInt64();
        }

        Assert.Equal(2, value);
    }

    private async Task<(string Tenant, HttpClient Client)> TenantAsync(string prefix)
    {
        var tenant = TenantApi.UniqueTenant(prefix);
        await TenantApi.CreateTenantAsync(newClient, tenant);
        return (tenant, newClient());
    }

    private static async Task CreateStrictAsync(HttpClient client, string tenant, string counter, long initialValue)
    {
        using var response = await client.PostAsJsonAsync($"/tenants/{tenant}", new { counter, initialValue, mode = "strict" });
        var created = await TenantApi.Expect(response, HttpStatusCode.Created);
        Assert.Equal("strict", created.GetProperty("mode").GetString());
    }

    private static async Task<JsonElement> Ops(HttpClient client, string tenant, HttpStatusCode expected, string body)
    {
        using var response = await client.PostAsync(new Uri($"/tenants/{tenant}/ops", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        return await TenantApi.Expect(response, expected);
    }

    private static async Task<(HttpStatusCode Status, bool Replayed, string Body)> Keyed(HttpClient client, HttpMethod method, string path, string key, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Idempotency-Key", key);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Single() == "true";
        return (response.StatusCode, replayed, await response.Content.ReadAsStringAsync());
    }

    private static ModelOperation RandomOperation(Random random, string[] names, Dictionary<string, long> model)
    {
        var counter = names[random.Next(names.Length)];
        var near = model[counter] + random.Next(-1, 2);
        return random.Next(6) switch
        {
            0 => new("inc", counter, random.Next(-3, 4), null),
            1 => new("dec", counter, random.Next(0, 4), null),
            2 => new("set", counter, random.Next(-5, 6), null),
            3 => new("get", counter, 0, null),
            4 => new("inc_if", counter, random.Next(1, 3), (Comparators[random.Next(6)], near)),
            _ => new("set_if", counter, random.Next(-5, 6), (Comparators[random.Next(6)], near)),
        };
    }

    /// <summary>What the model answers, applying to <paramref name="model"/> only when the batch is not refused.</summary>
    private static List<(long Value, long Previous, bool Applied)> Model(Dictionary<string, long> model, List<ModelOperation> operations, out bool refused)
    {
        var values = new Dictionary<string, long>(model);
        var results = new List<(long, long, bool)>();
        refused = false;
        foreach (var operation in operations)
        {
            var before = values[operation.Counter];
            if (operation.Condition is { } condition && !Holds(before, condition.Comparator, condition.Operand))
            {
                if (operations.Count > 1)
                {
                    refused = true;
                    return [];
                }

                results.Add((before, before, false));
                return results;
            }

            var after = operation.Op switch
            {
                "inc" or "inc_if" => before + operation.Amount,
                "dec" => before - operation.Amount,
                "set" or "set_if" => operation.Amount,
                _ => before,
            };
            values[operation.Counter] = after;
            results.Add((after, before, true));
        }

        foreach (var (counter, value) in values)
        {
            model[counter] = value;
        }

        return results;
    }

    private static bool Holds(long value, string comparator, long operand) => comparator switch
    {
        "eq" => value == operand,
        "ne" => value != operand,
        "gt" => value > operand,
        "ge" => value >= operand,
        "lt" => value < operand,
        _ => value <= operand,
    };

    private sealed record ModelOperation(string Op, string Counter, long Amount, (string Comparator, long Operand)? Condition)
    {
        public Dictionary<string, object> Json
        {
            get
            {
                var json = new Dictionary<string, object> { ["op"] = Op, ["counter"] = Counter };
                if (Op is "set" or "set_if")
                {
                    json["value"] = Amount;
                }
                else if (Op != "get")
                {
                    json["by"] = Amount;
                }

                if (Condition is { } condition)
                {
                    json["if"] = new Dictionary<string, long> { [condition.Comparator] = condition.Operand };
                }

                return json;
            }
        }
    }
}
