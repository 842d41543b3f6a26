namespace Junction.Protocols.Processing;

/// <summary>
/// Why the processor blocked an event: Segment's discard reasons for events "filtered at source", and one of Junction's
/// for events a source-scoped transformation drops. Blocked events are counted per source and reason and shown in the
/// source debugger with the reason.
/// </summary>
internal static class BlockReasons
{
    /// <summary>The event is not in the tracking plan and the source blocks unplanned events.</summary>
    public const string Unplanned = "unplanned";

    /// <summary>The event violates its rule's JSON Schema and the source blocks events with violations.</summary>
    public const string SchemaViolation = "schema_violation";

    /// <summary>Blocked for violations that are both unplanned properties (the rule forbids them) and schema violations.</summary>
    public const string UnplannedAndSchemaViolation = "unplanned_and_schema_violation";

    /// <summary>The event fails the plan's common JSON Schema and the source blocks such events.</summary>
    public const string CommonSchemaViolation = "common_schema_violation";

    /// <summary>The event is blocked in the source's schema view.</summary>
    public const string EventSetting = "event_setting";

    /// <summary>A source-scoped transformation drops the event (Junction's reason).</summary>
    public const string Transformation = "transformation";

    /// <summary>Whether an event blocked for this reason is forwarded to the source's <c>forwardingBlockedEventsTo</c> (tracking-plan blocks only).</summary>
    public static bool IsForwarded(string reason) => reason is Unplanned or SchemaViolation or UnplannedAndSchemaViolation or CommonSchemaViolation;
}
