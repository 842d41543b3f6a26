using Junction.Protocols.Violations;

namespace Junction.Web.Sources.Schema;

/// <summary>One kind of violation of an event (violation type and field) with its counts over the last hour, 24 hours and 7 days.</summary>
internal sealed record ViolationLine(string ViolationType, string Field, string Description, long LastHour, long Last24Hours, long Last7Days, DateTimeOffset LastSeen);

/// <summary>An event's violations: its type and name, its lines, and their totals over each window.</summary>
internal sealed record ViolationGroup(string Type, string Name, IReadOnlyList<ViolationLine> Lines)
{
    public string Key => Type + ":" + Name;

    public string Label => SchemaRows.Label(Type, Name);

    public long LastHour => Lines.Sum(l => l.LastHour);

    public long Last24Hours => Lines.Sum(l => l.Last24Hours);

    public long Last7Days => Lines.Sum(l => l.Last7Days);

    public DateTimeOffset LastSeen => Lines.Max(l => l.LastSeen);
}

/// <summary>
/// Groups the violation store's summaries of three windows (7 days, 24 hours, the last hour: each counted from the
/// start of its first hour, as the store counts by hour) by event, most recent first, as Segment's Violations view
/// lists them.
/// </summary>
internal static class ViolationGroups
{
    public static IReadOnlyList<ViolationGroup> From(
        IReadOnlyList<ViolationSummary> week, IReadOnlyList<ViolationSummary> day, IReadOnlyList<ViolationSummary> hour)
    {
        static (string, string, string, string) Key(ViolationSummary s) => (s.Type, s.Name, s.ViolationType, s.Field);
        var dayCounts = day.ToDictionary(Key, s => s.Count);
        var hourCounts = hour.ToDictionary(Key, s => s.Count);
        return week
            .GroupBy(s => (s.Type, s.Name))
            .Select(g => new ViolationGroup(g.Key.Type, g.Key.Name, g
                .Select(s => new ViolationLine(s.ViolationType, s.Field, s.Description,
                    hourCounts.GetValueOrDefault(Key(s)), dayCounts.GetValueOrDefault(Key(s)), s.Count, s.LastSeen))
                .OrderByDescending(l => l.LastSeen)
                .ToList()))
            .OrderByDescending(g => g.LastSeen)
            .ToList();
    }
}
