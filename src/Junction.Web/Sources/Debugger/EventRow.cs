using System.Globalization;
using System.Text;
using Junction.Events;
using Junction.Ingest.Debugger;

namespace Junction.Web.Sources.Debugger;

/// <summary>One event of the debugger's list: the feed's entry, with the text a row shows and the search reads.</summary>
internal sealed class EventRow(DebuggerEntry entry)
{
    private string? _searchText;

    public DebuggerEntry Entry { get; } = entry;

    public long Sequence => Entry.Sequence;

    public bool Rejected => Entry.Status == DebuggerStatus.Rejected;

    /// <summary>Accepted, then dropped by the processor's Protocols stage (a tracking plan's controls, a schema block, a transformation).</summary>
    public bool Blocked => Entry.Status == DebuggerStatus.Blocked;

    /// <summary>The status as the row's <c>data-status</c> and the filter name it: accepted, rejected or blocked.</summary>
    public string StatusName => Entry.Status switch
    {
        DebuggerStatus.Rejected => "rejected",
        DebuggerStatus.Blocked => "blocked",
        _ => "accepted",
    };

    /// <summary>The call type in lower case, or <c>request</c> for a body refused before its type was known.</summary>
    public string TypeName => Entry.Type?.Name() ?? "request";

    /// <summary>What the row is about: the event or page name, or a description of a call that has none.</summary>
    public string Title => Entry.Name is { Length: > 0 } name ? name : Entry.Type switch
    {
        EventType.Track => "(no event name)",
        EventType.Page => "Loaded a Page",
        EventType.Screen => "Loaded a Screen",
        EventType.Identify => "Identify",
        EventType.Group => "Group",
        EventType.Alias => "Alias",
        _ => "Refused request",
    };

    /// <summary>Who the event is about: the user id, else the anonymous id.</summary>
    public string? Who => Entry.UserId is { Length: > 0 } userId ? "user " + userId
        : Entry.AnonymousId is { Length: > 0 } anonymousId ? "anonymous " + anonymousId
        : null;

    /// <summary>The time it arrived, in UTC, to the second.</summary>
    public string Time => Entry.ReceivedAt.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    public string Timestamp => Entry.ReceivedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The raw payload as text, and the reason for a rejection, for the free-text search (decoded once).</summary>
    public string SearchText => _searchText ??= Entry.Reason is { } reason
        ? Encoding.UTF8.GetString(Entry.Raw.Span) + "\n" + reason.Code + " " + reason.Message
        : Encoding.UTF8.GetString(Entry.Raw.Span);
}
