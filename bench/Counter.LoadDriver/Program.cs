using System.Diagnostics;
using System.Globalization;
using Counter.LoadDriver;

// bench/run calls:
//   load --url U --increments N --counters C [--per-request P] [--concurrency K] [--visible-within-seconds S] [--pid PID]
//        [--mode batch|single] [--counter-prefix NAME] [--send-seconds T]
//     sends exactly N increments (or, with --send-seconds, those sent within T seconds, at most N), as
//     /increments bodies of P counters or, with --mode single, one /increment/{counter} each, to counters named
//     NAME0, NAME1, ... (default bench-); waits until the read path shows all of them, prints the merges it took and, with
//     --pid, the server's peak resident memory.
//   load --server-dll PATH ... [-- SERVER ARGUMENTS]
//     the same against the service run in this process, and also prints the totals of its instruments (metric.NAME=).
//   lag --url U [--per-second R] [--seconds D] [--timeout-seconds T] [--start-after-seconds W]
//     prints the read-path lag of single increments sent at a steady rate (after W seconds, e.g. once a concurrent load runs).
//   visible --url U --increments N [--visible-within-seconds S]
//     waits until all counters on the read path add up to exactly N, the increments accepted before; fails if they do not.
//   states --connection CONNECTION_STRING --task-hub H
//     prints the sizes of the Durable entities' states as the task hub stores them (EntityStates).
// Any command: [--time-limit-seconds L] gives up after L seconds (default 180).
// Each prints one "driver-result key=value ..." line for bench/run.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Counter.LoadDriver load|lag|visible --url http://127.0.0.1:PORT/ [options]");
    return 2;
}

var arguments = new Arguments(args.Skip(1));
using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(arguments.Number("time-limit-seconds", 180)));
if (args[0] == "states")
{
    var (largest, figures) = await EntityStates.MeasureAsync(arguments.Text("connection"), arguments.Text("task-hub"), cancellation.Token);
    Print(figures, $"largest={largest}");
    return 0;
}

using var metrics = arguments.OptionalText("server-dll") is null ? null : new MetricTotals();
var url = arguments.OptionalText("server-dll") is { } serverDll
    ? InProcessServer.Start(serverDll, arguments.PassedOn)
    : new Uri(arguments.Text("url"));
// As many connections as senders, so that every sender has a request in flight (coalescing gathers what is in flight).
using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = (int)Math.Max(64, arguments.Number("concurrency", 32)) })
{
    BaseAddress = url,
    Timeout = TimeSpan.FromSeconds(30),
};

// bench/run configures the services with this operator key, for the inspection routes the driver reads.
if (Environment.GetEnvironmentVariable("COUNTER_BENCH_KEY") is { Length: > 0 } operatorKey)
{
    client.DefaultRequestHeaders.Add("X-API-Key", operatorKey);
}
if (metrics is not null)
{
    await InProcessServer.WaitUntilHealthyAsync(client, cancellation.Token);
}

switch (args[0])
{
    case "load":
        await LoadAsync();
        return 0;
    case "lag":
        await LagAsync();
        return 0;
    case "visible":
        await VisibleAsync();
        return 0;
    default:
        Console.Error.WriteLine($"unknown command '{args[0]}'");
        return 2;
}

async Task LoadAsync()
{
    var counterPrefix = arguments.OptionalText("counter-prefix") ?? IncrementSender.DefaultCounterPrefix;
    var sender = new IncrementSender(
        client, Mode(arguments.OptionalText("mode")), counterPrefix, (int)arguments.Number("counters", 10), (int)arguments.Number("per-request", 100));
    var sendFor = arguments.OptionalNumber("send-seconds") is { } seconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.MaxValue;
    var started = Stopwatch.GetTimestamp();
    await sender.SendAsync(arguments.Number("increments", 1_000_000), (int)arguments.Number("concurrency", 32), sendFor, cancellation.Token);
    var sending = Stopwatch.GetElapsedTime(started);
    var increments = sender.Accepted;
    var readPath = new ReadPath(client);
    var visibleAfter = await readPath.WaitForCountsAsync(
        sender.ExpectedCounts(), TimeSpan.FromSeconds(arguments.Number("visible-within-seconds", 30)), cancellation.Token);
    var merges = await readPath.MergesAsync(cancellation.Token);
    var peak = arguments.OptionalNumber("pid") is { } pid ? PeakResidentKilobytes((int)pid) : 0;
    Print(
    [
        ("increments", increments),
        ("send_s", sending.TotalSeconds),
        ("increments_per_s", increments / sending.TotalSeconds),
        ("retries", sender.Retries),
        ("visible_after_s", visibleAfter.TotalSeconds),
        ("merges", merges),
        ("peak_rss_kb", peak),
        .. metrics?.Snapshot().Select(metric => ("metric." + metric.Key, metric.Value)) ?? [],
    ]);
}

async Task LagAsync()
{
    if (arguments.OptionalNumber("start-after-seconds") is { } wait)
    {
        await Task.Delay(TimeSpan.FromSeconds(wait), cancellation.Token);
    }

    var lags = await new ReadPathLag(client).MeasureAsync(
        (int)arguments.Number("per-second", 50),
        TimeSpan.FromSeconds(arguments.Number("seconds", 15)),
        TimeSpan.FromSeconds(arguments.Number("timeout-seconds", 20)),
        cancellation.Token);
    Print(
    [
        ("samples", lags.Count),
        ("p50_ms", Percentile(lags, 0.50).TotalMilliseconds),
        ("p99_ms", Percentile(lags, 0.99).TotalMilliseconds),
        ("max_ms", lags[^1].TotalMilliseconds),
    ]);
}

async Task VisibleAsync()
{
    var increments = long.Parse(arguments.Text("increments"), CultureInfo.InvariantCulture);
    var visibleAfter = await new ReadPath(client).WaitForSumAsync(
        increments, TimeSpan.FromSeconds(arguments.Number("visible-within-seconds", 30)), cancellation.Token);
    Print([("increments", increments), ("visible_after_s", visibleAfter.TotalSeconds)]);
}

static IncrementMode Mode(string? name) => name switch
{
    null or "batch" => IncrementMode.Batch,
    "single" => IncrementMode.Single,
    _ => throw new ArgumentException($"--mode is batch or single, not '{name}'."),
};

static TimeSpan Percentile(IReadOnlyList<TimeSpan> sorted, double fraction) =>
    sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(fraction * sorted.Count) - 1)];

// VmHWM: the highest resident set size the process has had.
static long PeakResidentKilobytes(int pid) =>
    File.ReadLines($"/proc/{pid}/status")
        .Where(line => line.StartsWith("VmHWM:", StringComparison.Ordinal))
        .Select(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture))
        .Single();

static void Print(IEnumerable<(string Name, double Value)> figures, string? first = null) =>
    Console.WriteLine("driver-result " + (first is null ? "" : first + " ")
        + string.Join(' ', figures.Select(figure => string.Create(CultureInfo.InvariantCulture, $"{figure.Name}={figure.Value:0.###}"))));
