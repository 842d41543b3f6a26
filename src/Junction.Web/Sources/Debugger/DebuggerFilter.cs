using Junction.Ingest.Debugger;

namespace Junction.Web.Sources.Debugger;

/// <summary>
/// Which events the debugger shows: call types and statuses (none chosen means all) and a text that must occur in the
/// raw payload or the rejection reason, ignoring case.
/// </summary>
internal sealed record DebuggerFilter(IReadOnlySet<string> Types, IReadOnlySet<DebuggerStatus> Statuses, string Search)
{
    public static readonly DebuggerFilter All = new(new HashSet<string>(StringComparer.Ordinal), new HashSet<DebuggerStatus>(), "");

    public bool IsEmpty => Types.Count == 0 && Statuses.Count == 0 && Search.Length == 0;

    public bool Matches(EventRow row) =>
        (Types.Count == 0 || Types.Contains(row.TypeName))
        && (Statuses.Count == 0 || Statuses.Contains(row.Entry.Status))
        && (Search.Length == 0 || row.SearchText.Contains(Search, StringComparison.OrdinalIgnoreCase));
}
