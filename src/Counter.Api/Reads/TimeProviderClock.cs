using Microsoft.Extensions.Internal;

namespace Counter.Api;

/// <summary>
/// The host's <see cref="TimeProvider"/> as the clock <see cref="Microsoft.Extensions.Caching.Memory.MemoryCache"/>
/// expires entries by (it takes no TimeProvider), so that a test moving the host's clock moves the cache's too.
/// </summary>
internal sealed class TimeProviderClock(TimeProvider timeProvider) : ISystemClock
{
    public DateTimeOffset UtcNow => timeProvider.GetUtcNow();
}
