using Counter.Core;
using Counter.Storage;
using Counter.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Counter.Api.Tests.Reads;

/// <summary>The strict counters' mirror over a real SQLite snapshot file.</summary>
public sealed class StrictMirrorTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly CounterKey Seats = CounterKey.Create("shop", "seats");
    private static readonly CounterKey Stock = CounterKey.Create("shop", "stock");
    private static readonly CounterKey Gone = CounterKey.Create("old", "visits");
    private readonly TempDirectory folder = new();

    [Fact]
    public async Task Changes_reach_the_read_path_in_their_order_and_a_removal_takes_only_what_came_before_it()
    {
        var store = Store();
        using var mirror = Mirror(store, TimeSpan.Zero, TimeProvider.System);

        // Queued before the mirror runs, so that they are taken together.
        await mirror.MirrorAsync(Change(1, (Seats, 1)), default);
        await mirror.MirrorAsync(Change(2, (Seats, 2), (Stock, 9)), default);
        await mirror.MirrorAsync(Change(3, (Gone, 4)), default);
        await mirror.MirrorAsync(Removal(4, Stock), default);
        await mirror.MirrorAsync(Change(5, (Seats, 3)), default);
        await mirror.MirrorAsync(Change(6, (Stock, 1)), default);
        await mirror.StartAsync(default);
        await mirror.RemoveTenantAsync("old", default);
        await mirror.StopAsync(default);

        Assert.Equal(new SnapshotRow(Seats, 3, 5, Noon.AddTicks(5)), await store.ReadAsync(Seats, default));
        Assert.Equal(new SnapshotRow(Stock, 1, 6, Noon.AddTicks(6)), await store.ReadAsync(Stock, default));
        Assert.Null(await store.ReadAsync(Gone, default));
    }

    [Fact]
    public async Task What_is_queued_at_stop_is_written_and_a_change_after_it_is_written_at_once()
    {
        var store = Store();
        using var mirror = Mirror(store, TimeSpan.FromMinutes(1), TimeProvider.System);
        await mirror.StartAsync(default);
        await mirror.MirrorAsync(Change(1, (Seats, 7)), default);
        await mirror.StopAsync(default);
        Assert.Equal(7, (await store.ReadAsync(Seats, default))!.Value);

        await mirror.MirrorAsync(Change(2, (Seats, 8)), default);

        Assert.Equal(8, (await store.ReadAsync(Seats, default))!.Value);
    }

    [Fact]
    public async Task Changes_gather_for_the_interval_and_each_counter_is_written_once_with_its_latest_value()
    {
        var store = new CountingStore(Store());
        var clock = new ManualTimeProvider(Noon);
        using var mirror = Mirror(store, TimeSpan.FromMilliseconds(250), clock);
        await mirror.StartAsync(default);

        for (var version = 1; version <= 100; version++)
        {
            await mirror.MirrorAsync(Change(version, (Seats, version), (Stock, -version)), default);
        }

        await WaitUntilAsync(() => clock.HasTimers);
        Assert.Null(await store.ReadAsync(Seats, default));
        clock.Advance(TimeSpan.FromMilliseconds(250));
        await WaitUntilAsync(() => store.Writes == 1);

        Assert.Equal(new SnapshotRow(Seats, 100, 100, Noon.AddTicks(100)), await store.ReadAsync(Seats, default));
        Assert.Equal(-100, (await store.ReadAsync(Stock, default))!.Value);
        Assert.Equal(2, store.RowsWritten);
        await mirror.StopAsync(default);
    }

    [Fact]
    public async Task A_change_that_comes_while_the_interval_is_written_gathers_for_the_next_interval()
    {
        var store = new CountingStore(Store());
        var clock = new ManualTimeProvider(Noon);
        using var mirror = Mirror(store, TimeSpan.FromMilliseconds(250), clock);
        await mirror.StartAsync(default);
        await mirror.MirrorAsync(Change(1, (Seats, 1)), default);
        await WaitUntilAsync(() => clock.HasTimers);
        var held = store.HoldNextWrite();
        clock.Advance(TimeSpan.FromMilliseconds(250));
        await held.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await mirror.MirrorAsync(Change(2, (Seats, 2)), default);
        held.Release();

        await WaitUntilAsync(() => store.Writes == 1 && clock.HasTimers);
        Assert.Equal(1, (await store.ReadAsync(Seats, default))!.Value);
        clock.Advance(TimeSpan.FromMilliseconds(250));
        await WaitUntilAsync(() => store.Writes == 2);
        Assert.Equal(2, (await store.ReadAsync(Seats, default))!.Value);
        await mirror.StopAsync(default);
    }

    [Fact]
    public async Task Neither_a_tenant_removal_nor_half_the_capacity_waits_for_the_interval()
    {
        var store = Store();
        var clock = new ManualTimeProvider(Noon);
        using var mirror = Mirror(store, TimeSpan.FromMinutes(1), clock);
        await mirror.StartAsync(default);

        await mirror.MirrorAsync(Change(1, (Seats, 5)), default);
        await mirror.RemoveTenantAsync("old", default).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(5, (await store.ReadAsync(Seats, default))!.Value);

        var counters = Enumerable.Range(0, StrictMirror.Capacity / 2).Select(index => CounterKey.Create("shop", $"c{index}")).ToList();
        for (var index = 0; index < counters.Count; index++)
        {
            await mirror.MirrorAsync(Change(2 + index, (counters[index], index)), default);
        }

        await WaitUntilAsync(() => store.ReadAsync(counters[^1], default).GetAwaiter().GetResult() is not null);
        await mirror.StopAsync(default);
        Assert.Equal(counters.Count - 1, (await store.ReadAsync(counters[^1], default))!.Value);
    }

    [Fact]
    public async Task Changes_of_one_counter_take_one_place_and_a_change_waits_for_room_once_the_capacity_is_used()
    {
        var store = new CountingStore(Store());
        var clock = new ManualTimeProvider(Noon);
        using var mirror = Mirror(store, TimeSpan.FromMinutes(1), clock);
        var counters = Enumerable.Range(0, StrictMirror.Capacity).Select(index => CounterKey.Create("shop", $"c{index}")).ToList();

        // Not started: nothing is taken, so what waits is all that was queued.
        for (var version = 1; version <= StrictMirror.Capacity * 2; version++)
        {
            Assert.True(mirror.MirrorAsync(Change(version, (Seats, version)), default).IsCompletedSuccessfully);
        }

        for (var index = 1; index < counters.Count; index++)
        {
            Assert.True(mirror.MirrorAsync(Change(index, (counters[index], index)), default).IsCompletedSuccessfully);
        }

        var waitsForRoom = mirror.MirrorAsync(Change(1, (counters[0], 1)), default).AsTask();
        await Task.Delay(100);
        Assert.False(waitsForRoom.IsCompleted);

        await mirror.StartAsync(default);
        await waitsForRoom.WaitAsync(TimeSpan.FromSeconds(30));
        await mirror.StopAsync(default);
        Assert.Equal(StrictMirror.Capacity * 2, (await store.ReadAsync(Seats, default))!.Value);
        Assert.Equal(1, (await store.ReadAsync(counters[0], default))!.Value);
        Assert.Equal(StrictMirror.Capacity + 1, store.RowsWritten);
    }

    public void Dispose() => folder.Dispose();

    private static StrictMirror Mirror(ISnapshotStore store, TimeSpan interval, TimeProvider clock) =>
        new(store, Options.Create(new TenantOptions { StrictMirrorInterval = interval }), clock, NullLogger<StrictMirror>.Instance);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The mirror did not get there within 30 s.");
            await Task.Delay(10);
        }
    }

    private SqliteSnapshotStore Store() => new(folder.File("counters.db"), SqliteSynchronous.Full);

    private static SnapshotBatch Change(long version, params (CounterKey Key, long Value)[] rows) =>
        new(version, Noon.AddTicks(version), rows.Select(row => new SnapshotRow(row.Key, row.Value, version, Noon.AddTicks(version))).ToList());

    private static SnapshotBatch Removal(long version, CounterKey counter) => new(version, Noon.AddTicks(version), [], [counter]);

    /// <summary>The real store, counting the writes that reach it; one write can be held before it starts.</summary>
    private sealed class CountingStore(SqliteSnapshotStore inner) : ISnapshotStore
    {
        private int writes;
        private int rows;
        private HeldWrite? held;

        public HeldWrite HoldNextWrite() => held = new HeldWrite();

        public int Writes => Volatile.Read(ref writes);

        public int RowsWritten => Volatile.Read(ref rows);

        public async Task WriteAsync(SnapshotBatch batch, CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref held, null) is { } hold)
            {
                hold.Started.TrySetResult();
                await hold.Released.Task;
            }

            await inner.WriteAsync(batch, cancellationToken);
            Interlocked.Add(ref rows, batch.Rows.Count);
            Interlocked.Increment(ref writes);
        }

        public Task RemoveTenantAsync(string tenant, CancellationToken cancellationToken) => inner.RemoveTenantAsync(tenant, cancellationToken);

        public Task<SnapshotRow?> ReadAsync(CounterKey counter, CancellationToken cancellationToken) => inner.ReadAsync(counter, cancellationToken);

        public Task<SnapshotPage> ReadPageAsync(string tenant, NamePrefix? prefix, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
            inner.ReadPageAsync(tenant, prefix, continuationToken, pageSize, cancellationToken);
    }

    private sealed class HeldWrite
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => Released.TrySetResult();
    }
}
