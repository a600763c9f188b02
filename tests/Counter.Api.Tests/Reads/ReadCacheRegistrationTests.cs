using Counter.Core;
using Counter.Storage;
using Counter.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Counter.Api.Tests.Reads;

public sealed class ReadCacheRegistrationTests : IDisposable
{
    private readonly TempDirectory folder = new();

    [Fact]
    public void The_store_a_host_registered_is_served_behind_one_cache_for_reads_and_writes()
    {
        using var services = Build([]);

        var store = services.GetRequiredService<ISnapshotStore>();

        Assert.IsType<CachedSnapshotStore>(store);
        Assert.Same(store, services.GetRequiredService<ISnapshotStore>());
        Assert.IsType<SqliteSnapshotStore>(services.GetRequiredKeyedService<ISnapshotStore>(ReadCacheServiceCollectionExtensions.InnerStoreKey));
    }

    [Fact]
    public void A_size_limit_of_zero_turns_the_cache_off()
    {
        using var services = Build(new() { ["ReadCache:SizeLimit"] = "0" });

        Assert.IsType<SqliteSnapshotStore>(services.GetRequiredService<ISnapshotStore>());
    }

    [Theory]
    [InlineData("ReadCache:SizeLimit", "-1", "ReadCache:SizeLimit must be between 0 and 10000000; it was -1.")]
    [InlineData("ReadCache:TimeToLive", "00:00:00", "ReadCache:TimeToLive must be greater than 00:00:00 and at most 00:01:00; it was 00:00:00.")]
    [InlineData("ReadCache:TimeToLive", "00:01:00.001", "ReadCache:TimeToLive must be greater than 00:00:00 and at most 00:01:00; it was 00:01:00.0010000.")]
    public void Invalid_options_are_refused_naming_them(string key, string value, string problem)
    {
        using var services = Build(new() { [key] = value });

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<ISnapshotStore>());

        Assert.Contains(problem, failure.Failures);
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        var options = new ReadCacheOptions();

        Assert.Empty(options.Validate());
        Assert.Equal(100_000, options.SizeLimit);
        Assert.Equal(TimeSpan.FromSeconds(2), options.TimeToLive);
    }

    [Fact]
    public void The_cache_needs_the_store_registered_first()
    {
        var services = new ServiceCollection();

        var failure = Assert.Throws<InvalidOperationException>(() => services.AddReadCache(new ConfigurationBuilder().Build()));

        Assert.Contains("before the read cache", failure.Message, StringComparison.Ordinal);
    }

    public void Dispose() => folder.Dispose();

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ISnapshotStore>(_ => new SqliteSnapshotStore(folder.File("counters.db"), SqliteSynchronous.Full));
        services.AddReadCache(configuration);
        return services.BuildServiceProvider();
    }
}
