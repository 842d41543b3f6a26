using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Fql;

namespace Junction.Core.Tests.Fql;

public sealed class DestinationFilterSetTests
{
    private const string Order = """
        {"type":"track","event":"Order Completed","messageId":"m-1","userId":"u1",
         "context":{"ip":"1.2.3.4","library":{"name":"analytics.js"}},
         "properties":{"email":"a@b.c","total":30,"products":[{"sku":"s1","price":10},{"sku":"s2","price":20},"not an object"]}}
        """;

    [Fact]
    public void WithNoFiltersTheEventIsSentUnchanged()
    {
        var result = Apply(Order);

        Assert.False(result.IsDropped);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Order), result.Event));
    }

    [Fact]
    public void ADropFilterDropsMatchingEventsAndSaysWhichFilter()
    {
        var filter = Filter("event = 'Order Completed'", Drop()) with { Id = "f1", Title = "No orders" };

        var result = Apply(Order, Filter("type = 'page'", Drop()), filter);

        Assert.True(result.IsDropped);
        Assert.Equal(DestinationFilterDropReason.Dropped, result.Drop.Reason);
        Assert.Equal(1, result.Drop.FilterIndex);
        Assert.Equal("f1", result.Drop.FilterId);
        Assert.Equal("Dropped by filter \"No orders\".", result.Drop.Message);
    }

    [Fact]
    public void ADropFilterLetsOtherEventsThrough() =>
        Assert.False(Apply(Order, Filter("event = 'Signed Up'", Drop())).IsDropped);

    [Fact]
    public void OnlySendIsADropOfTheComplement()
    {
        var onlyTracks = Filter("!(type = 'track')", Drop());

        Assert.False(Apply(Order, onlyTracks).IsDropped);
        Assert.True(Apply("""{"type":"page","messageId":"m"}""", onlyTracks).IsDropped);
    }

    [Fact]
    public void ConflictingOnlySendFiltersSendNothing()
    {
        var onlyTracks = Filter("!(type = 'track')", Drop());
        var onlyPages = Filter("!(type = 'page')", Drop());

        Assert.True(Apply(Order, onlyTracks, onlyPages).IsDropped);
        Assert.True(Apply("""{"type":"page","messageId":"m"}""", onlyTracks, onlyPages).IsDropped);
    }

    [Fact]
    public void ADisabledFilterDoesNothingEvenWhenInvalid()
    {
        var result = Apply(Order, Filter("event = 'Order Completed'", Drop()) with { Enabled = false }, Filter("(((", Drop()) with { Enabled = false });

        Assert.False(result.IsDropped);
    }

    [Fact]
    public void AllMatchesEveryEvent() =>
        Assert.True(Apply("""{"type":"identify","messageId":"x"}""", Filter("all", Drop())).IsDropped);

    [Fact]
    public void DropPropertiesRemovesTheListedKeysAtEachPath()
    {
        var result = Apply(Order, Filter("all", Fields("DROP_PROPERTIES", ("", ["userId"]), ("properties", ["email"]), ("context", ["ip"]))));

        var json = result.Event!;
        Assert.False(json.ContainsKey("userId"));
        Assert.False(json["properties"]!.AsObject().ContainsKey("email"));
        Assert.False(json["context"]!.AsObject().ContainsKey("ip"));
        Assert.Equal(30, json["properties"]!["total"]!.GetValue<int>());
        Assert.Equal("analytics.js", json["context"]!["library"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void DropPropertiesRemovesAKeyFromEveryObjectOfAnArray()
    {
        var result = Apply(Order, Filter("all", Fields("DROP_PROPERTIES", ("properties.products", ["price"]))));

        var products = result.Event!["properties"]!["products"]!.AsArray();
        Assert.Equal("""[{"sku":"s1"},{"sku":"s2"},"not an object"]""", products.ToJsonString());
    }

    [Fact]
    public void DropPropertiesCanRemoveAWholeArray()
    {
        var result = Apply(Order, Filter("all", Fields("DROP_PROPERTIES", ("properties", ["products"]))));

        Assert.False(result.Event!["properties"]!.AsObject().ContainsKey("products"));
    }

    [Fact]
    public void PropertyPathsThatLeadNowhereChangeNothing()
    {
        var result = Apply(Order, Filter("all", Fields("DROP_PROPERTIES", ("traits.address", ["city"]), ("properties.total", ["x"]))));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Order), result.Event));
    }

    [Fact]
    public void AllowPropertiesKeepsOnlyTheListedKeysAtEachPath()
    {
        var result = Apply(Order, Filter("all", Fields("ALLOW_PROPERTIES", ("properties", ["total", "absent"]), ("properties.products", ["sku"]))));

        Assert.Equal("""{"total":30}""", result.Event!["properties"]!.ToJsonString());
        Assert.Equal("u1", result.Event["userId"]!.GetValue<string>());
        Assert.Equal("1.2.3.4", result.Event["context"]!["ip"]!.GetValue<string>());
    }

    [Fact]
    public void AllowPropertiesReachesIntoArrays()
    {
        var result = Apply(Order, Filter("all", Fields("ALLOW_PROPERTIES", ("properties.products", ["sku"]))));

        Assert.Equal("""[{"sku":"s1"},{"sku":"s2"},"not an object"]""", result.Event!["properties"]!["products"]!.ToJsonString());
    }

    [Fact]
    public void PropertyActionsOnlyApplyWhenTheirFilterMatches()
    {
        var result = Apply(Order, Filter("type = 'identify'", Fields("DROP_PROPERTIES", ("properties", ["email"]))));

        Assert.Equal("a@b.c", result.Event!["properties"]!["email"]!.GetValue<string>());
    }

    [Fact]
    public void ConditionsAreReadOnTheEventAsItArrivedNotAfterOtherFiltersChangedIt()
    {
        // The first filter removes the email; the second still sees it and drops the event.
        var result = Apply(Order,
            Filter("all", Fields("DROP_PROPERTIES", ("properties", ["email"]))),
            Filter("properties.email != null", Drop()));

        Assert.True(result.IsDropped);
    }

    [Fact]
    public void DropPropertiesRunsBeforeAllowPropertiesWhateverTheFilterOrder()
    {
        // Allow keeps email and total, then drop removes email: only total stays. Were allow to run first and
        // drop second the result would be the same here, so check the other direction too.
        var allow = Filter("all", Fields("ALLOW_PROPERTIES", ("properties", ["email", "total"])));
        var drop = Filter("all", Fields("DROP_PROPERTIES", ("properties", ["email"])));

        Assert.Equal("""{"total":30}""", Apply(Order, allow, drop).Event!["properties"]!.ToJsonString());
        Assert.Equal("""{"total":30}""", Apply(Order, drop, allow).Event!["properties"]!.ToJsonString());
    }

    [Fact]
    public void SampleRunsBeforeDropSoASampledOutEventReportsSampling()
    {
        var drop = Filter("all", Drop());
        var sample = Filter("all", Sample(0));

        var result = Apply(Order, drop, sample);

        Assert.Equal(DestinationFilterDropReason.SampledOut, result.Drop!.Reason);
        Assert.Equal(1, result.Drop.FilterIndex);
    }

    [Fact]
    public void SampleAtOneKeepsEverythingAndAtZeroNothing()
    {
        Assert.False(Apply(Order, Filter("all", Sample(1))).IsDropped);
        Assert.True(Apply(Order, Filter("all", Sample(0))).IsDropped);
    }

    [Fact]
    public void SamplingTheSameSeedAlwaysGivesTheSameAnswer()
    {
        var set = DestinationFilterSet.Compile([Filter("all", Sample(0.5, "userId"))]);

        for (var user = 0; user < 200; user++)
        {
            var first = set.Apply(Parse($$"""{"userId":"user-{{user}}","messageId":"a"}""")).IsDropped;
            for (var repeat = 0; repeat < 3; repeat++)
            {
                // Other fields, including messageId, do not change the decision.
                var again = set.Apply(Parse($$"""{"userId":"user-{{user}}","messageId":"m{{repeat}}","event":"E{{repeat}}"}""")).IsDropped;
                Assert.Equal(first, again);
            }
        }
    }

    [Fact]
    public void SamplingTenThousandSeedsAtThirtyPercentKeepsAboutThirtyPercent()
    {
        var set = DestinationFilterSet.Compile([Filter("all", Sample(0.3))]);

        var kept = Enumerable.Range(0, 10_000).Count(i => !set.Apply(Parse($$"""{"messageId":"msg-{{i}}"}""")).IsDropped);

        // Binomial(10000, 0.3) has a standard deviation of about 46; allow more than six of them.
        Assert.InRange(kept, 2700, 3300);
    }

    [Fact]
    public void SamplingOnAPathKeepsNestedSetsAcrossPercentages()
    {
        var low = DestinationFilterSet.Compile([Filter("all", Sample(0.1, "$.userId"))]);
        var high = DestinationFilterSet.Compile([Filter("all", Sample(0.3, "userId"))]);

        for (var i = 0; i < 2000; i++)
        {
            var evt = Parse($$"""{"userId":"u{{i}}"}""");
            if (!low.Apply(evt).IsDropped)
            {
                Assert.False(high.Apply(evt).IsDropped);
            }
        }
    }

    [Fact]
    public void AnEscapedStringSeedSamplesLikeTheSameText()
    {
        var set = DestinationFilterSet.Compile([Filter("all", Sample(0.5, "userId"))]);

        for (var i = 0; i < 100; i++)
        {
            var plain = set.Apply(Parse($$"""{"userId":"é{{i}}"}""")).IsDropped;
            var escaped = set.Apply(Parse($$"""{"userId":"\u00e9{{i}}"}""")).IsDropped;
            Assert.Equal(plain, escaped);
        }
    }

    [Fact]
    public void SamplingWithoutAPathOrWithAMissingPathSeedsWithTheMessageId()
    {
        var byMessage = DestinationFilterSet.Compile([Filter("all", Sample(0.5))]);
        var byMissingPath = DestinationFilterSet.Compile([Filter("all", Sample(0.5, "properties.absent"))]);

        for (var i = 0; i < 100; i++)
        {
            var evt = Parse($$"""{"messageId":"m{{i}}","userId":"same"}""");
            Assert.Equal(byMessage.Apply(evt).IsDropped, byMissingPath.Apply(evt).IsDropped);
        }
    }

    [Fact]
    public void AnInvalidConditionDropsEveryEventBecauseFiltersFailClosed()
    {
        var result = Apply(Order, Filter("userId = oops\"", Fields("DROP_PROPERTIES", ("properties", ["email"]))));

        Assert.True(result.IsDropped);
        Assert.Equal(DestinationFilterDropReason.InvalidFilter, result.Drop.Reason);
        Assert.Contains("The string that starts at column 14 is not closed", result.Drop.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidActionDropsEveryEventBecauseFiltersFailClosed()
    {
        var result = Apply(Order, Filter("type = 'page'", Sample(1.5)));

        Assert.Equal(DestinationFilterDropReason.InvalidFilter, result.Drop!.Reason);
    }

    [Fact]
    public void AConditionThatFailsOnAnEventDropsThatEvent()
    {
        var filter = Filter("properties.email > 3", Fields("DROP_PROPERTIES", ("properties", ["email"])));

        var result = Apply(Order, filter);

        Assert.Equal(DestinationFilterDropReason.ConditionError, result.Drop!.Reason);
        Assert.Contains("\">\" compares numbers, but properties.email is a string.", result.Drop.Message, StringComparison.Ordinal);
        Assert.False(Apply("""{"properties":{"email":5}}""", filter).IsDropped);
    }

    [Fact]
    public void AnEventThatIsNotAnObjectIsDropped() =>
        Assert.Equal(DestinationFilterDropReason.InvalidEvent, DestinationFilterSet.Compile([]).Apply(Parse("[1]")).Drop!.Reason);

    [Fact]
    public void AnEventRepeatingAKeyIsDroppedRatherThanSentWithPropertiesThatShouldBeRemoved()
    {
        var result = Apply("""{"properties":{"email":"a","email":"b"}}""", Filter("all", Fields("DROP_PROPERTIES", ("properties", ["email"]))));

        Assert.Equal(DestinationFilterDropReason.InvalidEvent, result.Drop!.Reason);
    }

    [Fact]
    public void TheResultDoesNotDependOnTheInputDocument()
    {
        JsonObject result;
        using (var document = JsonDocument.Parse(Order))
        {
            result = DestinationFilterSet.Compile([Filter("type = 'page'", Drop())]).Apply(document.RootElement).Event!;
        }

        Assert.Equal("Order Completed", result["event"]!.GetValue<string>());
    }

    [Fact]
    public void TheOlderConfigApiActionNamesAreUnderstood()
    {
        var result = Apply(Order,
            Filter("all", Fields("blocklist_fields", ("properties", ["email"]))),
            Filter("all", Fields("whitelist_fields", ("", ["type", "event", "properties"]))));

        Assert.Equal(["type", "event", "properties"], result.Event!.Select(p => p.Key));
        Assert.True(Apply(Order, Filter("all", new DestinationFilterAction { Type = "drop_event" })).IsDropped);
    }

    private static DestinationFilterResult Apply(string json, params DestinationFilter[] filters) =>
        DestinationFilterSet.Compile(filters).Apply(Parse(json));

    internal static DestinationFilter Filter(string fql, params DestinationFilterAction[] actions) =>
        new() { If = fql, Actions = actions };

    internal static DestinationFilterAction Drop() => new() { Type = "DROP" };

    internal static DestinationFilterAction Sample(double percent, string? path = null) =>
        new() { Type = "SAMPLE", Percent = percent, Path = path };

    internal static DestinationFilterAction Fields(string type, params (string Path, string[] Keys)[] fields) =>
        new() { Type = type, Fields = fields.ToDictionary(f => f.Path, f => (IReadOnlyList<string>)f.Keys) };

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;
}
