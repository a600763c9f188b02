using Counter.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Counter.Api;

/// <summary>How every host puts <see cref="CachedSnapshotStore"/> in front of the snapshot store it registered.</summary>
public static class ReadCacheServiceCollectionExtensions
{
    /// <summary>The key under which the host's own store stays registered, behind the cache.</summary>
    public const string InnerStoreKey = "read-cache-inner";

    /// <summary>
    /// Binds and validates <see cref="ReadCacheOptions"/> (on start) and replaces the <see cref="ISnapshotStore"/>
    /// registered so far by the cache over it, one per process, so that the handlers' reads and the entity runtime's
    /// snapshot writes go through the same instance. The host's store stays registered under
    /// <see cref="InnerStoreKey"/>, so the container still creates and disposes it. Call once, after the store is
    /// registered. With <c>ReadCache:SizeLimit</c> = 0 the host's store is used as it is.
    /// </summary>
    public static IServiceCollection AddReadCache(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ReadCacheOptions>().Bind(configuration.GetSection(ReadCacheOptions.SectionName)).ValidateProblemsOnStart(static options => options.Validate());

        var store = services.LastOrDefault(static service => service.ServiceType == typeof(ISnapshotStore) && !service.IsKeyedService)
            ?? throw new InvalidOperationException("Register the snapshot store (ISnapshotStore) before the read cache over it.");
        if (store.Lifetime != ServiceLifetime.Singleton)
        {
            throw new InvalidOperationException("The snapshot store must be a singleton: the read cache over it is one per process.");
        }

        services.Remove(store);
        services.Add(Keyed(store));
        services.AddSingleton<ISnapshotStore>(static provider =>
        {
            var inner = provider.GetRequiredKeyedService<ISnapshotStore>(InnerStoreKey);
            var options = provider.GetRequiredService<IOptions<ReadCacheOptions>>().Value;
            return options.SizeLimit == 0
                ? inner
                : new CachedSnapshotStore(inner, options, provider.GetService<TimeProvider>() ?? TimeProvider.System);
        });
        return services;
    }

    /// <summary>The same registration under <see cref="InnerStoreKey"/>.</summary>
    private static ServiceDescriptor Keyed(ServiceDescriptor store)
    {
        if (store.ImplementationInstance is { } instance)
        {
            return new ServiceDescriptor(typeof(ISnapshotStore), InnerStoreKey, instance);
        }

        if (store.ImplementationFactory is { } factory)
        {
            return new ServiceDescriptor(typeof(ISnapshotStore), InnerStoreKey, (provider, _) => factory(provider), ServiceLifetime.Singleton);
        }

        return new ServiceDescriptor(typeof(ISnapshotStore), InnerStoreKey, store.ImplementationType!, ServiceLifetime.Singleton);
    }
}
