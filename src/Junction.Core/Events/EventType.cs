namespace Junction.Events;

/// <summary>The six calls of the Segment Spec.</summary>
internal enum EventType : byte
{
    Identify,
    Track,
    Page,
    Screen,
    Group,
    Alias,
}

internal static class EventTypes
{
    public static readonly EventType[] All =
        [EventType.Identify, EventType.Track, EventType.Page, EventType.Screen, EventType.Group, EventType.Alias];

    /// <summary>The lower-case name used on the wire (<c>"track"</c>).</summary>
    public static string Name(this EventType type) => type switch
    {
        EventType.Identify => "identify",
        EventType.Track => "track",
        EventType.Page => "page",
        EventType.Screen => "screen",
        EventType.Group => "group",
        EventType.Alias => "alias",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Parses a type name, ignoring case (<c>"Track"</c> is read as track).</summary>
    public static bool TryParse(string? value, out EventType type)
    {
        switch (value?.ToUpperInvariant())
        {
            case "IDENTIFY": type = EventType.Identify; return true;
            case "TRACK": type = EventType.Track; return true;
            case "PAGE": type = EventType.Page; return true;
            case "SCREEN": type = EventType.Screen; return true;
            case "GROUP": type = EventType.Group; return true;
            case "ALIAS": type = EventType.Alias; return true;
            default: type = default; return false;
        }
    }

    /// <summary>Parses an exact lower-case wire name, without allocating.</summary>
    public static bool TryParseName(ReadOnlySpan<char> name, out EventType type)
    {
        switch (name)
        {
            case "identify": type = EventType.Identify; return true;
            case "track": type = EventType.Track; return true;
            case "page": type = EventType.Page; return true;
            case "screen": type = EventType.Screen; return true;
            case "group": type = EventType.Group; return true;
            case "alias": type = EventType.Alias; return true;
            default: type = default; return false;
        }
    }

    /// <summary>The type named by a Tracking API path segment: the full name or the browser's one-letter form.</summary>
    public static bool TryParsePath(string segment, out EventType type)
    {
        switch (segment)
        {
            case "identify" or "i": type = EventType.Identify; return true;
            case "track" or "t": type = EventType.Track; return true;
            case "page" or "p": type = EventType.Page; return true;
            case "screen" or "s": type = EventType.Screen; return true;
            case "group" or "g": type = EventType.Group; return true;
            case "alias" or "a": type = EventType.Alias; return true;
            default: type = default; return false;
        }
    }
}
