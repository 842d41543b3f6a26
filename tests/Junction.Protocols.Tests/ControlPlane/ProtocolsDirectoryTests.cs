using System.Text.Json;
using Junction.Protocols.Plans;
using Junction.Testing;
using Junction.Workspace;
using Junction.Workspace.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Junction.Protocols.Tests.ControlPlane.ProtocolsApiClient;

namespace Junction.Protocols.Tests.ControlPlane;

/// <summary>
/// The directory the processor reads: each source's plan compiled once and shared, picked up after each change the
/// control plane saves and, for changes made elsewhere, by its poll; a plan that does not compile is logged and its
/// sources treated as having no plan, without stopping anything; a source with nothing configured has no entry.
/// </summary>
public sealed class ProtocolsDirectoryTests : IAsyncLifetime
{
    private readonly LogCapture _logs = new();
    private JunctionTestServer _server = null!;
    private HttpClient _api = null!;
    private string _source = "";
    private string _plan = "";

    public async ValueTask InitializeAsync()
    {
        _server = await JunctionTestServer.StartAsync(configure: builder => builder.Logging.AddProvider(_logs));
        _api = await _server.CreateApiClientAsync();
        (_source, _) = await _server.CreateSourceAsync("web");
        _plan = await _api.CreatePlanAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task TheCompiledPlanFollowsEachRuleChange()
    {
        var order = """{"type":"track","event":"Order Completed","properties":{"order_id":42}}""";
        await _api.PutRulesAsync(_plan, Track("Order Completed", properties: """{"order_id":{"type":"string"}}"""));
        await _api.PostJsonAsync($"tracking-plans/{_plan}/sources", $$"""{"sourceId":"{{_source}}"}""").DataAsync(201);

        var before = Check(order);
        Assert.True(before.Planned);
        var violation = Assert.Single(before.Violations);
        Assert.Equal(("properties.order_id", ViolationTypes.InvalidType), (violation.Field, violation.Type));

        await _api.PatchJsonAsync($"tracking-plans/{_plan}/rules", $$"""{"rules":[{{Track("Order Completed", properties: """{"order_id":{"type":"integer"}}""")}}]}""").DataAsync();
        Assert.Empty(Check(order).Violations);

        await _api.DeleteAsync($"tracking-plans/{_plan}/rules?rules[0][type]=TRACK&rules[0][key]=Order%20Completed&rules[0][version]=1").DataAsync();
        Assert.False(Check(order).Planned);
    }

    [Fact]
    public async Task APlanIsCompiledOnceAndSharedUntilItsRulesChange()
    {
        var (ios, _) = await _server.CreateSourceAsync("ios");
        await _api.PutRulesAsync(_plan, Track("Order Completed"));
        await _api.PostJsonAsync($"tracking-plans/{_plan}/sources", $$"""{"sourceId":"{{_source}}"}""").DataAsync(201);
        await _api.PostJsonAsync($"tracking-plans/{_plan}/sources", $$"""{"sourceId":"{{ios}}"}""").DataAsync(201);
        var compiled = _server.Directory().ForSource(_source)!.Plan!;
        Assert.Same(compiled, _server.Directory().ForSource(ios)!.Plan);

        // Unrelated changes rebuild the snapshot but keep the compiled plan.
        await _api.PatchJsonAsync($"sources/{ios}/settings", """{"track":{"allowUnplannedEvents":false}}""").DataAsync();
        await _api.PostJsonAsync("tracking-plans", """{"name":"Another"}""").DataAsync(201);
        Assert.Same(compiled, _server.Directory().ForSource(_source)!.Plan);
        Assert.False(_server.Directory().ForSource(ios)!.Settings.Track.AllowUnplannedEvents);

        await _api.PatchJsonAsync($"tracking-plans/{_plan}/rules", $$"""{"rules":[{{Track("Signed Up")}}]}""").DataAsync();
        Assert.NotSame(compiled, _server.Directory().ForSource(_source)!.Plan);
    }

    [Fact]
    public async Task APlanThatDoesNotCompileIsLoggedAndItsSourcesHaveNoPlan()
    {
        var (ios, _) = await _server.CreateSourceAsync("ios");
        var good = await _api.CreatePlanAsync("Good");
        await _api.PutRulesAsync(good, Track("Order Completed"));
        await _api.PostJsonAsync($"tracking-plans/{good}/sources", $$"""{"sourceId":"{{ios}}"}""").DataAsync(201);
        await _api.PostJsonAsync($"tracking-plans/{_plan}/sources", $$"""{"sourceId":"{{_source}}"}""").DataAsync(201);
        Assert.NotNull(_server.Directory().ForSource(_source));

        // A rule the API would refuse, written straight into the database (an older version, another process).
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
            var now = DateTimeOffset.UtcNow;
            db.TrackingPlanRules.Add(new TrackingPlanRuleEntity
            {
                Id = Ids.New("tpr"),
                TrackingPlanId = _plan,
                Type = "TRACK",
                Key = "Broken Event",
                Version = 1,
                JsonSchema = """{"type":5}""",
                CreatedAt = now,
                UpdatedAt = now,
            });
            await db.SaveChangesAsync();
        }

        await _server.Directory().RefreshAsync(CancellationToken.None);

        Assert.Null(_server.Directory().ForSource(_source));
        Assert.False(string.IsNullOrEmpty(_server.Directory().FindPlan(_plan)!.CompileProblem));
        Assert.Contains($"Tracking plan {_plan} (\"Web plan\") does not compile", _logs.Text, StringComparison.Ordinal);
        Assert.NotNull(_server.Directory().ForSource(ios)!.Plan);
        Assert.Null(_server.Directory().FindPlan(good)!.CompileProblem);

        // Fixing the rule through the API brings the plan back.
        await _api.PutRulesAsync(_plan, Track("Broken Event"));
        Assert.NotNull(_server.Directory().ForSource(_source)!.Plan);
        Assert.Null(_server.Directory().FindPlan(_plan)!.CompileProblem);
    }

    [Fact]
    public async Task AChangeMadeElsewhereIsPickedUpByThePoll()
    {
        Assert.Null(_server.Directory().ForSource(_source));

        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
            db.TrackingPlanSources.Add(new TrackingPlanSourceEntity { SourceId = _source, TrackingPlanId = _plan, ConnectedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        var picked = await Eventually.GetAsync(() => Task.FromResult(_server.Directory().ForSource(_source)), TimeSpan.FromSeconds(20), "the poll");
        Assert.Equal(_plan, picked.TrackingPlanId);
    }

    [Fact]
    public void ASourceWithNothingConfiguredHasNoEntry()
    {
        Assert.Null(_server.Directory().ForSource(_source));
        Assert.Null(_server.Directory().ForSource("src_unknown"));
    }

    private PlanCheck Check(string @event) =>
        _server.Directory().ForSource(_source)!.Plan!.Check(JsonSerializer.Deserialize<JsonElement>(@event));
}
