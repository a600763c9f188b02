using Azure.Core;

namespace Counter.Storage.Tables;

/// <summary>Azure.Core's client options (retry, diagnostics, transport) plus the clock that dates requests.</summary>
public sealed class TableClientOptions : ClientOptions
{
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
