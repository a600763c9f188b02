namespace Counter.Core.Tests.Keys;

public sealed class CounterKeyTests
{
    [Theory]
    [InlineData("default", "page-views")]
    [InlineData("acme", "a_b.c:d'e@f~g+h")]
    [InlineData("tenant", "Zähler")]
    [InlineData("東京", "カウンター")]
    [InlineData("hindi", "गिनती")]
    [InlineData("arabic", "عداد٣")]
    [InlineData("marks", "e\u0301")]
    [InlineData("astral-plane", "𝔸𝔹ℂ")]
    [InlineData("t", "...")]
    public void Letters_digits_marks_and_the_allowed_punctuation_of_any_script_are_accepted(string tenant, string name)
    {
        var key = CounterKey.Create(tenant, name);

        Assert.Equal((tenant, name), (key.Tenant, key.Name));
    }

    [Fact]
    public void Names_and_tenants_at_their_maximum_length_are_accepted()
    {
        var key = CounterKey.Create(new string('t', KeyRules.MaxTenantLength), new string('n', KeyRules.MaxNameLength));

        Assert.Equal(256, key.Name.Length);
        Assert.Equal(64, key.Tenant.Length);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a b")]
    [InlineData("a\u00a0b")]
    [InlineData("a\tb")]
    [InlineData("a\u0000b")]
    [InlineData("a\u007fb")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a%b")]
    [InlineData("😀")]
    public void Invalid_names_are_refused_naming_the_counter_field(string? name)
    {
        var refused = Assert.Throws<InvalidCounterKeyException>(() => CounterKey.Create("default", name));
        var refusedWithName = Assert.Throws<InvalidCounterKeyException>(() => CounterKey.Create("acme", "fine").WithName(name));

        Assert.Equal(KeyRules.CounterField, refused.Field);
        Assert.Equal(KeyRules.CounterField, refused.ParamName);
        Assert.Equal(KeyRules.CounterField, refusedWithName.Field);
    }

    [Fact]
    public void A_key_with_another_name_keeps_its_tenant()
    {
        var key = CounterKey.Create("acme", "a").WithName("b");

        Assert.Equal(CounterKey.Create("acme", "b"), key);
        Assert.Equal(CounterKey.Create("acme", "b").GetHashCode(), key.GetHashCode());
    }

    // Built in code: attribute arguments are stored as UTF-8, which cannot carry a lone surrogate.
    [Theory]
    [InlineData(0xD800, 1)]
    [InlineData(0xD800, 2)]
    [InlineData(0xDC00, 0)]
    [InlineData(0xDC00, 2)]
    public void A_lone_surrogate_is_refused(int codeUnit, int position)
    {
        var name = "ab".Insert(position, ((char)codeUnit).ToString());

        var refused = Assert.Throws<InvalidCounterKeyException>(() => CounterKey.Create("default", name));

        Assert.Equal(KeyRules.CounterField, refused.Field);
        Assert.Contains("UTF-16", refused.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("..")]
    public void Invalid_tenants_are_refused_naming_the_tenant_field(string tenant)
    {
        var refused = Assert.Throws<InvalidCounterKeyException>(() => CounterKey.Create(tenant, "name"));

        Assert.Equal(KeyRules.TenantField, refused.Field);
    }

    [Fact]
    public void A_name_longer_than_256_characters_is_refused()
    {
        var refused = Assert.Throws<InvalidCounterKeyException>(() => CounterKey.Create("t", new string('n', 257)));

        Assert.Equal(KeyRules.CounterField, refused.Field);
        Assert.Contains("256", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tenant_longer_than_64_characters_is_refused()
    {
        var refused = Assert.Throws<InvalidCounterKeyException>(() => CounterKey.Create(new string('t', 65), "name"));

        Assert.Equal(KeyRules.TenantField, refused.Field);
    }

    [Theory]
    [InlineData("default", "page-views")]
    [InlineData("東京", "カウンター")]
    [InlineData("a:b", "c@d")]
    public void Parsing_the_composite_form_round_trips(string tenant, string name)
    {
        var key = CounterKey.Create(tenant, name);

        Assert.Equal(key, CounterKey.Parse(key.ToString()));
    }

    [Fact]
    public void Keys_made_apart_from_the_same_parts_are_one_key_in_a_set_and_differ_from_keys_of_other_parts()
    {
        var keys = new HashSet<CounterKey>
        {
            CounterKey.Create("default", "likes"),
            CounterKey.Parse(string.Concat("default", "/", "likes")),
            CounterKey.Create("default", "Likes"),
            CounterKey.Create("other", "likes"),
        };

        Assert.Equal(3, keys.Count);
        Assert.Contains(CounterKey.Create(new string("default"), new string("likes")), keys);
        Assert.DoesNotContain(CounterKey.Create("default", "likes2"), keys);
    }

    [Theory]
    [InlineData("no-separator")]
    [InlineData("/name")]
    [InlineData("tenant/")]
    [InlineData("tenant/a/b")]
    public void Parsing_a_malformed_composite_is_refused(string composite) =>
        Assert.Throws<InvalidCounterKeyException>(() => CounterKey.Parse(composite));

    [Fact]
    public void Keys_order_by_tenant_then_name_ordinally()
    {
        var keys = new[] { CounterKey.Create("b", "a"), CounterKey.Create("a", "b"), CounterKey.Create("a", "B") };

        Assert.Equal([CounterKey.Create("a", "B"), CounterKey.Create("a", "b"), CounterKey.Create("b", "a")], keys.Order());
    }
}
