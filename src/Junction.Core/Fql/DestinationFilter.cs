namespace Junction.Fql;

/// <summary>
/// A destination filter as the Public API describes it: a condition in FQL (<c>if</c>), the actions taken on
/// the events it matches, and whether it is on.
/// </summary>
internal sealed record DestinationFilter
{
    public string? Id { get; init; }

    public string? Title { get; init; }

    /// <summary>The FQL condition; <c>all</c> matches every event.</summary>
    public string? If { get; init; }

    public IReadOnlyList<DestinationFilterAction> Actions { get; init; } = [];

    public bool Enabled { get; init; } = true;
}

/// <summary>
/// One action of a filter. <see cref="Type"/> is the Public API name (<c>DROP</c>, <c>SAMPLE</c>,
/// <c>DROP_PROPERTIES</c>, <c>ALLOW_PROPERTIES</c>) or the older Config API name.
/// </summary>
internal sealed record DestinationFilterAction
{
    public required string Type { get; init; }

    /// <summary>For <c>SAMPLE</c>: the share of events kept, from 0 to 1.</summary>
    public double? Percent { get; init; }

    /// <summary>For <c>SAMPLE</c>: the field whose value decides, always the same way, whether an event is kept.</summary>
    public string? Path { get; init; }

    /// <summary>
    /// For <c>DROP_PROPERTIES</c> and <c>ALLOW_PROPERTIES</c>: object path → keys, where the path <c>""</c> is the
    /// top level of the event and a path that reaches an array applies to every object in it.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Fields { get; init; }
}

/// <summary>The actions, in the order they run for an event.</summary>
internal enum DestinationFilterActionType : byte
{
    Sample,
    Drop,
    DropProperties,
    AllowProperties,
}

internal static class DestinationFilterActionTypes
{
    public static bool TryParse(string? name, out DestinationFilterActionType type)
    {
        (var known, type) = name switch
        {
            "DROP" or "drop_event" => (true, DestinationFilterActionType.Drop),
            "SAMPLE" or "sample_event" => (true, DestinationFilterActionType.Sample),
            "DROP_PROPERTIES" or "blocklist_fields" => (true, DestinationFilterActionType.DropProperties),
            "ALLOW_PROPERTIES" or "whitelist_fields" => (true, DestinationFilterActionType.AllowProperties),
            _ => (false, default),
        };
        return known;
    }
}
