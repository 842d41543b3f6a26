using System.Text.Json;
using Junction.Testing;
using static Junction.Protocols.Tests.ControlPlane.ProtocolsApiClient;

namespace Junction.Protocols.Tests.ControlPlane;

/// <summary>
/// A plan's rules through the Public API: Segment's <c>RuleV1</c> shape, PUT replacing all rules, PATCH upserting with
/// <c>newKey</c> renames, DELETE with the <c>rules</c> query in bracket and JSON form, each rule's history, and refusals
/// that name the rule and its field while leaving the plan as it was.
/// </summary>
public sealed class RulesApiTests : IAsyncLifetime
{
    private JunctionTestServer _server = null!;
    private HttpClient _api = null!;
    private string _plan = "";

    public async ValueTask InitializeAsync()
    {
        _server = await StartAsync();
        _api = await _server.CreateApiClientAsync();
        _plan = await _api.CreatePlanAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task RulesAreListedInSegmentsShapeWithTheSchemaAsSent()
    {
        var schema = TrackSchema("""{"order_id":{"type":"string","description":"The order"},"total":{"type":["number","null"]}}""", """["order_id"]""");
        await _api.PutRulesAsync(_plan,
            $$"""{"type":"TRACK","key":"Order Completed","version":1,"jsonSchema":{{schema}}}""",
            Traits("IDENTIFY"),
            """{"type":"COMMON","version":1,"jsonSchema":{"type":"object","required":["userId"]}}""",
            """{"type":"PAGE","key":null,"version":1,"jsonSchema":{"type":"object"}}""");

        var rules = await _api.RulesAsync(_plan);

        Assert.Equal(["COMMON", "IDENTIFY", "PAGE", "TRACK"], rules.Select(r => r.GetProperty("type").GetString()));
        var track = rules[3];
        Assert.Equal(["type", "key", "jsonSchema", "version", "createdAt", "updatedAt"], track.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("Order Completed", 1), (track.GetProperty("key").GetString(), track.GetProperty("version").GetInt32()));
        Assert.True(JsonElement.DeepEquals(JsonSerializer.Deserialize<JsonElement>(schema), track.GetProperty("jsonSchema")));
        Assert.All(rules.Take(3), r => Assert.False(r.TryGetProperty("key", out _)));
        Assert.All(rules, r => Assert.False(r.TryGetProperty("deprecatedAt", out _)));
    }

    [Fact]
    public async Task PutReplacesEveryRuleAndKeepsTheHistoryOfUnchangedOnes()
    {
        await _api.PutRulesAsync(_plan, Track("Order Completed"), Track("Product Viewed"), Track("Cart Viewed"));
        var unchangedBefore = (await _api.RulesAsync(_plan)).Single(r => r.GetProperty("key").GetString() == "Product Viewed");

        await _api.PutRulesAsync(_plan,
            Track("Product Viewed"),
            Track("Order Completed", properties: """{"order_id":{"type":"integer"}}"""),
            Track("Checkout Started"));

        var rules = await _api.RulesAsync(_plan);
        Assert.Equal(["Checkout Started", "Order Completed", "Product Viewed"], rules.Select(r => r.GetProperty("key").GetString()));
        Assert.Equal("integer", rules[1].GetProperty("jsonSchema").GetProperty("properties").GetProperty("properties")
            .GetProperty("properties").GetProperty("order_id").GetProperty("type").GetString());
        Assert.Equal(unchangedBefore.ToString(), rules[2].ToString());
        Assert.Single(await HistoryAsync("TRACK", "Product Viewed"));
        Assert.Equal(["DELETED", "CREATED"], (await HistoryAsync("TRACK", "Cart Viewed")).Select(h => h.GetProperty("change").GetString()));

        await _api.PutRulesAsync(_plan);
        Assert.Empty(await _api.RulesAsync(_plan));
    }

    [Fact]
    public async Task PatchUpsertsRenamesWithNewKeyAndLeavesOtherRulesAlone()
    {
        await _api.PutRulesAsync(_plan, Track("Order Done"), Track("Product Viewed"));

        var status = await _api.PatchJsonAsync($"tracking-plans/{_plan}/rules", $$"""
            {"rules":[
              {"type":"TRACK","key":"Order Done","newKey":"Order Completed","version":1,"jsonSchema":{{TrackSchema()}}},
              {{Track("Signed Up")}},
              {{Traits("GROUP", """{"plan":{"type":"string"}}""")}}
            ]}
            """).DataAsync();

        Assert.Equal("SUCCESS", status.GetProperty("status").GetString());
        var rules = await _api.RulesAsync(_plan);
        Assert.Equal(["GROUP", "Order Completed", "Product Viewed", "Signed Up"],
            rules.Select(r => r.TryGetProperty("key", out var key) ? key.GetString() : r.GetProperty("type").GetString()));

        var history = await HistoryAsync("TRACK", "Order Completed");
        Assert.Equal(["RENAMED", "CREATED"], history.Select(h => h.GetProperty("change").GetString()));
        Assert.Equal(("Order Done", "Order Completed", 2), (history[0].GetProperty("previousKey").GetString(),
            history[0].GetProperty("key").GetString(), history[0].GetProperty("revision").GetInt32()));
        Assert.Equal(history[0].GetProperty("ruleId").GetString(), history[1].GetProperty("ruleId").GetString());

        // Under its old key, only what happened while it had that key.
        var old = await HistoryAsync("TRACK", "Order Done");
        Assert.Equal(["CREATED"], old.Select(h => h.GetProperty("change").GetString()));
    }

    [Fact]
    public async Task ARenameOntoAnExistingRuleIsAConflictAndChangesNothing()
    {
        await _api.PutRulesAsync(_plan, Track("A Happened"), Track("B Happened"));

        var error = await _api.PatchJsonAsync($"tracking-plans/{_plan}/rules", $$"""
            {"rules":[{{Track("C Happened")}},{"type":"TRACK","key":"A Happened","newKey":"B Happened","version":1,"jsonSchema":{{TrackSchema()}}}]}
            """).ErrorAsync(409);

        Assert.Equal("rules[1].newKey", error.GetProperty("field").GetString());
        Assert.Contains("\"B Happened\"", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(["A Happened", "B Happened"], (await _api.RulesAsync(_plan)).Select(r => r.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task ARuleWhoseSchemaTheEngineRefusesIsNamedAndNothingIsSaved()
    {
        await _api.PutRulesAsync(_plan, Track("Kept"));

        var error = await _api.PutJsonAsync($"tracking-plans/{_plan}/rules", $$$"""
            {"rules":[{{{Track("Fine")}}},{"type":"TRACK","key":"Broken Event","version":1,"jsonSchema":{"type":5}}]}
            """).ErrorAsync(422);

        Assert.Equal(("input-validation", "rules[1].jsonSchema"), (error.GetProperty("type").GetString(), error.GetProperty("field").GetString()));
        var message = error.GetProperty("message").GetString()!;
        const string Prefix = "rules[1].jsonSchema (TRACK \"Broken Event\" v1): ";
        Assert.StartsWith(Prefix, message, StringComparison.Ordinal);
        Assert.Contains("type", message[Prefix.Length..], StringComparison.Ordinal);
        Assert.Equal(["Kept"], (await _api.RulesAsync(_plan)).Select(r => r.GetProperty("key").GetString()));
    }

    [Theory]
    [InlineData("""{"rules":[{"type":"TRACK","version":1,"jsonSchema":{}}]}""", "rules[0].key")]
    [InlineData("""{"rules":[{"type":"IDENTIFY","key":"x","version":1,"jsonSchema":{}}]}""", "rules[0].key")]
    [InlineData("""{"rules":[{"type":"TRACK","key":"A","version":0,"jsonSchema":{}}]}""", "rules[0].version")]
    [InlineData("""{"rules":[{"type":"TRACK","key":"A","version":"1","jsonSchema":{}}]}""", "rules[0].version")]
    [InlineData("""{"rules":[{"type":"TRACK","key":"A","jsonSchema":{}}]}""", "rules[0].version")]
    [InlineData("""{"rules":[{"type":"EVENT","key":"A","version":1,"jsonSchema":{}}]}""", "rules[0].type")]
    [InlineData("""{"rules":[{"type":"TRACK","key":"A","version":1}]}""", "rules[0].jsonSchema")]
    [InlineData("""{"rules":[{"type":"TRACK","key":"A","version":1,"jsonSchema":[]}]}""", "rules[0].jsonSchema")]
    [InlineData("""{"rules":[{"type":"TRACK","key":5,"version":1,"jsonSchema":{}}]}""", "rules[0].key")]
    [InlineData("""{"rules":["TRACK"]}""", "rules[0]")]
    [InlineData("""{"rules":{}}""", "rules")]
    [InlineData("""{}""", "rules")]
    [InlineData("""{"rules":[{"type":"TRACK","key":"A","version":1,"jsonSchema":{}},{"type":"TRACK","key":"A","version":1,"jsonSchema":{}}]}""", "rules[1]")]
    [InlineData("""{"rules":[{"type":"IDENTIFY","version":1,"jsonSchema":{}},{"type":"IDENTIFY","version":2,"jsonSchema":{}}]}""", "rules[1].version")]
    public async Task InvalidRulesAreRefusedWith422NamingTheField(string body, string field)
    {
        var error = await _api.PutJsonAsync($"tracking-plans/{_plan}/rules", body).ErrorAsync(422);

        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Empty(await _api.RulesAsync(_plan));
    }

    [Fact]
    public async Task OnlyTrackRulesHaveSeveralVersions()
    {
        await _api.PutRulesAsync(_plan, Track("Order Completed", 1), Track("Order Completed", 2), Traits("IDENTIFY"));

        var error = await _api.PatchJsonAsync($"tracking-plans/{_plan}/rules", $$"""{"rules":[{{Traits("IDENTIFY", version: 2)}}]}""").ErrorAsync(422);

        Assert.Equal("rules[0].version", error.GetProperty("field").GetString());
        Assert.Equal([1, 2], (await _api.RulesAsync(_plan)).Where(r => r.GetProperty("type").GetString() == "TRACK").Select(r => r.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task DeleteRemovesTheRulesNamedInBracketOrJsonFormAndIgnoresUnknownOnes()
    {
        await _api.PutRulesAsync(_plan, Track("Order Completed", 1), Track("Order Completed", 2), Track("Product Viewed"), Traits("IDENTIFY"));

        var bracket = await _api.DeleteAsync($"tracking-plans/{_plan}/rules?rules[0][type]=TRACK&rules[0][key]=Order%20Completed&rules[0][version]=1"
            + "&rules[1][type]=TRACK&rules[1][key]=Nothing&rules[1][version]=1").DataAsync();
        Assert.Equal("SUCCESS", bracket.GetProperty("status").GetString());
        var json = Uri.EscapeDataString("""[{"type":"IDENTIFY","version":1},{"type":"TRACK","key":"Product Viewed","version":1}]""");
        await _api.DeleteAsync($"tracking-plans/{_plan}/rules?rules={json}").DataAsync();

        var rules = await _api.RulesAsync(_plan);
        var left = Assert.Single(rules);
        Assert.Equal(("Order Completed", 2), (left.GetProperty("key").GetString(), left.GetProperty("version").GetInt32()));
        Assert.Equal(["DELETED", "CREATED"], (await HistoryAsync("IDENTIFY", null)).Select(h => h.GetProperty("change").GetString()));

        var missing = await _api.DeleteAsync($"tracking-plans/{_plan}/rules").ErrorAsync(422);
        Assert.Equal("rules", missing.GetProperty("field").GetString());
        var badType = await _api.DeleteAsync($"tracking-plans/{_plan}/rules?rules[0][type]=NOPE&rules[0][version]=1").ErrorAsync(422);
        Assert.Equal("rules[0].type", badType.GetProperty("field").GetString());
    }

    [Fact]
    public async Task EveryChangeOfARuleKeepsThePreviousSchemaWithWhoAndWhen()
    {
        await _api.PutRulesAsync(_plan, Track("Order Completed", properties: """{"order_id":{"type":"string"}}"""));
        await _api.PatchJsonAsync($"tracking-plans/{_plan}/rules", $$"""{"rules":[{{Track("Order Completed", properties: """{"order_id":{"type":"integer"}}""")}}]}""").DataAsync();

        // The same schema sent again, with other spacing, is not a change.
        await _api.PatchJsonAsync($"tracking-plans/{_plan}/rules", $$"""{"rules":[ {{Track("Order Completed", properties: """{ "order_id" : { "type" : "integer" } }""")}} ]}""").DataAsync();

        var history = await HistoryAsync("TRACK", "Order Completed");
        Assert.Equal(["UPDATED", "CREATED"], history.Select(h => h.GetProperty("change").GetString()));
        Assert.Equal([2, 1], history.Select(h => h.GetProperty("revision").GetInt32()));
        string TypeOf(JsonElement revision) => revision.GetProperty("jsonSchema").GetProperty("properties").GetProperty("properties")
            .GetProperty("properties").GetProperty("order_id").GetProperty("type").GetString()!;
        Assert.Equal(["integer", "string"], history.Select(TypeOf));
        var changedBy = history[0].GetProperty("changedBy");
        Assert.Equal(("TOKEN", "tests"), (changedBy.GetProperty("type").GetString(), changedBy.GetProperty("name").GetString()));
        Assert.StartsWith("tok_", changedBy.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.True(string.CompareOrdinal(history[0].GetProperty("changedAt").GetString(), history[1].GetProperty("changedAt").GetString()) >= 0);

        var versionOne = await _api.GetAsync($"tracking-plans/{_plan}/rules/TRACK/Order%20Completed/history?version=1").DataAsync();
        Assert.Equal(2, versionOne.GetProperty("pagination").GetProperty("totalEntries").GetInt32());
        await _api.GetAsync($"tracking-plans/{_plan}/rules/TRACK/Order%20Completed/history?version=2").ErrorAsync(404);
        await _api.GetAsync($"tracking-plans/{_plan}/rules/TRACK/Never%20Sent/history").ErrorAsync(404);
        await _api.GetAsync($"tracking-plans/{_plan}/rules/NOPE/history").ErrorAsync(422);
    }

    [Fact]
    public async Task TheRulesListPagesWithSegmentsPagination()
    {
        await _api.PutRulesAsync(_plan, Track("A Happened"), Track("B Happened"), Track("C Happened"));

        var first = await _api.GetAsync($"tracking-plans/{_plan}/rules?pagination.count=2").DataAsync();
        Assert.Equal(["A Happened", "B Happened"], first.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("key").GetString()));
        var next = first.GetProperty("pagination").GetProperty("next").GetString();
        var last = await _api.GetAsync($"tracking-plans/{_plan}/rules?pagination.count=2&pagination.cursor={next}").DataAsync();
        Assert.Equal(["C Happened"], last.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("key").GetString()));
        Assert.False(last.GetProperty("pagination").TryGetProperty("next", out _));
        Assert.Equal(3, last.GetProperty("pagination").GetProperty("totalEntries").GetInt32());
    }

    private async Task<List<JsonElement>> HistoryAsync(string type, string? key)
    {
        var path = key is null ? $"tracking-plans/{_plan}/rules/{type}/history" : $"tracking-plans/{_plan}/rules/{type}/{Uri.EscapeDataString(key)}/history";
        return (await _api.GetAsync(path).DataAsync()).GetProperty("history").EnumerateArray().ToList();
    }
}
