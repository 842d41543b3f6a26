using System.ComponentModel.DataAnnotations;

namespace Junction.Destinations.Delivery.Journal;

/// <summary>
/// Settings of the delivery journal (configuration section <c>DeliveryJournal</c>). Traces are detail: they are kept
/// for <see cref="Retention"/> and capped at <see cref="MaxTraceSteps"/> rows. Dead letters and metrics are kept on
/// their own, longer clocks.
/// </summary>
internal sealed class DeliveryJournalOptions
{
    public const string Section = "DeliveryJournal";

    /// <summary>How long the steps of each event's trace are kept (<c>DeliveryJournal:Retention</c>).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "366.00:00:00", ErrorMessage = "DeliveryJournal:Retention must be from one hour to 366 days.")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The most trace steps kept; the oldest go first (<c>DeliveryJournal:MaxTraceSteps</c>).</summary>
    [Range(10_000L, long.MaxValue, ErrorMessage = "DeliveryJournal:MaxTraceSteps must be at least 10000.")]
    public long MaxTraceSteps { get; set; } = 20_000_000;

    /// <summary>How long dead letters are kept, re-sent or not (<c>DeliveryJournal:DeadLetterRetention</c>).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3660.00:00:00", ErrorMessage = "DeliveryJournal:DeadLetterRetention must be from one hour to ten years.")]
    public TimeSpan DeadLetterRetention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long per-minute delivery metrics are kept (<c>DeliveryJournal:MetricsRetention</c>).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3660.00:00:00", ErrorMessage = "DeliveryJournal:MetricsRetention must be from one day to ten years.")]
    public TimeSpan MetricsRetention { get; set; } = TimeSpan.FromDays(31);

    /// <summary>
    /// How many trace steps may wait in memory for the writer (<c>DeliveryJournal:QueueCapacity</c>). When it is full
    /// further trace steps are counted and dropped; dead letters and metric counts never wait here.
    /// </summary>
    [Range(1_000, 10_000_000, ErrorMessage = "DeliveryJournal:QueueCapacity must be from 1000 to 10000000.")]
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>The most steps written in one transaction (<c>DeliveryJournal:BatchSize</c>).</summary>
    [Range(1, 100_000, ErrorMessage = "DeliveryJournal:BatchSize must be from 1 to 100000.")]
    public int BatchSize { get; set; } = 5_000;

    /// <summary>
    /// The most characters of a mapped payload kept in a trace step (<c>DeliveryJournal:MaxTracePayloadChars</c>);
    /// longer ones keep their start. A dead letter always keeps its whole record, for re-sending.
    /// </summary>
    [Range(256, 1_048_576, ErrorMessage = "DeliveryJournal:MaxTracePayloadChars must be from 256 to 1048576.")]
    public int MaxTracePayloadChars { get; set; } = 16_384;

    /// <summary>The most characters of a tool's response kept per step (<c>DeliveryJournal:MaxResponseChars</c>).</summary>
    [Range(64, 65_536, ErrorMessage = "DeliveryJournal:MaxResponseChars must be from 64 to 65536.")]
    public int MaxResponseChars { get; set; } = 2_000;

    /// <summary>How often in-memory metric counts are written (<c>DeliveryJournal:MetricsFlushInterval</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "DeliveryJournal:MetricsFlushInterval must be from 100 ms to 10 minutes.")]
    public TimeSpan MetricsFlushInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often expired traces, dead letters and metrics are deleted (<c>DeliveryJournal:CleanupInterval</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "DeliveryJournal:CleanupInterval must be from one second to one day.")]
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(10);
}
