namespace Junction.Protocols.Processing;

/// <summary>
/// Settings of Protocols in the processor (configuration section <c>Protocols</c>): how often what it counted is
/// written to <c>protocols.db</c>, how many events are sampled for the schema view's properties, and the schema
/// view's limits.
/// </summary>
internal sealed class ProtocolsProcessingOptions
{
    /// <summary>How often counts, observed properties and violations kept in memory are written to the store.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Each event name's first this many events of every minute have their properties observed.</summary>
    public int SampleFirstPerMinute { get; set; } = 5;

    /// <summary>Beyond those, one event in this many has its properties observed (1 observes every event).</summary>
    public int SampleOneIn { get; set; } = 100;

    /// <summary>The most distinct events (type and name) the schema view keeps per source, as Segment's 4,000; others are counted under <c>(other names)</c> in memory and not stored.</summary>
    public int MaxEventsPerSource { get; set; } = 4000;

    /// <summary>The most property paths kept per event, as Segment's 300.</summary>
    public int MaxPropertiesPerEvent { get; set; } = 300;

    /// <summary>How many recent sample events are kept per source, event, violation type and field.</summary>
    public int ViolationSamplesKept { get; set; } = 5;
}
