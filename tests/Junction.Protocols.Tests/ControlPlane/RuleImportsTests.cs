using System.Text.Json;
using Junction.Protocols.Observation;
using Junction.Protocols.Templates;
using Junction.Testing;
using static Junction.Protocols.Tests.ControlPlane.ProtocolsApiClient;

namespace Junction.Protocols.Tests.ControlPlane;

/// <summary>
/// Adding ready-made rules to a plan: Segment's spec templates (listed, added, added again without undoing a rule
/// someone changed) and a source's observed schema (one rule per event seen, with the types seen, leaving out what the
/// schema view archived or blocked, within a chosen window).
/// </summary>
public sealed class RuleImportsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly FakeSchemaInventory _inventory = new();
    private JunctionTestServer _server = null!;
    private HttpClient _api = null!;
    private string _plan = "";
    private string _source = "";

    public async ValueTask InitializeAsync()
    {
        _server = await StartAsync(_inventory);
        _api = await _server.CreateApiClientAsync();
        _plan = await _api.CreatePlanAsync();
        (_source, _) = await _server.CreateSourceAsync("web");
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task TheTemplatesAreListedWithTheirEvents()
    {
        var templates = (await _api.GetAsync("protocols/templates").DataAsync()).GetProperty("templates").EnumerateArray().ToList();

        Assert.Equal(SpecTemplates.All.Select(t => t.Id), templates.Select(t => t.GetProperty("id").GetString()));
        var ecommerce = templates.Single(t => t.GetProperty("id").GetString() == "ecommerce-v2");
        Assert.Equal("E-commerce v2", ecommerce.GetProperty("name").GetString());
        Assert.Contains("Order Completed", ecommerce.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ATemplateAddsItsRulesAndAddingItAgainKeepsARuleSomeoneChanged()
    {
        var template = SpecTemplates.Find("ecommerce-v2")!;
        await _api.PutRulesAsync(_plan, Track("Order Completed", properties: """{"order_id":{"type":"integer"}}"""));

        var added = await _api.PostAsync($"tracking-plans/{_plan}/templates/ecommerce-v2", null).DataAsync();

        var addedNames = added.GetProperty("added").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Equal(template.Rules.Count - 1, addedNames.Count);
        Assert.Contains("TRACK \"Product Viewed\" v1", addedNames);
        Assert.Equal(["TRACK \"Order Completed\" v1: the plan has this rule already"], added.GetProperty("skipped").EnumerateArray().Select(s => s.GetString()));
        var rules = await _api.RulesAsync(_plan);
        Assert.Equal(template.Rules.Count, rules.Count);
        var kept = rules.Single(r => r.GetProperty("key").GetString() == "Order Completed");
        Assert.Equal("integer", kept.GetProperty("jsonSchema").GetProperty("properties").GetProperty("properties")
            .GetProperty("properties").GetProperty("order_id").GetProperty("type").GetString());
        var viewed = rules.Single(r => r.GetProperty("key").GetString() == "Product Viewed");
        Assert.True(JsonElement.DeepEquals(template.Rules.Single(r => r.Key == "Product Viewed").JsonSchema, viewed.GetProperty("jsonSchema")));

        var again = await _api.PostAsync($"tracking-plans/{_plan}/templates/ecommerce-v2", null).DataAsync();
        Assert.Empty(again.GetProperty("added").EnumerateArray());
        Assert.Equal(template.Rules.Count, again.GetProperty("skipped").GetArrayLength());

        var unknown = await _api.PostAsync($"tracking-plans/{_plan}/templates/nope", null).ErrorAsync(404);
        Assert.Contains("ecommerce-v2", unknown.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheObservedSchemaBecomesRulesWithTheTypesSeen()
    {
        _inventory.Events[_source] =
        [
            Observed("track", "Order Completed", [("properties.order_id", ["string"]), ("properties.total", ["integer", "number"]),
                ("properties.coupon", ["string", "null"]), ("properties.products", ["array"]), ("properties.products.$", ["object"]),
                ("properties.products.$.sku", ["string"]), ("properties.shipping.method", ["string"])]),
            Observed("identify", "", [("traits.email", ["string"]), ("traits.age", ["integer"])]),
            Observed("page", "Home"),
            Observed("track", "Old Event", lastSeen: Now.AddDays(-10)),
            Observed("track", "Archived Event", archived: true),
            Observed("track", "Blocked Event", blocked: true),
            Observed("alias", ""),
        ];

        var added = await _api.PostAsync($"tracking-plans/{_plan}/import-schema/{_source}?window=7d", null).DataAsync();

        Assert.Equal(["IDENTIFY v1", "PAGE \"Home\" v1", "TRACK \"Order Completed\" v1"], added.GetProperty("added").EnumerateArray().Select(a => a.GetString()).Order());
        var rules = await _api.RulesAsync(_plan);
        var order = rules.Single(r => r.GetProperty("type").GetString() == "TRACK").GetProperty("jsonSchema");
        Assert.Equal("http://json-schema.org/draft-07/schema#", order.GetProperty("$schema").GetString());
        var properties = order.GetProperty("properties").GetProperty("properties");
        Assert.Equal(
            """{"type":"object","properties":{"coupon":{"type":["string","null"]},"order_id":{"type":"string"},"products":{"type":"array","items":{"type":"object","properties":{"sku":{"type":"string"}}}},"shipping":{"type":"object","properties":{"method":{"type":"string"}}},"total":{"type":"number"}}}""",
            properties.GetRawText());
        Assert.False(properties.TryGetProperty("required", out _));
        var identify = rules.Single(r => r.GetProperty("type").GetString() == "IDENTIFY").GetProperty("jsonSchema");
        Assert.Equal("""{"type":"object","properties":{"age":{"type":"integer"},"email":{"type":"string"}}}""",
            identify.GetProperty("properties").GetProperty("traits").GetRawText());

        var everything = await _api.PostAsync($"tracking-plans/{_plan}/import-schema/{_source}", null).DataAsync();
        Assert.Equal(["TRACK \"Old Event\" v1"], everything.GetProperty("added").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(3, everything.GetProperty("skipped").GetArrayLength());
    }

    [Fact]
    public async Task AnUnknownWindowOrAForeignSourceIsRefused()
    {
        var (_, foreign) = await _server.AddOtherWorkspaceAsync();

        var window = await _api.PostAsync($"tracking-plans/{_plan}/import-schema/{_source}?window=2w", null).ErrorAsync(422);
        Assert.Equal("window", window.GetProperty("field").GetString());
        await _api.PostAsync($"tracking-plans/{_plan}/import-schema/{foreign}", null).ErrorAsync(404);
        Assert.Empty(await _api.RulesAsync(_plan));
    }

    private static ObservedEvent Observed(
        string type, string name, (string Path, string[] Types)[]? properties = null, DateTimeOffset? lastSeen = null, bool archived = false, bool blocked = false)
    {
        var seen = lastSeen ?? Now.AddMinutes(-5);
        return new ObservedEvent("src", type, name, seen.AddDays(-20), seen, 1, 5, 20, 0, blocked, archived,
            (properties ?? []).Select(p => new ObservedProperty(p.Path, p.Types, seen.AddDays(-20), seen, false)).ToList());
    }
}
