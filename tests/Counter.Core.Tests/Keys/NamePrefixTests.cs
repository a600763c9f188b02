namespace Counter.Core.Tests.Keys;

public sealed class NamePrefixTests
{
    [Theory]
    [InlineData("lag-", "lag.")]
    [InlineData(".", "/")]
    [InlineData("Zähler", "Zähles")]
    [InlineData("x𠀀", "x𠀁")]
    [InlineData("e\u0301", "e\u0302")]
    public void A_prefix_ends_before_its_last_character_s_next_code_point(string value, string end)
    {
        var prefix = NamePrefix.Create(value);

        Assert.Equal((value, end), (prefix.Value, prefix.End));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("a\uD800")]
    public void A_prefix_no_name_could_start_with_is_refused_naming_the_prefix(string? value)
    {
        var refused = Assert.Throws<InvalidCounterKeyException>(() => NamePrefix.Create(value));

        Assert.Equal(KeyRules.PrefixField, refused.Field);
    }

    [Fact]
    public void A_prefix_is_at_most_as_long_as_a_name()
    {
        Assert.Equal(KeyRules.MaxNameLength, NamePrefix.Create(new string('n', KeyRules.MaxNameLength)).Value.Length);
        Assert.Throws<InvalidCounterKeyException>(() => NamePrefix.Create(new string('n', KeyRules.MaxNameLength + 1)));
    }
}
