namespace Junction.Events;

/// <summary>
/// The label an event carries in the event log (<see cref="EventLog.LogRecord.Tag"/>): its type and, for track, page
/// and screen, its name (<c>track:Order Completed</c>, <c>identify:</c>), so that the pipeline can count and route
/// it without parsing the payload. The source is the part of the idempotency key before the first colon.
/// </summary>
internal static class EventTag
{
    public static string Format(EventType type, string? name) => type.Name() + ":" + name;

    public static bool TryParse(string tag, out EventType type, out string? name)
    {
        var colon = tag.IndexOf(':', StringComparison.Ordinal);
        name = null;
        type = default;
        if (colon < 0 || !EventTypes.TryParseName(tag.AsSpan(0, colon), out type))
        {
            return false;
        }

        name = colon + 1 < tag.Length ? tag[(colon + 1)..] : null;
        return true;
    }

    /// <summary>The source id in an idempotency key (<c>{sourceId}:{messageId}</c>).</summary>
    public static string SourceOf(string idempotencyKey)
    {
        var colon = idempotencyKey.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? idempotencyKey : idempotencyKey[..colon];
    }
}
