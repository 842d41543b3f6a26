using System.Globalization;
using System.Text.Json;
using Junction.Testing;

namespace Junction.Protocols.Tests.ControlPlane;

/// <summary>
/// Tracking plans through the Public API of a whole running server: Segment's <c>TrackingPlanV1</c> shape field by
/// field, slugs, the type filter, pagination as Segment writes it, partial updates, deletion with everything that
/// hangs off a plan, validation errors naming their field, and the audit trail.
/// </summary>
public sealed class TrackingPlansApiTests : IAsyncLifetime
{
    private JunctionTestServer _server = null!;
    private HttpClient _api = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await ProtocolsApiClient.StartAsync();
        _api = await _server.CreateApiClientAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ACreatedPlanHasSegmentsShapeAndReadsBackTheSame()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var created = (await _api.PostJsonAsync("tracking-plans", """{"name":"Web plan","description":"What the web app sends.","type":"LIVE"}""")
            .DataAsync(201)).GetProperty("trackingPlan");

        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("tp_", id, StringComparison.Ordinal);
        Assert.Equal(("Web plan", "web-plan", "What the web app sends.", "LIVE"),
            (created.GetProperty("name").GetString(), created.GetProperty("slug").GetString(),
             created.GetProperty("description").GetString(), created.GetProperty("type").GetString()));
        var createdAt = DateTimeOffset.Parse(created.GetProperty("createdAt").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(createdAt, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.EndsWith("Z", created.GetProperty("createdAt").GetString(), StringComparison.Ordinal);
        Assert.Equal(created.GetProperty("createdAt").GetString(), created.GetProperty("updatedAt").GetString());
        Assert.Equal(["id", "name", "slug", "description", "type", "createdAt", "updatedAt"], created.EnumerateObject().Select(p => p.Name));

        var read = (await _api.GetAsync($"tracking-plans/{id}").DataAsync()).GetProperty("trackingPlan");
        Assert.Equal(created.ToString(), read.ToString());
        Assert.Equal(id, _server.Directory().FindPlan(id)!.Id);
    }

    [Fact]
    public async Task APlanWithoutTypeIsLiveAndWithoutDescriptionLeavesTheFieldOut()
    {
        var created = (await _api.PostJsonAsync("tracking-plans", """{"name":"Bare"}""").DataAsync(201)).GetProperty("trackingPlan");

        Assert.Equal("LIVE", created.GetProperty("type").GetString());
        Assert.False(created.TryGetProperty("description", out _));
    }

    [Fact]
    public async Task PlansWithTheSameNameGetDistinctSlugs()
    {
        var slugs = new List<string>();
        foreach (var name in new[] { "Web plan", "Web plan", "web PLAN!", "¿¿" })
        {
            var created = (await _api.PostJsonAsync("tracking-plans", $$"""{"name":"{{name}}"}""").DataAsync(201)).GetProperty("trackingPlan");
            slugs.Add(created.GetProperty("slug").GetString()!);
        }

        Assert.Equal(["web-plan", "web-plan-2", "web-plan-3", "tracking-plan"], slugs);
    }

    [Theory]
    [InlineData("""{"type":"LIVE"}""", "name")]
    [InlineData("""{"name":"  ","type":"LIVE"}""", "name")]
    [InlineData("""{"name":7}""", "name")]
    [InlineData("""{"name":"Plan","type":"TEMPLATE"}""", "type")]
    [InlineData("""{"name":"Plan","type":"NOPE"}""", "type")]
    [InlineData("""{"name":"Plan","description":false}""", "description")]
    public async Task InvalidInputIsRefusedWith422NamingTheField(string body, string field)
    {
        var error = await _api.PostJsonAsync("tracking-plans", body).ErrorAsync(422);

        Assert.Equal(("input-validation", field), (error.GetProperty("type").GetString(), error.GetProperty("field").GetString()));
        Assert.Contains(field, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty((await _api.GetAsync("tracking-plans").DataAsync()).GetProperty("trackingPlans").EnumerateArray());
    }

    [Fact]
    public async Task TheListPagesLikeSegmentAndLeavesOutNextOnTheLastPage()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await _api.CreatePlanAsync($"Plan {i}"));
        }

