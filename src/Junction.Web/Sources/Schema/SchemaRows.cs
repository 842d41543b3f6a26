using Junction.Protocols.ControlPlane;
using Junction.Protocols.Naming;
using Junction.Protocols.Observation;
using Junction.Protocols.Plans;

namespace Junction.Web.Sources.Schema;

/// <summary>
/// One property (or trait) of an event on the schema view, with the naming finding of its path when it breaks the
/// convention, and whether the connected plan's rule for the event plans it (null when there is no such rule, or the
/// path is outside what the rule checks).
/// </summary>
internal sealed record SchemaPropertyRow(ObservedProperty Property, NamingFinding? Finding, bool? Planned = null);

/// <summary>
/// One event of a source on the schema view: what the schema inventory observed, whether the connected tracking plan
/// plans it (null when no plan is connected), the naming finding of its name, and its properties with theirs.
/// </summary>
internal sealed record SchemaRow(ObservedEvent Event, bool? Planned, NamingFinding? Finding, IReadOnlyList<SchemaPropertyRow> Properties)
{
    /// <summary>A stable key for the row: type and name.</summary>
    public string Key => Event.Type + ":" + Event.Name;

    /// <summary>How the event is named on the page: its name, or what the call is when it has none.</summary>
    public string Label => SchemaRows.Label(Event.Type, Event.Name);

    /// <summary>How many names (the event's and its properties') break the naming convention.</summary>
    public int FindingCount => (Finding is null ? 0 : 1) + Properties.Count(p => p.Finding is not null);
}

/// <summary>How the schema view is narrowed and ordered: a text, a call type, an order and whether archived events show.</summary>
internal sealed record SchemaQuery(string Search = "", string Type = "", SchemaSort Sort = SchemaSort.LastSeen, bool ShowArchived = false);

/// <summary>The orders of the schema view.</summary>
internal enum SchemaSort
{
    LastSeen,
    Name,
    Volume,
    FirstSeen,
}

/// <summary>
/// Turns what a source sent (<see cref="ObservedEvent"/>s) into the schema view's rows: planned or not by the plan the
/// processor applies to the source, names checked against the workspace's naming conventions (track event names and
/// every key of a property path; page and screen names are titles, not checked, as in Segment), then searched,
/// filtered and sorted (the CSV export is SchemaCsv's).
/// </summary>
internal static class SchemaRows
{
    /// <summary>The call types the view can be narrowed to, in the order they are offered.</summary>
    public static readonly IReadOnlyList<string> Types = ["track", "page", "screen", "identify", "group"];

    public static IReadOnlyList<SchemaRow> Build(IEnumerable<ObservedEvent> events, CompiledPlan? plan, ProtocolsSettingsView conventions) =>
        events.Select(e =>
            {
                var name = e.Name.Length == 0 ? null : e.Name;
                return new SchemaRow(
                    e,
                    plan?.IsPlanned(e.Type, name),
                    e.Type == "track" && name is not null ? NamingStandards.CheckEvent(name, conventions.EventNamingConvention) : null,
                    e.Properties.Select(p => new SchemaPropertyRow(
                        p, CheckPath(p.Path, conventions.PropertyNamingConvention), plan?.IsFieldPlanned(e.Type, name, p.Path))).ToList());
            })
            .ToList();

    /// <summary>The rows <paramref name="query"/> keeps, in its order.</summary>
    public static IReadOnlyList<SchemaRow> Apply(IEnumerable<SchemaRow> rows, SchemaQuery query)
    {
        var search = query.Search.Trim();
        var kept = rows.Where(r => (query.ShowArchived || !r.Event.IsArchived)
            && (query.Type.Length == 0 || r.Event.Type == query.Type)
            && (search.Length == 0 || r.Label.Contains(search, StringComparison.OrdinalIgnoreCase)
                || r.Properties.Any(p => p.Property.Path.Contains(search, StringComparison.OrdinalIgnoreCase))));
        return (query.Sort switch
        {
            SchemaSort.Name => kept.OrderBy(r => r.Label, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Event.Type, StringComparer.Ordinal),
            SchemaSort.Volume => kept.OrderByDescending(r => r.Event.Volume30Days).ThenBy(r => r.Label, StringComparer.OrdinalIgnoreCase),
            SchemaSort.FirstSeen => kept.OrderByDescending(r => r.Event.FirstSeen).ThenBy(r => r.Label, StringComparer.OrdinalIgnoreCase),
            _ => kept.OrderByDescending(r => r.Event.LastSeen).ThenBy(r => r.Label, StringComparer.OrdinalIgnoreCase),
        }).ToList();
    }

    /// <summary>How an event reads: its name, or <c>Identify traits</c>, <c>Group traits</c>, <c>Every page</c>… for calls without one.</summary>
    public static string Label(string type, string name) => name.Length > 0 ? name : type switch
    {
        "identify" => "Identify traits",
        "group" => "Group traits",
        "page" => "Pages without a name",
        "screen" => "Screens without a name",
        "alias" => "Alias calls",
        _ => "(no name)",
    };

    /// <summary>
    /// Checks each key of a property path (<c>properties.productId</c>, <c>properties.products.$.itemPrice</c>) after its
    /// root; a finding names the path and suggests the path with every key that breaks the convention rewritten.
    /// </summary>
    public static NamingFinding? CheckPath(string path, PropertyNamingConvention convention)
    {
        var keys = path.Split('.');
        var problems = new List<string>();
        var fixedKeys = (string[])keys.Clone();
        var fixable = true;
        for (var i = 1; i < keys.Length; i++)
        {
            if (NamingStandards.CheckProperty(keys[i], convention) is { } finding)
            {
                problems.Add($"{keys[i]}: {finding.Problem}");
                if (finding.Suggestion is { } suggestion)
                {
                    fixedKeys[i] = suggestion;
                }
                else
                {
                    fixable = false;
                }
            }
        }

        return problems.Count == 0 ? null : new NamingFinding(path, string.Join("; ", problems), fixable ? string.Join('.', fixedKeys) : null);
    }
}
