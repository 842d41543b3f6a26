using System.Globalization;
using System.Text;

namespace Junction.Protocols.Observation;

/// <summary>
/// A source's schema as CSV, in the columns of Segment's export: one row per event (allowed, blocked and total counts
/// over 30 days, its status) and one per property. Served by <c>GET /sources/{id}/schema.csv</c> and the Schema tab's
/// export link.
/// </summary>
internal static class SchemaCsv
{
    public static string Write(IEnumerable<ObservedEvent> events)
    {
        var csv = new StringBuilder("Event Type,Event Name,Property Name,Property Types,First Seen (UTC),Last Seen At (UTC),Allowed,Blocked,Total,Status\n");
        foreach (var e in events.OrderBy(e => e.Type, StringComparer.Ordinal).ThenBy(e => e.Name, StringComparer.Ordinal))
        {
            var status = (e.IsBlocked ? "blocked" : "allowed") + (e.IsArchived ? " (archived)" : "");
            Row(csv, e.Type, e.Name, "", "", Iso(e.FirstSeen), Iso(e.LastSeen), Count(e.Volume30Days - e.Blocked30Days), Count(e.Blocked30Days), Count(e.Volume30Days), status);
            foreach (var p in e.Properties)
            {
                Row(csv, e.Type, e.Name, p.Path, string.Join('|', p.Types), Iso(p.FirstSeen), Iso(p.LastSeen), "", "", "", p.IsBlocked ? "blocked" : "allowed");
            }
        }

        return csv.ToString();
    }

    /// <summary>One CSV row: a field with a comma, quote or line break is quoted; one a spreadsheet would run as a formula gets a leading quote.</summary>
    private static void Row(StringBuilder csv, params string[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }

            var value = values[i];
            if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            {
                value = "'" + value;
            }

            csv.Append(value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value);
        }

        csv.Append('\n');
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
