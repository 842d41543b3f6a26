using System.Text.Json;
using Junction.Warehouses.Schema;

namespace Junction.Warehouses.Tests.Schema;

public sealed class EventRowsTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 28, 21, 7, 9, 726, TimeSpan.Zero);

    private const string Times = """
        "messageId":"m1","receivedAt":"2026-11-28T21:07:09.726Z","sentAt":"2026-11-28T21:07:09.500Z",
        "timestamp":"2026-11-28T21:07:09.100Z","originalTimestamp":"2026-11-28T21:07:08.874Z"
        """;

    [Fact]
    public void ATrackGivesARowInTracksAndOneInItsOwnTable()
    {
        var rows = Map($$$"""
            {"type":"track",{{{Times}}},"event":"Order Completed","userId":"u1","anonymousId":"a1",
             "properties":{"orderId":"o-1","total":27.5,"items":3},"context":{"library":{"name":"analytics.js","version":"1.2"}},
             "integrations":{"All":true},"channel":"browser","projectId":"src-1","workspaceId":"ws-1"}
            """);

        Assert.Equal(["tracks", "order_completed"], rows.Select(r => r.Table));
        Assert.All(rows, r => Assert.False(r.Upsert));
        var tracks = rows[0].Values;
        Assert.Equal(
            ["id", "received_at", "sent_at", "timestamp", "original_timestamp", "anonymous_id", "user_id", "context_library_name", "context_library_version", "event", "event_text"],
            tracks.Keys);
        Assert.Equal("m1", tracks["id"]);
        Assert.Equal(ReceivedAt, tracks["received_at"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 21, 7, 8, 874, TimeSpan.Zero), tracks["original_timestamp"]);
        Assert.Equal("order_completed", tracks["event"]);
        Assert.Equal("Order Completed", tracks["event_text"]);
        Assert.Equal("analytics.js", tracks["context_library_name"]);

        var own = rows[1].Values;
        Assert.Equal(tracks.Keys.Concat(["order_id", "total", "items"]), own.Keys);
        Assert.Equal("o-1", own["order_id"]);
        Assert.Equal(27.5, own["total"]);
        Assert.Equal(3L, own["items"]);
        Assert.Equal(("m1", ReceivedAt), (rows[1].EventId, rows[1].ReceivedAt));
    }

    [Fact]
    public void AnIdentifyGivesARowInIdentifiesAndAnUpsertRowInUsers()
    {
        var rows = Map($$$"""
            {"type":"identify",{{{Times}}},"userId":"u1","anonymousId":"a1","traits":{"email":"a@example.com","firstName":"Ada","plan":{"name":"pro"}},"context":{"ip":"1.2.3.4"}}
            """);

        Assert.Equal([("identifies", false), ("users", true)], rows.Select(r => (r.Table, r.Upsert)));
        var identifies = rows[0].Values;
        Assert.Equal("u1", identifies["user_id"]);
        Assert.Equal("a1", identifies["anonymous_id"]);
        Assert.Equal("1.2.3.4", identifies["context_ip"]);
        Assert.Equal("a@example.com", identifies["email"]);
        Assert.Equal("pro", identifies["plan_name"]);

        var users = rows[1].Values;
        Assert.Equal(["id", "received_at", "email", "first_name", "plan_name"], users.Keys);
        Assert.Equal("u1", users["id"]);
        Assert.Equal(ReceivedAt, users["received_at"]);
        Assert.Equal("Ada", users["first_name"]);
        Assert.Equal("m1", rows[1].EventId);
    }

    [Fact]
    public void AnAnonymousIdentifyHasNoUsersRow()
    {
        var rows = Map($$$"""{"type":"identify",{{{Times}}},"anonymousId":"a1","traits":{"email":"a@example.com"}}""");

        Assert.Equal("identifies", Assert.Single(rows).Table);
    }

    [Fact]
    public void AGroupGivesARowInGroupsAndAnUpsertRowInAccounts()
    {
        var rows = Map($$$"""{"type":"group",{{{Times}}},"userId":"u1","groupId":"g1","traits":{"name":"Initech","employees":120}}""");

        Assert.Equal([("groups", false), ("accounts", true)], rows.Select(r => (r.Table, r.Upsert)));
        Assert.Equal("g1", rows[0].Values["group_id"]);
        Assert.Equal("u1", rows[0].Values["user_id"]);
        Assert.Equal("Initech", rows[0].Values["name"]);
        Assert.Equal(["id", "received_at", "name", "employees"], rows[1].Values.Keys);
        Assert.Equal("g1", rows[1].Values["id"]);
        Assert.Equal(120L, rows[1].Values["employees"]);
    }

    [Theory]
    [InlineData("page", "pages")]
    [InlineData("screen", "screens")]
    public void APageOrScreenGivesOneRowWithNameCategoryAndProperties(string type, string table)
    {
        var rows = Map($$$"""
            {"type":"{{{type}}}",{{{Times}}},"anonymousId":"a1","name":"Pricing","category":"Docs",
             "properties":{"name":"Pricing","category":"Docs","url":"https://example.com/pricing","title":"Pricing"}}
            """);

        var row = Assert.Single(rows);
        Assert.Equal(table, row.Table);
        Assert.Equal("Pricing", row.Values["name"]);
        Assert.Equal("Docs", row.Values["category"]);
        Assert.Equal("https://example.com/pricing", row.Values["url"]);
        Assert.False(row.Values.ContainsKey("_name"));
        Assert.False(row.Values.ContainsKey("_category"));
    }

    [Fact]
    public void APagePropertyNamedLikeTheNameColumnButDifferentIsKeptWithAnUnderscore()
    {
        var row = Assert.Single(Map($$$"""{"type":"page",{{{Times}}},"anonymousId":"a1","name":"Pricing","properties":{"name":"Plans"}}"""));

        Assert.Equal("Pricing", row.Values["name"]);
        Assert.Equal("Plans", row.Values["_name"]);
    }

    [Fact]
    public void AnAliasGivesOneRowWithThePreviousId()
    {
        var row = Assert.Single(Map($$$"""{"type":"alias",{{{Times}}},"userId":"u2","previousId":"a1"}"""));

        Assert.Equal("aliases", row.Table);
        Assert.Equal("a1", row.Values["previous_id"]);
        Assert.Equal("u2", row.Values["user_id"]);
    }

    [Fact]
    public void AnUnknownTypeOrAnEventWithoutMessageIdGivesNoRows()
    {
        Assert.Empty(Map($$$"""{"type":"batch",{{{Times}}} }"""));
        Assert.Empty(Map("""{"type":"track","event":"A","receivedAt":"2026-11-28T21:07:09.726Z"}"""));
        Assert.Empty(Map("""{"type":"track","event":"A","messageId":"m1"}"""));
    }

    [Fact]
    public void NestedObjectsAreFlattenedAndArraysBecomeCompactJson()
    {
        var own = Map($$$"""
            {"type":"track",{{{Times}}},"event":"Viewed","properties":{
              "product":{"id":"p1","price":{"amount":10,"currency":"EUR"}},
              "tags":[ "a", "b c" , {"x" : 1} ],
              "empty":{},
              "nothing":null},
             "context":{"page":{"url":"https://example.com/"},"campaign":{"name":"spring"},"traits":{"emails":["a@example.com"]} } }
            """)[1].Values;

        Assert.Equal("p1", own["product_id"]);
        Assert.Equal(10L, own["product_price_amount"]);
        Assert.Equal("EUR", own["product_price_currency"]);
        Assert.Equal("""["a","b c",{"x":1}]""", own["tags"]);
        Assert.Equal("https://example.com/", own["context_page_url"]);
        Assert.Equal("spring", own["context_campaign_name"]);
        Assert.Equal("""["a@example.com"]""", own["context_traits_emails"]);
        Assert.False(own.ContainsKey("empty"));
        Assert.False(own.ContainsKey("nothing"));
    }

    [Fact]
    public void ValuesAreTypedFromTheirJson()
    {
        var own = Map($$$"""
            {"type":"track",{{{Times}}},"event":"Typed","properties":{
              "count":42,"negative":-7,"max":9223372036854775807,"beyondLong":9223372036854775808,"huge":1e400,
              "price":19.99,"whole":1.0,"exponent":1E2,"yes":true,"no":false,
              "moment":"2026-01-02T03:04:05Z","atMillis":"2026-01-02T03:04:05.678Z","atOffset":"2026-01-02T03:04:05.5+02:00",
              "micro":"2026-01-02T03:04:05.123456789Z","dateOnly":"2026-01-02","noZone":"2026-01-02T03:04:05",
              "lowerT":"2026-01-02t03:04:05Z","badMonth":"2026-13-02T03:04:05Z","text":"hello","escaped":"caf\u00e9",
              "escapedTime":"2026-01-02T03:04:05\u005A"}}
            """)[1].Values;

        Assert.Equal(42L, own["count"]);
        Assert.Equal(-7L, own["negative"]);
        Assert.Equal(long.MaxValue, own["max"]);
        Assert.Equal(9223372036854775808d, own["beyond_long"]);
        Assert.Equal("1e400", own["huge"]);
        Assert.Equal(19.99, own["price"]);
        Assert.Equal(1.0, own["whole"]);
        Assert.Equal(100.0, own["exponent"]);
        Assert.Equal(true, own["yes"]);
        Assert.Equal(false, own["no"]);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), own["moment"]);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), own["at_millis"]);
        var offset = Assert.IsType<DateTimeOffset>(own["at_offset"]);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 1, 4, 5, 500, TimeSpan.Zero), offset);
        Assert.Equal(TimeSpan.Zero, offset.Offset);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567), own["micro"]);
        Assert.Equal("2026-01-02", own["date_only"]);
        Assert.Equal("2026-01-02T03:04:05", own["no_zone"]);
        Assert.Equal("2026-01-02t03:04:05Z", own["lower_t"]);
        Assert.Equal("2026-13-02T03:04:05Z", own["bad_month"]);
        Assert.Equal("hello", own["text"]);
        Assert.Equal("café", own["escaped"]);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), own["escaped_time"]);
    }

    [Fact]
    public void PropertiesNamedLikeReservedColumnsAreKeptWithAnUnderscore()
    {
        var own = Map($$$"""
            {"type":"track",{{{Times}}},"event":"Clash","userId":"u1","properties":{
              "id":"p-id","userId":"p-user","event":"p-event","timestamp":"p-time","receivedAt":"p-received",
              "uuid_ts":"p-uuid","context":{"ip":"p-ip"},"loaded_at":"p-loaded","select":"p-select","name":"p-name"}}
            """)[1].Values;

        Assert.Equal("m1", own["id"]);
        Assert.Equal("u1", own["user_id"]);
        Assert.Equal("clash", own["event"]);
        Assert.Equal("p-id", own["_id"]);
        Assert.Equal("p-user", own["_user_id"]);
        Assert.Equal("p-event", own["_event"]);
        Assert.Equal("p-time", own["_timestamp"]);
        Assert.Equal("p-received", own["_received_at"]);
        Assert.Equal("p-uuid", own["_uuid_ts"]);
        Assert.Equal("p-ip", own["_context_ip"]);
        Assert.Equal("p-loaded", own["_loaded_at"]);
        Assert.Equal("p-select", own["_select"]);
        Assert.Equal("p-name", own["name"]);
    }

    [Fact]
    public void TwoNamesForTheSameColumnLeaveTheLaterValue()
    {
        var own = Map($$$"""{"type":"track",{{{Times}}},"event":"Twice","properties":{"productId":"first","product_id":"second","Product ID":"third"}}""")[1].Values;

        Assert.Equal("third", own["product_id"]);
        Assert.Single(own.Keys, k => k == "product_id");
    }

    [Fact]
    public void AnEscapedPropertyNameNamesTheSameColumnAsItsPlainSpelling()
    {
        var first = Map($$$"""{"type":"track",{{{Times}}},"event":"Menu","properties":{"caf\u00e9":1} }""")[1].Values;
        var second = Map($$$"""{"type":"track",{{{Times}}},"event":"Menu","properties":{"café":2} }""")[1].Values;

        Assert.Equal(1L, first["café"]);
        Assert.Equal(2L, second["café"]);
    }

    [Fact]
    public void APropertyWithoutLettersOrDigitsIsDiscardedWithItsName()
    {
        var row = Map($$$"""{"type":"track",{{{Times}}},"event":"Odd","properties":{"$$":5,"ok":1}}""")[1];

        var discard = Assert.Single(row.Discards!);
        Assert.Equal(("odd", "$$", "5", EventRows.NoNameReason, "m1", ReceivedAt), (discard.Table, discard.Column, discard.Value, discard.Reason, discard.EventId, discard.ReceivedAt));
        Assert.Equal(1L, row.Values["ok"]);
    }

    [Fact]
    public void ATraitWithoutLettersOrDigitsIsDiscardedFromBothIdentifiesAndUsers()
    {
        var rows = Map($$$"""{"type":"identify",{{{Times}}},"userId":"u1","traits":{"#":{"!":"x"} } }""");

        Assert.Equal(["identifies", "users"], rows.Select(r => Assert.Single(r.Discards!)).Select(d => d.Table));
        Assert.All(rows, r => Assert.Equal("#.!", r.Discards![0].Column));
    }

    [Fact]
    public void ATrackWhoseNameHasNoLettersKeepsItsTracksRowAndReportsTheMissingTable()
    {
        var rows = Map($$$"""{"type":"track",{{{Times}}},"event":"???","properties":{"a":1}}""");

        var tracks = Assert.Single(rows);
        Assert.Equal("tracks", tracks.Table);
        Assert.Equal("???", tracks.Values["event_text"]);
        Assert.False(tracks.Values.ContainsKey("event"));
        Assert.Equal(EventRows.NoTableReason, Assert.Single(tracks.Discards!).Reason);
    }

    [Fact]
    public void AnEventNamedLikeAFixedTableGetsItsOwnPrefixedTable()
    {
        var rows = Map($$$"""{"type":"track",{{{Times}}},"event":"Users"}""");

        Assert.Equal(["tracks", "_users"], rows.Select(r => r.Table));
        Assert.Equal("_users", rows[0].Values["event"]);
    }

    [Fact]
    public void TheRowsDoNotDependOnTheDocumentAfterMapping()
    {
        List<EventRow> rows = [];
        using (var document = JsonDocument.Parse($$$"""{"type":"track",{{{Times}}},"event":"Kept","properties":{"a":"b"}}"""))
        {
            EventRows.Map(document.RootElement, rows);
        }

        Assert.Equal("b", rows[1].Values["a"]);
    }

    private static IReadOnlyList<EventRow> Map(string json)
    {
        using var document = JsonDocument.Parse(json);
        return EventRows.Map(document.RootElement);
    }
}
