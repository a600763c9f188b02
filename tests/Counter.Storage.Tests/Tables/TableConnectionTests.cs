using Counter.Storage.Tables;

namespace Counter.Storage.Tests.Tables;

public sealed class TableConnectionTests
{
    [Fact]
    public void Development_storage_is_Azurite_on_its_well_known_port_and_account()
    {
        var connection = TableConnection.Parse("UseDevelopmentStorage=true");

        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), connection.Endpoint);
        Assert.Equal(TableConnection.DevelopmentAccountName, connection.AccountName);
    }

    [Fact]
    public void Without_TableEndpoint_the_endpoint_follows_protocol_account_and_suffix()
    {
        var connection = TableConnection.Parse("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.chinacloudapi.cn");

        Assert.Equal(new Uri("https://acct.table.core.chinacloudapi.cn"), connection.Endpoint);
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountKey=c2VjcmV0", "no AccountName")]
    [InlineData("AccountName=acct", "no AccountKey")]
    [InlineData("AccountName=acct;AccountKey=not*base64", "not valid base64")]
    [InlineData("AccountName=acct;AccountKey=a2V5;TableEndpoint=ftp://x", "not an absolute http(s) URI")]
    public void A_bad_connection_string_says_what_is_wrong_without_printing_the_key(string connectionString, string expected)
    {
        var error = Assert.Throws<FormatException>(() => TableConnection.Parse(connectionString));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not*base64", error.Message, StringComparison.Ordinal);
    }
}
