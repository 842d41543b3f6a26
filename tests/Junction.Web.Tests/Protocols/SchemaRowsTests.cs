using System.Text.Json;
using Junction.Protocols.ControlPlane;
using Junction.Protocols.Naming;
using Junction.Protocols.Observation;
using Junction.Protocols.Plans;
using Junction.Web.Sources.Schema;

namespace Junction.Web.Tests.Protocols;

/// <summary>The schema view's rows: planned or not, naming findings with their fixes, search, filters, order and the CSV export.</summary>
public sealed class SchemaRowsTests
{
    private static readonly DateTimeOffset Day = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly ProtocolsSettingsView Segment = new(NamingConventions.DefaultEvent, NamingConventions.DefaultProperty);

    private static readonly ObservedEvent[] Events =
    [
        Event("track", "Order Completed", 5, 30, lastSeen: 3, properties: [Property("properties.order_id"), Property("properties.itemPrice", "number")]),
        Event("track", "signup_clicked", 1, 2, lastSeen: 5),
        Event("page", "Home", 1, 50, lastSeen: 1),
        Event("identify", "", 1, 10, lastSeen: 2, archived: true, properties: [Property("traits.firstName")]),
    ];

    [Fact]
    public void EventsArePlannedByTheConnectedPlanAndUnknownWithoutOne()
    {
        var plan = PlanCompiler.Compile([new PlanRule(RuleType.Track, "Order Completed", 1, JsonDocument.Parse("""{"type":"object"}""").RootElement)]);

        var rows = SchemaRows.Build(Events, plan, Segment);
        Assert.Equal([true, false], rows.Where(r => r.Event.Type == "track").Select(r => r.Planned));
        Assert.All(SchemaRows.Build(Events, null, Segment), r => Assert.Null(r.Planned));
    }

    [Fact]
    public void TrackNamesAndPropertyKeysThatBreakTheConventionAreFlaggedWithTheFix()
    {
        var rows = SchemaRows.Build(Events, null, Segment).ToDictionary(r => r.Label);

        Assert.Null(rows["Order Completed"].Finding);
        Assert.Equal("Signup Clicked", rows["signup_clicked"].Finding!.Suggestion);
        Assert.Null(rows["Home"].Finding);
        Assert.Null(rows["Order Completed"].Properties[0].Finding);
        Assert.Equal("properties.item_price", rows["Order Completed"].Properties[1].Finding!.Suggestion);
        Assert.Equal("traits.first_name", rows["Identify traits"].Properties[0].Finding!.Suggestion);
        Assert.Equal(2, rows["Order Completed"].FindingCount + rows["signup_clicked"].FindingCount);

        var camel = SchemaRows.Build(Events, null, Segment with { PropertyNamingConvention = PropertyNamingConvention.CamelCase }).Single(r => r.Label == "Order Completed");
        Assert.Equal("properties.orderId", camel.Properties[0].Finding!.Suggestion);
        Assert.Null(camel.Properties[1].Finding);
    }

    [Fact]
    public void ArchivedEventsShowOnlyWhenAskedAndTheSearchReadsNamesAndProperties()
    {
        var rows = SchemaRows.Build(Events, null, Segment);

        Assert.DoesNotContain(SchemaRows.Apply(rows, new SchemaQuery()), r => r.Event.IsArchived);
        Assert.Contains(SchemaRows.Apply(rows, new SchemaQuery(ShowArchived: true)), r => r.Event.IsArchived);
        Assert.Equal(["Order Completed"], SchemaRows.Apply(rows, new SchemaQuery(Search: "ITEMprice")).Select(r => r.Label));
        Assert.Equal(["Home"], SchemaRows.Apply(rows, new SchemaQuery(Type: "page")).Select(r => r.Label));
    }

    [Fact]
    public void RowsAreOrderedByLastSeenNameVolumeOrFirstSeen()
    {
        var rows = SchemaRows.Build(Events, null, Segment);

        Assert.Equal(["Home", "Order Completed", "signup_clicked"], SchemaRows.Apply(rows, new SchemaQuery()).Select(r => r.Label));
        Assert.Equal(["Home", "Order Completed", "signup_clicked"], SchemaRows.Apply(rows, new SchemaQuery(Sort: SchemaSort.Name)).Select(r => r.Label));
        Assert.Equal(["Home", "Order Completed", "signup_clicked"], SchemaRows.Apply(rows, new SchemaQuery(Sort: SchemaSort.Volume)).Select(r => r.Label));
        Assert.Equal("signup_clicked", SchemaRows.Apply(rows, new SchemaQuery(Sort: SchemaSort.FirstSeen))[0].Label);
    }

    [Fact]
    public void TheCsvHasARowPerEventAndPropertyWithFormulasDefused()
    {
        var csv = SchemaCsv.Write([Event("track", "=HYPERLINK(\"x\")", 1, 3, lastSeen: 1, blocked: true, properties: [Property("properties.a,b")])]).Split('\n');

        Assert.Equal("Event Type,Event Name,Property Name,Property Types,First Seen (UTC),Last Seen At (UTC),Allowed,Blocked,Total,Status", csv[0]);
        Assert.Equal("track,\"'=HYPERLINK(\"\"x\"\")\",,,2026-02-02T00:00:00.000Z,2026-03-01T00:00:00.000Z,2,1,3,blocked", csv[1]);
        Assert.StartsWith("track,\"'=HYPERLINK(\"\"x\"\")\",\"properties.a,b\",string,", csv[2], StringComparison.Ordinal);
    }

    private static ObservedEvent Event(
        string type, string name, long day, long month, int lastSeen, bool archived = false, bool blocked = false, ObservedProperty[]? properties = null) =>
        new("src_1", type, name, Day.AddDays(-29 + lastSeen), Day.AddDays(-lastSeen), day, day * 2, month, blocked ? 1 : 0, blocked, archived, properties ?? []);

    private static ObservedProperty Property(string path, string type = "string") => new(path, [type], Day.AddDays(-10), Day, IsBlocked: false);
}
