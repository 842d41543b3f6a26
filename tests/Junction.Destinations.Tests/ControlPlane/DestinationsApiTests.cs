using System.Text.Json;
using Junction.Destinations.ControlPlane;
using Junction.Testing;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Destinations.Tests.ControlPlane;

/// <summary>
/// The destinations routes of the Public API against a whole running server: Segment's shapes, the presets a new
/// destination starts with, secrets encrypted at rest and masked in every answer and in the audit trail, clear
/// validation errors, and the directory the data plane reads.
/// </summary>
public sealed class DestinationsApiTests : IAsyncLifetime
{
    private const string Secret = "sk_live_0123456789abcdef";
    private const string Masked = "••••cdef";
    private JunctionTestServer _server = null!;
    private HttpClient _api = null!;
    private string _sourceId = "";

    public async ValueTask InitializeAsync()
    {
        _server = await JunctionTestServer.StartAsync(configure: TestDestinations.Register);
        _api = await _server.CreateApiClientAsync();
        (_sourceId, _) = await _server.CreateSourceAsync("web");
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task TheCatalogListsDestinationsInSegmentsMetadataShapeWithALogo()
    {
        var page = await _api.GetAsync("catalog/destinations?pagination[count]=1000").DataAsync();
        var probe = page.GetProperty("destinationsCatalog").EnumerateArray().Single(d => d.GetProperty("id").GetString() == TestDestinations.ActionsId);
        Assert.Equal(page.GetProperty("destinationsCatalog").GetArrayLength(), page.GetProperty("pagination").GetProperty("totalEntries").GetInt32());

        var one = (await _api.GetAsync($"catalog/destinations/{TestDestinations.ActionsId}").DataAsync()).GetProperty("destinationMetadata");
        Assert.Equal(probe.ToString(), one.ToString());
        Assert.Equal("probe-actions", one.GetProperty("slug").GetString());
        Assert.Equal("PUBLIC", one.GetProperty("status").GetString());
        var apiKey = one.GetProperty("options")[0];
        Assert.Equal(("apiKey", "password", true), (apiKey.GetProperty("name").GetString(), apiKey.GetProperty("type").GetString(), apiKey.GetProperty("required").GetBoolean()));
        Assert.Equal("select", one.GetProperty("options")[1].GetProperty("type").GetString());
        var track = one.GetProperty("actions")[0];
        Assert.Equal(("probeTrack", "trackEvent", "CLOUD", "type = \"track\""),
            (track.GetProperty("id").GetString(), track.GetProperty("slug").GetString(), track.GetProperty("platform").GetString(), track.GetProperty("defaultTrigger").GetString()));
        var field = track.GetProperty("fields")[0];
        Assert.Equal(("event_name", "STRING", true, "$.event"),
            (field.GetProperty("fieldKey").GetString(), field.GetProperty("type").GetString(), field.GetProperty("required").GetBoolean(),
             field.GetProperty("defaultValue").GetProperty("@path").GetString()));
        var preset = one.GetProperty("presets")[0];
        Assert.Equal("$.userId", preset.GetProperty("fields").GetProperty("user_id").GetProperty("@path").GetString());

        using var logo = await _server.Http.GetAsync(one.GetProperty("logos").GetProperty("default").GetString());
        Assert.Equal("image/svg+xml", logo.Content.Headers.ContentType?.MediaType);
        Assert.Contains(">PR<", await logo.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var missing = await _api.GetAsync("catalog/destinations/nope").ErrorAsync(404);
        Assert.Equal("not-found", missing.GetProperty("type").GetString());
        var classic = (await _api.GetAsync($"catalog/destinations/{TestDestinations.ClassicId}").DataAsync()).GetProperty("destinationMetadata");
        Assert.Equal(0, classic.GetProperty("actions").GetArrayLength());
        Assert.False(classic.GetProperty("supportedMethods").GetProperty("group").GetBoolean());
    }

    [Fact]
    public async Task ANewDestinationStartsWithThePresetsAndShowsItsSecretOnlyMasked()
    {
        var created = (await _api.PostJsonAsync("destinations",
            $$$"""{"sourceId":"{{{_sourceId}}}","metadataId":"{{{TestDestinations.ActionsId}}}","enabled":true,"name":"Probe prod","settings":{"apiKey":"{{{Secret}}}"}}""").DataAsync())
            .GetProperty("destination");
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(("Probe prod", true, _sourceId), (created.GetProperty("name").GetString(), created.GetProperty("enabled").GetBoolean(), created.GetProperty("sourceId").GetString()));
        Assert.Equal(Masked, created.GetProperty("settings").GetProperty("apiKey").GetString());
        Assert.Equal("us", created.GetProperty("settings").GetProperty("region").GetString());
        Assert.Equal(TestDestinations.ActionsId, created.GetProperty("metadata").GetProperty("id").GetString());

        var subscriptions = await _api.GetAsync($"destinations/{id}/subscriptions").DataAsync();
        var preset = Assert.Single(subscriptions.GetProperty("subscriptions").EnumerateArray());
        Assert.Equal(("Track Calls", "probeTrack", "trackEvent", id, true, "type = \"track\""),
            (preset.GetProperty("name").GetString(), preset.GetProperty("actionId").GetString(), preset.GetProperty("actionSlug").GetString(),
             preset.GetProperty("destinationId").GetString(), preset.GetProperty("enabled").GetBoolean(), preset.GetProperty("trigger").GetString()));
        Assert.Equal("$.event", preset.GetProperty("settings").GetProperty("event_name").GetProperty("@path").GetString());

        foreach (var path in new[] { $"destinations/{id}", "destinations", $"sources/{_sourceId}/connected-destinations" })
        {
            var text = (await _api.GetAsync(path).DataAsync()).ToString();
            Assert.Contains(Masked, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        }

        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var stored = await db.Destinations.AsNoTracking().SingleAsync(d => d.Id == id);
        Assert.DoesNotContain(Secret, stored.SettingsJson, StringComparison.Ordinal);
        Assert.Contains("$protected", stored.SettingsJson, StringComparison.Ordinal);

        var instance = _server.Services.GetRequiredService<DestinationDirectory>().ForSource(_sourceId).Single(i => i.Id == id);
        Assert.Equal(Secret, instance.Settings["apiKey"]!.GetValue<string>());
        Assert.Equal("trackEvent", Assert.Single(instance.Subscriptions).Action.Slug);
    }

    [Fact]
    public async Task APatchThatSendsTheMaskBackKeepsTheStoredSecretAndTheAuditTrailNeverHoldsIt()
    {
        var id = await _api.CreateDestinationAsync(_sourceId, $$"""{"apiKey":"{{Secret}}"}""", enabled: true);
        var directory = _server.Services.GetRequiredService<DestinationDirectory>();

        var kept = (await _api.PatchJsonAsync($"destinations/{id}", $$$"""{"enabled":false,"settings":{"apiKey":"{{{Masked}}}","batchSize":5}}""").DataAsync()).GetProperty("destination");
        Assert.Equal(Masked, kept.GetProperty("settings").GetProperty("apiKey").GetString());
        Assert.Equal(5, kept.GetProperty("settings").GetProperty("batchSize").GetInt32());
        Assert.False(kept.GetProperty("enabled").GetBoolean());
        Assert.Equal(Secret, directory.Find(id)!.Settings["apiKey"]!.GetValue<string>());
        Assert.Empty(directory.ForSource(_sourceId));

        var changed = directory.Changed;
        await _api.PatchJsonAsync($"destinations/{id}", """{"settings":{"apiKey":"sk_live_new_secret_9999"}}""").DataAsync();
        Assert.True(changed.IsCompleted, "Changed completes when the configuration changes.");
        Assert.Equal("sk_live_new_secret_9999", directory.Find(id)!.Settings["apiKey"]!.GetValue<string>());

        var other = await _api.PatchJsonAsync($"destinations/{id}", """{"settings":{"apiKey":"••••zzzz"}}""").ErrorAsync(422);
        Assert.Equal("settings.apiKey", other.GetProperty("field").GetString());

        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var entries = await db.AuditEvents.AsNoTracking().Where(a => a.ResourceId == id).ToListAsync();
        Assert.Contains(entries, e => e.Type == "Destination Created");
        Assert.Equal(2, entries.Count(e => e.Type == "Destination Modified"));
        Assert.All(entries, e =>
        {
            Assert.DoesNotContain(Secret, e.BeforeJson + e.AfterJson, StringComparison.Ordinal);
            Assert.DoesNotContain("sk_live_new_secret_9999", e.BeforeJson + e.AfterJson, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task DestinationsAreListedInBothPaginationFormsAndDeletedWithTheirSubscriptions()
    {
        var first = await _api.CreateDestinationAsync(_sourceId);
        var second = await _api.CreateDestinationAsync(_sourceId);

        var page1 = await _api.GetAsync("destinations?pagination[count]=1").DataAsync();
        Assert.Equal(first, page1.GetProperty("destinations")[0].GetProperty("id").GetString());
        var next = page1.GetProperty("pagination").GetProperty("next").GetString();
        var page2 = await _api.GetAsync($"destinations?pagination.count=1&pagination.cursor={next}").DataAsync();
        Assert.Equal(second, page2.GetProperty("destinations")[0].GetProperty("id").GetString());
        Assert.False(page2.GetProperty("pagination").TryGetProperty("next", out _));
        Assert.Equal(2, page2.GetProperty("pagination").GetProperty("totalEntries").GetInt32());

        var connected = await _api.GetAsync($"sources/{_sourceId}/connected-destinations").DataAsync();
        Assert.Equal([first, second], connected.GetProperty("destinations").EnumerateArray().Select(d => d.GetProperty("id").GetString()));

        var deleted = await _api.DeleteAsync($"destinations/{first}").DataAsync();
        Assert.Equal("SUCCESS", deleted.GetProperty("status").GetString());
        await _api.GetAsync($"destinations/{first}").ErrorAsync(404);
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        Assert.False(await db.DestinationSubscriptions.AnyAsync(s => s.DestinationId == first));
        Assert.Null(_server.Services.GetRequiredService<DestinationDirectory>().Find(first));
    }

    [Fact]
    public async Task SubscriptionsAreCreatedReadUpdatedAndRemovedInSegmentsShape()
    {
        var id = await _api.CreateDestinationAsync(_sourceId);

        var created = (await _api.PostJsonAsync($"destinations/{id}/subscriptions",
            """{"name":"Identify","actionId":"identifyUser","trigger":"type = \"identify\"","enabled":true}""").DataAsync()).GetProperty("destinationSubscription");
        var subscriptionId = created.GetProperty("id").GetString()!;
        Assert.Equal(("probeIdentify", "identifyUser"), (created.GetProperty("actionId").GetString(), created.GetProperty("actionSlug").GetString()));
        Assert.Equal("$.traits", created.GetProperty("settings").GetProperty("traits").GetProperty("@path").GetString());

        var updated = (await _api.PatchJsonAsync($"destinations/{id}/subscriptions/{subscriptionId}",
            """{"input":{"name":"Identify VIPs","trigger":"type = \"identify\" and traits.vip = true","settings":{"traits":{"@path":"$.context.traits"}}}}""").DataAsync())
            .GetProperty("subscription");
        Assert.Equal("Identify VIPs", updated.GetProperty("name").GetString());
        Assert.Equal("type = \"identify\" and traits.vip = true", updated.GetProperty("trigger").GetString());

        var read = (await _api.GetAsync($"destinations/{id}/subscriptions/{subscriptionId}").DataAsync()).GetProperty("subscription");
        Assert.Equal(updated.ToString(), read.ToString());

        Assert.Equal("SUCCESS", (await _api.DeleteAsync($"destinations/{id}/subscriptions/{subscriptionId}").DataAsync()).GetProperty("status").GetString());
        await _api.GetAsync($"destinations/{id}/subscriptions/{subscriptionId}").ErrorAsync(404);
    }

    [Fact]
    public async Task FiltersAreCreatedReadUpdatedRemovedAndPreviewed()
    {
        var id = await _api.CreateDestinationAsync(_sourceId);

        var created = (await _api.PostJsonAsync($"destination/{id}/filters",
            $$$"""{"sourceId":"{{{_sourceId}}}","if":"type = 'track'","actions":[{"type":"DROP_PROPERTIES","fields":{"properties":["email"]}}],"title":"No emails","description":"PII","enabled":true}""")
            .DataAsync()).GetProperty("filter");
        var filterId = created.GetProperty("id").GetString()!;
        Assert.Equal((_sourceId, id, "type = 'track'", "No emails", "PII", true),
            (created.GetProperty("sourceId").GetString(), created.GetProperty("destinationId").GetString(), created.GetProperty("if").GetString(),
             created.GetProperty("title").GetString(), created.GetProperty("description").GetString(), created.GetProperty("enabled").GetBoolean()));
        Assert.Equal("email", created.GetProperty("actions")[0].GetProperty("fields").GetProperty("properties")[0].GetString());
        Assert.True(DateTimeOffset.TryParse(created.GetProperty("createdAt").GetString(), out _));

        var list = await _api.GetAsync($"destination/{id}/filters?pagination[count]=10").DataAsync();
        Assert.Equal(filterId, Assert.Single(list.GetProperty("filters").EnumerateArray()).GetProperty("id").GetString());

        var updated = (await _api.PatchJsonAsync($"destination/{id}/filters/{filterId}", """{"enabled":false,"title":"Off"}""").DataAsync()).GetProperty("filter");
        Assert.Equal(("Off", false), (updated.GetProperty("title").GetString(), updated.GetProperty("enabled").GetBoolean()));
        Assert.Equal(updated.ToString(), (await _api.GetAsync($"destination/{id}/filters/{filterId}").DataAsync()).GetProperty("filter").ToString());

        Assert.Equal("SUCCESS", (await _api.DeleteAsync($"destination/{id}/filters/{filterId}").DataAsync()).GetProperty("status").GetString());
        await _api.GetAsync($"destination/{id}/filters/{filterId}").ErrorAsync(404);

        var kept = await _api.PostJsonAsync("destination/filters/preview",
            """{"filter":{"if":"all","actions":[{"type":"DROP_PROPERTIES","fields":{"properties":["email"]}}]},"payload":{"type":"track","properties":{"email":"a@b.c","plan":"pro"}}}""").DataAsync();
        Assert.Equal("a@b.c", kept.GetProperty("inputPayload").GetProperty("properties").GetProperty("email").GetString());
        Assert.False(kept.GetProperty("result").GetProperty("properties").TryGetProperty("email", out _));
        var dropped = await _api.PostJsonAsync("destination/filters/preview",
            """{"filter":{"if":"type = 'track'","actions":[{"type":"DROP"}]},"payload":{"type":"track"}}""").DataAsync();
        Assert.Equal(JsonValueKind.Null, dropped.GetProperty("result").ValueKind);
    }

    [Fact]
    public async Task InvalidInputIsRefusedWithAClearErrorNamingTheField()
    {
        var id = await _api.CreateDestinationAsync(_sourceId);
        var cases = new (string Name, Task<HttpResponseMessage> Request, string Field, string Says)[]
        {
            ("unknown metadataId", _api.PostJsonAsync("destinations", $$"""{"sourceId":"{{_sourceId}}","metadataId":"nope"}"""), "metadataId", "GET /catalog/destinations"),
            ("missing required setting", _api.PostJsonAsync("destinations",
                $$"""{"sourceId":"{{_sourceId}}","metadataId":"{{TestDestinations.ActionsId}}","enabled":true}"""), "settings.apiKey", "required"),
            ("enabling without it", _api.PatchJsonAsync($"destinations/{id}", """{"enabled":true}"""), "settings.apiKey", "required"),
            ("bad select", _api.PatchJsonAsync($"destinations/{id}", """{"settings":{"region":"mars"}}"""), "settings.region", "\"eu\""),
            ("wrong type", _api.PatchJsonAsync($"destinations/{id}", """{"settings":{"batchSize":"ten"}}"""), "settings.batchSize", "whole number"),
            ("unknown setting", _api.PatchJsonAsync($"destinations/{id}", """{"settings":{"apiKee":"x"}}"""), "settings.apiKee", "apiKey"),
            ("bad trigger", _api.PostJsonAsync($"destinations/{id}/subscriptions",
                """{"name":"x","actionId":"probeTrack","trigger":"type = ","enabled":true}"""), "trigger", "trigger is not a valid"),
            ("bad mapping", _api.PostJsonAsync($"destinations/{id}/subscriptions",
                """{"name":"x","actionId":"probeTrack","trigger":"type = \"track\"","enabled":true,"settings":{"event_name":{"@nope":"$.event"}}}"""), "settings", "mapping"),
            ("unknown action", _api.PostJsonAsync($"destinations/{id}/subscriptions",
                """{"name":"x","actionId":"nope","trigger":"type = \"track\"","enabled":true}"""), "actionId", "probeTrack"),
            ("bad filter FQL", _api.PostJsonAsync($"destination/{id}/filters",
                $$"""{"sourceId":"{{_sourceId}}","if":"type = = 'track'","actions":[{"type":"DROP"}],"title":"x","enabled":true}"""), "if", "Invalid FQL"),
            ("bad filter action", _api.PostJsonAsync($"destination/{id}/filters",
                $$"""{"sourceId":"{{_sourceId}}","if":"all","actions":[{"type":"SAMPLE","percent":2}],"title":"x","enabled":true}"""), "actions[0].percent", "between 0 and 1"),
            ("filter on another source", _api.PostJsonAsync($"destination/{id}/filters",
                """{"sourceId":"src_other","if":"all","actions":[{"type":"DROP"}],"title":"x","enabled":true}"""), "sourceId", "destination's source"),
            ("bad preview", _api.PostJsonAsync("destination/filters/preview",
                """{"filter":{"if":"type =","actions":[{"type":"DROP"}]},"payload":{}}"""), "if", "Invalid FQL"),
        };

        var failures = new List<string>();
        foreach (var (name, request, field, says) in cases)
        {
            var (status, body) = await request.ReadAsync();
            var error = status == 422 ? body.GetProperty("errors")[0] : default;
            if (status != 422 || error.GetProperty("type").GetString() != "input-validation" || error.GetProperty("field").GetString() != field
                || !error.GetProperty("message").GetString()!.Contains(says, StringComparison.Ordinal))
            {
                failures.Add($"{name}: {status} {body}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
