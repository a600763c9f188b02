using Azure.Identity;
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
    [InlineData("https://acct.table.core.windows.net/")]
    [InlineData("https://acct.table.core.windows.net")]
    [InlineData("http://127.0.0.1:10002/devstoreaccount1/")]
    public void A_table_endpoint_with_or_without_its_trailing_slash_is_an_endpoint(string setting)
    {
        Assert.True(TableConnection.IsEndpoint(setting));
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5")]
    [InlineData("UseDevelopmentStorage=true")]
    [InlineData("acct.table.core.windows.net")]
    public void A_connection_string_or_a_bare_host_is_not_an_endpoint(string setting)
    {
        Assert.False(TableConnection.IsEndpoint(setting));
    }

    [Theory]
    [InlineData("https://acct.table.core.windows.net/", "https://acct.table.core.windows.net/")]
    [InlineData("http://127.0.0.1:10002/devstoreaccount1/", "http://127.0.0.1:10002/devstoreaccount1")]
    public void A_credential_endpoint_loses_the_trailing_slash_the_request_paths_would_double(string endpoint, string expected)
    {
        var connection = TableConnection.FromCredential(new Uri(endpoint), new DefaultAzureCredential());

        Assert.Equal(expected, connection.Endpoint.AbsoluteUri);
        Assert.Null(connection.AccountName);
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
