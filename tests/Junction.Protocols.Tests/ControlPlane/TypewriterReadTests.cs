using System.Text.Json;
using Junction.Testing;
using static Junction.Protocols.Tests.ControlPlane.ProtocolsApiClient;

namespace Junction.Protocols.Tests.ControlPlane;

/// <summary>
/// Segment's typewriter reads a plan with a token holding only Tracking Plan Read-only: it checks the token with
/// <c>GET /</c>, lists plans and reads one with <c>GET /tracking-plans/{id}</c>, then pages through
/// <c>GET /tracking-plans/{id}/rules?pagination.count=200</c> while <c>pagination.next</c> is present, and keeps the
/// newest version of each TRACK rule, unwrapping <c>jsonSchema.properties.properties</c>. These tests make the same
/// calls and read the same fields.
/// </summary>
public sealed class TypewriterReadTests : IAsyncLifetime
{
    private JunctionTestServer _server = null!;
    private HttpClient _owner = null!;
    private HttpClient _typewriter = null!;
    private string _plan = "";

    public async ValueTask InitializeAsync()
    {
        _server = await StartAsync();
        _owner = await _server.CreateApiClientAsync();
        _typewriter = await _server.ClientWithRolesAsync(("tracking-plan-read-only", null));
        _plan = await _owner.CreatePlanAsync("Typewriter plan");
        await _owner.PutRulesAsync(_plan,
            Track("Order Completed", 1, """{"order_id":{"type":"string"}}""", """["order_id"]"""),
            Track("Order Completed", 2, """{"order_id":{"type":"string"},"total":{"type":"number"}}""", """["order_id","total"]"""),
            Track("Product Viewed", 1, """{"sku":{"type":"string"},"price":{"type":["number","null"]}}"""),
            Track("Signed Up"),
            Traits("IDENTIFY"));
    }

    public async ValueTask DisposeAsync()
    {
        _typewriter.Dispose();
        _owner.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ATrackingPlanReadOnlyTokenReadsThePlanAndEveryRuleThePagesOffer()
    {
        var workspace = await _typewriter.GetAsync("").DataAsync();
        Assert.False(string.IsNullOrEmpty(workspace.GetProperty("workspace").GetProperty("id").GetString()));

        var plans = await _typewriter.GetAsync("tracking-plans?pagination.count=200").DataAsync();
        Assert.Equal(_plan, Assert.Single(plans.GetProperty("trackingPlans").EnumerateArray()).GetProperty("id").GetString());
        Assert.False(plans.GetProperty("pagination").TryGetProperty("next", out _));

        var plan = (await _typewriter.GetAsync($"tracking-plans/{_plan}").DataAsync()).GetProperty("trackingPlan");
        Assert.Equal(("Typewriter plan", "typewriter-plan"), (plan.GetProperty("name").GetString(), plan.GetProperty("slug").GetString()));
        Assert.True(DateTimeOffset.TryParse(plan.GetProperty("createdAt").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.True(DateTimeOffset.TryParse(plan.GetProperty("updatedAt").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));

        // Pages of two, to go through typewriter's loop more than once.
        var rules = new List<JsonElement>();
        var page = await _typewriter.GetAsync($"tracking-plans/{_plan}/rules?pagination.count=2").DataAsync();
        rules.AddRange(page.GetProperty("rules").EnumerateArray());
        var pages = 1;
        while (page.GetProperty("pagination").TryGetProperty("next", out var next))
        {
            page = await _typewriter.GetAsync($"tracking-plans/{_plan}/rules?pagination.count=2&pagination.cursor={next.GetString()}").DataAsync();
            rules.AddRange(page.GetProperty("rules").EnumerateArray());
            Assert.True(++pages <= 3, "Typewriter would keep asking for more pages.");
        }

        Assert.Equal(3, pages);
        Assert.Equal(5, rules.Count);

        // What typewriter keeps: the newest version of each TRACK rule, with the event's properties unwrapped.
        var track = rules.Where(r => r.GetProperty("type").GetString() == "TRACK").ToList();
        var newest = track.Where(r => track.All(o => o.GetProperty("key").GetString() != r.GetProperty("key").GetString()
            || r.GetProperty("version").GetInt32() >= o.GetProperty("version").GetInt32())).ToList();
        Assert.Equal(["Order Completed", "Product Viewed", "Signed Up"], newest.Select(r => r.GetProperty("key").GetString()));
        var orderCompleted = newest[0].GetProperty("jsonSchema").GetProperty("properties").GetProperty("properties");
        Assert.Equal(2, newest[0].GetProperty("version").GetInt32());
        Assert.Equal(["order_id", "total"], orderCompleted.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["order_id", "total"], orderCompleted.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("""["number","null"]""", newest[1].GetProperty("jsonSchema").GetProperty("properties").GetProperty("properties")
            .GetProperty("properties").GetProperty("price").GetProperty("type").GetRawText());
    }

    [Fact]
    public async Task TheReadOnlyTokenCannotChangeThePlanTypewriterReads()
    {
        await _typewriter.PatchJsonAsync($"tracking-plans/{_plan}/rules", $$"""{"rules":[{{Track("Sneaky Event")}}]}""").ErrorAsync(403);
        await _typewriter.DeleteAsync($"tracking-plans/{_plan}").ErrorAsync(403);

        Assert.Equal(5, (await _owner.RulesAsync(_plan)).Count);
    }
}
