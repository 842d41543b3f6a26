using Junction.Testing;
using Junction.Workspace.Access;
using static Junction.Protocols.Tests.ControlPlane.ProtocolsApiClient;

namespace Junction.Protocols.Tests.ControlPlane;

/// <summary>
/// Who may do what with Protocols, as tables: tracking plans need Tracking Plan Read-only to read and Tracking Plan
/// Admin to change; connecting a source needs Tracking Plan Admin and Source Admin on the source; a source's schema
/// settings and transformations need Source Read-only to read and Source Admin to change; the naming conventions are
/// read by every member and changed by Tracking Plan Admins; and another workspace's plans and transformations are not
/// found. Refused calls change nothing.
/// </summary>
public sealed class ProtocolsAccessTests : IAsyncLifetime
{
    private JunctionTestServer _server = null!;
    private HttpClient _owner = null!;
    private string _source = "";
    private string _otherSource = "";
    private string _plan = "";

    public async ValueTask InitializeAsync()
    {
        _server = await StartAsync();
        _owner = await _server.CreateApiClientAsync();
        (_source, _) = await _server.CreateSourceAsync("web");
        (_otherSource, _) = await _server.CreateSourceAsync("ios");
        _plan = await _owner.CreatePlanAsync();
        await _owner.PutRulesAsync(_plan, Track("Order Completed"));
    }

    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task TrackingPlanRolesDecideWhoReadsAndWhoChangesPlans()
    {
        var (otherWorkspace, _) = await _server.AddOtherWorkspaceAsync();
        var callers = new (string Name, HttpClient Client, int Read, int Change)[]
        {
            ("workspace owner", _owner, 200, 200),
            ("tracking plan admin", await _server.ClientWithRolesAsync(("tracking-plan-admin", null)), 200, 200),
            ("tracking plan read-only", await _server.ClientWithRolesAsync(("tracking-plan-read-only", null)), 200, 403),
            ("source admin on all sources", await _server.ClientWithRolesAsync(("source-admin", null)), 403, 403),
            ("member without roles", await _server.ClientWithRolesAsync((Roles.WorkspaceMemberId, null)), 403, 403),
            ("another workspace's owner", otherWorkspace, 404, 404),
        };

        var failures = new List<string>();
        foreach (var (name, client, read, change) in callers)
        {
            var reads = new (string, Func<Task<HttpResponseMessage>>)[]
            {
                ("get", () => client.GetAsync($"tracking-plans/{_plan}")),
                ("rules", () => client.GetAsync($"tracking-plans/{_plan}/rules")),
                ("history", () => client.GetAsync($"tracking-plans/{_plan}/rules/TRACK/Order%20Completed/history")),
                ("sources", () => client.GetAsync($"tracking-plans/{_plan}/sources")),
            };
            var changes = new (string, Func<Task<HttpResponseMessage>>)[]
            {
                ("update", () => client.PatchJsonAsync($"tracking-plans/{_plan}", """{"description":"changed"}""")),
                ("upsert rules", () => client.PatchJsonAsync($"tracking-plans/{_plan}/rules", $$"""{"rules":[{{Track("Order Completed")}}]}""")),
                ("replace rules", () => client.PutJsonAsync($"tracking-plans/{_plan}/rules", $$"""{"rules":[{{Track("Order Completed")}}]}""")),
                ("delete rules", () => client.DeleteAsync($"tracking-plans/{_plan}/rules?rules[0][type]=TRACK&rules[0][key]=Nothing&rules[0][version]=1")),
                ("template", () => client.PostAsync($"tracking-plans/{_plan}/templates/nope", null)),
            };
            await Expect(failures, name, reads, read);
            await Expect(failures, name, changes, change == 200 ? 200 : change, templateNotFound: change == 200);
        }

        var listing = new[]
        {
            ("tracking plan read-only", await _server.ClientWithRolesAsync(("tracking-plan-read-only", null)), 200),
            ("source admin on all sources", await _server.ClientWithRolesAsync(("source-admin", null)), 403),
        };
        foreach (var (name, client, status) in listing)
        {
            await Expect(failures, name, [("list", () => client.GetAsync("tracking-plans"))], status);
            await Expect(failures, name, [("create", () => client.PostJsonAsync("tracking-plans", """{"name":"Theirs"}"""))], 403);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        var plan = (await _owner.GetAsync($"tracking-plans/{_plan}").DataAsync()).GetProperty("trackingPlan");
        Assert.Equal("changed", plan.GetProperty("description").GetString());
        Assert.Single((await _owner.GetAsync("tracking-plans").DataAsync()).GetProperty("trackingPlans").EnumerateArray());
    }

    [Fact]
    public async Task ConnectingASourceNeedsTrackingPlanAdminAndSourceAdminOnThatSource()
    {
        var callers = new (string Name, HttpClient Client, int Expected)[]
        {
            ("tracking plan admin only", await _server.ClientWithRolesAsync(("tracking-plan-admin", null)), 403),
            ("source admin only", await _server.ClientWithRolesAsync(("source-admin", null)), 403),
            ("tracking plan admin and source read-only", await _server.ClientWithRolesAsync(("tracking-plan-admin", null), ("source-read-only", null)), 403),
            ("tracking plan admin and source admin on another source",
                await _server.ClientWithRolesAsync(("tracking-plan-admin", null), ("source-admin", [_otherSource])), 403),
            ("tracking plan admin and source admin on it", await _server.ClientWithRolesAsync(("tracking-plan-admin", null), ("source-admin", [_source])), 201),
        };

        var failures = new List<string>();
        foreach (var (name, client, expected) in callers)
        {
            await Expect(failures, name, [("connect", () => client.PostJsonAsync($"tracking-plans/{_plan}/sources", $$"""{"sourceId":"{{_source}}"}"""))], expected);
        }

        foreach (var (name, client, expected) in callers)
        {
            await Expect(failures, name, [("disconnect", () => client.DeleteAsync($"tracking-plans/{_plan}/sources?sourceId={_source}"))],
                expected == 201 ? 200 : 403);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task SchemaSettingsAndTransformationsBelongToTheirSource()
    {
        var transformation = (await _owner.PostJsonAsync("transformations",
                $$"""{"name":"Rename","sourceId":"{{_source}}","enabled":true,"if":"event = 'a'","newEventName":"A Happened"}""").DataAsync(201))
            .GetProperty("transformation").GetProperty("id").GetString()!;
        var (otherWorkspace, _) = await _server.AddOtherWorkspaceAsync();
        var callers = new (string Name, HttpClient Client, int Read, int Change)[]
        {
            ("source admin on it", await _server.ClientWithRolesAsync(("source-admin", [_source])), 200, 200),
            ("source read-only on it", await _server.ClientWithRolesAsync(("source-read-only", [_source])), 200, 403),
            ("source admin on another source", await _server.ClientWithRolesAsync(("source-admin", [_otherSource])), 403, 403),
            ("tracking plan admin", await _server.ClientWithRolesAsync(("tracking-plan-admin", null)), 403, 403),
            ("another workspace's owner", otherWorkspace, 404, 404),
        };

        var failures = new List<string>();
        foreach (var (name, client, read, change) in callers)
        {
            await Expect(failures, name, [
                ("settings", () => client.GetAsync($"sources/{_source}/settings")),
                ("transformation", () => client.GetAsync($"transformations/{transformation}")),
            ], read);
            await Expect(failures, name, [
                ("settings", () => client.PatchJsonAsync($"sources/{_source}/settings", """{"track":{"allowUnplannedEvents":false}}""")),
                ("transformation", () => client.PatchJsonAsync($"transformations/{transformation}", """{"name":"Renamed"}""")),
                ("create transformation", () => client.PostJsonAsync("transformations",
                    $$"""{"name":"New","sourceId":"{{_source}}","enabled":false,"if":"event = 'b'","newEventName":"B Happened"}""")),
            ], change == 200 ? 200 : change, created: true);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        using var readOnly = await _server.ClientWithRolesAsync(("source-read-only", [_source]));
        var visible = (await readOnly.GetAsync("transformations").DataAsync()).GetProperty("transformations").EnumerateArray().ToList();
        Assert.Equal(2, visible.Count);
        using var elsewhere = await _server.ClientWithRolesAsync(("source-read-only", [_otherSource]));
        Assert.Empty((await elsewhere.GetAsync("transformations").DataAsync()).GetProperty("transformations").EnumerateArray());
    }

    [Fact]
    public async Task ImportingASchemaNeedsTrackingPlanAdminAndReadAccessToTheSource()
    {
        using var planAdmin = await _server.ClientWithRolesAsync(("tracking-plan-admin", null));
        using var withSource = await _server.ClientWithRolesAsync(("tracking-plan-admin", null), ("source-read-only", [_source]));
        using var sourceOnly = await _server.ClientWithRolesAsync(("source-admin", null));

        var failures = new List<string>();
        await Expect(failures, "tracking plan admin only", [("import", () => planAdmin.PostAsync($"tracking-plans/{_plan}/import-schema/{_source}", null))], 403);
        await Expect(failures, "source admin only", [("import", () => sourceOnly.PostAsync($"tracking-plans/{_plan}/import-schema/{_source}", null))], 403);
        await Expect(failures, "both", [("import", () => withSource.PostAsync($"tracking-plans/{_plan}/import-schema/{_source}", null))], 200);

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task EveryMemberReadsTheNamingConventionsAndTrackingPlanAdminsChangeThem()
    {
        using var member = await _server.ClientWithRolesAsync((Roles.WorkspaceMemberId, null));
        using var planAdmin = await _server.ClientWithRolesAsync(("tracking-plan-admin", null));
        using var planReader = await _server.ClientWithRolesAsync(("tracking-plan-read-only", null));

        await member.GetAsync("protocols/settings").DataAsync();
        await member.PatchJsonAsync("protocols/settings", """{"eventNamingConvention":"snake-case"}""").ErrorAsync(403);
        await planReader.PatchJsonAsync("protocols/settings", """{"eventNamingConvention":"snake-case"}""").ErrorAsync(403);
        var changed = await planAdmin.PatchJsonAsync("protocols/settings", """{"eventNamingConvention":"snake-case"}""").DataAsync();

        Assert.Equal("snake-case", changed.GetProperty("settings").GetProperty("eventNamingConvention").GetString());
    }

    /// <summary>
    /// Records each call whose status is not <paramref name="expected"/>; a change allowed answers 200 (201 when
    /// <paramref name="created"/> and the call creates), a template call allowed answers 404 for the unknown template.
    /// </summary>
    private static async Task Expect(
        List<string> failures, string caller, (string Call, Func<Task<HttpResponseMessage>> Request)[] calls, int expected,
        bool templateNotFound = false, bool created = false)
    {
        foreach (var (call, request) in calls)
        {
            var (status, body) = await request().ReadAsync();
            var wanted = expected switch
            {
                200 when templateNotFound && call == "template" => 404,
                200 when created && call.StartsWith("create", StringComparison.Ordinal) => 201,
                _ => expected,
            };
            if (status != wanted)
            {
                failures.Add($"{caller}, {call}: expected {wanted}, got {status} {body}");
            }
        }
    }
}
