namespace Counter.DurableHost.Tests;

/// <summary>Polls what a test expects to become true over the asynchronous backend, until it is or the deadline passes.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Reads <paramref name="read"/> until <paramref name="done"/> holds; returns the value that satisfied it, else fails with the last one.</summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{what ?? "The condition"} did not hold within {timeout ?? DefaultTimeout}; last seen: {value}");
            }

            await Task.Delay(200);
        }
    }
}
