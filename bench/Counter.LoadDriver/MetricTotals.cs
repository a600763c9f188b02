using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Counter.LoadDriver;

/// <summary>
/// Sums every measurement of the service's own instruments (meters named <c>Counter.*</c>) in this process:
/// counters add up their values, histograms count their records. Exact, unlike sampling them from outside.
/// </summary>
internal sealed class MetricTotals : IDisposable
{
    private const string MeterPrefix = "Counter.";

    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, double> totals = new(StringComparer.Ordinal);

    public MetricTotals()
    {
        listener.InstrumentPublished = (instrument, meterListener) =>
        {
            if (instrument.Meter.Name.StartsWith(MeterPrefix, StringComparison.Ordinal) && instrument is not ObservableInstrument<int> and not ObservableInstrument<long>)
            {
                meterListener.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Record(instrument, value));
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Record(instrument, value));
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Record(instrument, value));
        listener.Start();
    }

    public IReadOnlyDictionary<string, double> Snapshot() => new Dictionary<string, double>(totals, StringComparer.Ordinal);

    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, double value)
    {
        var isHistogram = instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() == typeof(Histogram<>);
        totals.AddOrUpdate(instrument.Name, isHistogram ? 1 : value, (_, total) => total + (isHistogram ? 1 : value));
    }
}