        var first = await _api.GetAsync("tracking-plans?pagination[count]=2").DataAsync();
        Assert.Equal(ids[..2], first.GetProperty("trackingPlans").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        var pagination = first.GetProperty("pagination");
        Assert.Equal(3, pagination.GetProperty("totalEntries").GetInt32());
        Assert.False(pagination.TryGetProperty("previous", out _));
        var next = pagination.GetProperty("next").GetString();

        var last = await _api.GetAsync($"tracking-plans?pagination.count=2&pagination.cursor={next}").DataAsync();
        Assert.Equal([ids[2]], last.GetProperty("trackingPlans").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.False(last.GetProperty("pagination").TryGetProperty("next", out _));
        Assert.True(last.GetProperty("pagination").TryGetProperty("previous", out _));
    }

    [Fact]
    public async Task TheTypeFilterKeepsLivePlansAndAnUnknownTypeIsRefused()
    {
        var id = await _api.CreatePlanAsync();

        var live = await _api.GetAsync("tracking-plans?type=LIVE").DataAsync();
        Assert.Equal([id], live.GetProperty("trackingPlans").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        var engage = await _api.GetAsync("tracking-plans?type=ENGAGE").DataAsync();
        Assert.Empty(engage.GetProperty("trackingPlans").EnumerateArray());
        var error = await _api.GetAsync("tracking-plans?type=live-ish").ErrorAsync(422);
        Assert.Equal("type", error.GetProperty("field").GetString());
    }

    [Fact]
    public async Task APatchChangesNameAndDescriptionButKeepsTheSlug()
    {
        var id = await _api.CreatePlanAsync();
        var created = (await _api.GetAsync($"tracking-plans/{id}").DataAsync()).GetProperty("trackingPlan");

        var status = await _api.PatchJsonAsync($"tracking-plans/{id}", """{"name":"Renamed","description":"Now described."}""").DataAsync();
        Assert.Equal("""{"status":"SUCCESS"}""", status.GetRawText());
        var renamed = (await _api.GetAsync($"tracking-plans/{id}").DataAsync()).GetProperty("trackingPlan");
        Assert.Equal(("Renamed", "web-plan", "Now described."),
            (renamed.GetProperty("name").GetString(), renamed.GetProperty("slug").GetString(), renamed.GetProperty("description").GetString()));
        Assert.True(string.CompareOrdinal(renamed.GetProperty("updatedAt").GetString(), created.GetProperty("updatedAt").GetString()) >= 0);

        await _api.PatchJsonAsync($"tracking-plans/{id}", """{"description":""}""").DataAsync();
        var cleared = (await _api.GetAsync($"tracking-plans/{id}").DataAsync()).GetProperty("trackingPlan");
        Assert.Equal("Renamed", cleared.GetProperty("name").GetString());
        Assert.False(cleared.TryGetProperty("description", out _));

        var error = await _api.PatchJsonAsync($"tracking-plans/{id}", """{"name":""}""").ErrorAsync(422);
        Assert.Equal("name", error.GetProperty("field").GetString());
        Assert.Equal("Renamed", _server.Directory().FindPlan(id)!.Name);
    }

    [Fact]
    public async Task DeletingAPlanRemovesItsRulesAndDisconnectsItsSources()
    {
        var (sourceId, _) = await _server.CreateSourceAsync("web");
        var id = await _api.CreatePlanAsync();
        await _api.PutRulesAsync(id, ProtocolsApiClient.Track("Order Completed"));
        await _api.PostJsonAsync($"tracking-plans/{id}/sources", $$"""{"sourceId":"{{sourceId}}"}""").DataAsync(201);
        Assert.Equal(id, _server.Directory().ForSource(sourceId)!.TrackingPlanId);

        var status = await _api.DeleteAsync($"tracking-plans/{id}").DataAsync();

        Assert.Equal("SUCCESS", status.GetProperty("status").GetString());
        await _api.GetAsync($"tracking-plans/{id}").ErrorAsync(404);
        await _api.GetAsync($"tracking-plans/{id}/rules").ErrorAsync(404);
        Assert.Null(_server.Directory().FindPlan(id));
        Assert.Null(_server.Directory().ForSource(sourceId));
        await _api.DeleteAsync($"tracking-plans/{id}").ErrorAsync(404);

        // The source is free for another plan.
        var other = await _api.CreatePlanAsync("Other");
        await _api.PostJsonAsync($"tracking-plans/{other}/sources", $$"""{"sourceId":"{{sourceId}}"}""").DataAsync(201);
    }

    [Fact]
    public async Task EveryChangeToAPlanIsInTheAuditTrail()
    {
        var id = await _api.CreatePlanAsync();
        await _api.PatchJsonAsync($"tracking-plans/{id}", """{"name":"Renamed"}""").DataAsync();
        await _api.PutRulesAsync(id, ProtocolsApiClient.Track("Order Completed"));
        await _api.DeleteAsync($"tracking-plans/{id}").DataAsync();

        var events = (await _api.GetAsync($"audit-events?resourceId={id}").DataAsync()).GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(
            ["Tracking Plan Deleted", "Tracking Plan Rules Modified", "Tracking Plan Modified", "Tracking Plan Created"],
            events.Select(e => e.GetProperty("type").GetString()));
        Assert.All(events, e => Assert.Equal("TRACKING_PLAN", e.GetProperty("resourceType").GetString()));
    }

    [Fact]
    public async Task AMalformedBodyIsAnsweredInTheErrorEnvelope()
    {
        var (status, body) = await _api.PostJsonAsync("tracking-plans", "{not json").ReadAsync();

        Assert.Equal(400, status);
        Assert.Equal("bad-request", body.GetProperty("errors")[0].GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Undefined, body.TryGetProperty("data", out var data) ? data.ValueKind : JsonValueKind.Undefined);
    }
}
