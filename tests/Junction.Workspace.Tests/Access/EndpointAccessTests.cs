using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Junction.Workspace.PublicApi;
using Junction.Workspace.Tests.PublicApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Workspace.Tests.Access;

/// <summary>
/// Every Public API route, enumerated from the running app's endpoints (so a new route is covered the moment it is
/// mapped): it declares an access rule, refuses a caller without a token (401), refuses or shows nothing to a member
/// without roles (403), answers 404 for another workspace's resources, and never shows another workspace's data.
/// </summary>
public sealed partial class EndpointAccessTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private const string PermissionsBody =
        """{"permissions":[{"roleId":"source-read-only","resources":[{"id":"{workspaceId}","type":"WORKSPACE"}]}]}""";

    private const string SourceLabelsBody = """{"labels":[{"key":"{key}","value":"{value}"}]}""";

    /// <summary>
    /// A valid body for each route that takes one, with <c>{name}</c> placeholders filled from the workspace whose ids are
    /// used. A route missing here fails the tests until a body is added.
    /// </summary>
    private static readonly Dictionary<string, string> Bodies = new(StringComparer.Ordinal)
    {
        ["POST /api/sources"] = """{"slug":"probe-source","enabled":true,"metadataId":"IqDTy1TpoU"}""",
        ["PATCH /api/sources/{sourceId}"] = """{"name":"Probed"}""",
        ["POST /api/sources/{sourceId}/writekey"] = "",
        ["POST /api/sources/{sourceId}/labels"] = SourceLabelsBody,
        ["PUT /api/sources/{sourceId}/labels"] = SourceLabelsBody,
        ["POST /api/labels"] = """{"label":{"key":"probe","value":"one"}}""",
        ["POST /api/users/{userId}/permissions"] = PermissionsBody,
        ["PUT /api/users/{userId}/permissions"] = PermissionsBody,
        ["POST /api/groups"] = """{"name":"probe group"}""",
        ["PATCH /api/groups/{userGroupId}"] = """{"name":"probe rename"}""",
        ["POST /api/groups/{userGroupId}/users"] = """{"emails":["{email}"]}""",
        ["PUT /api/group/{userGroupId}/users"] = """{"emails":["{email}"]}""",
        ["POST /api/groups/{userGroupId}/permissions"] = PermissionsBody,
        ["PUT /api/groups/{userGroupId}/permissions"] = PermissionsBody,
        ["POST /api/invites"] = """{"invites":[{"email":"probe-invite@example.com"}]}""",
        ["POST /api/destinations"] = """{"sourceId":"{sourceId}","metadataId":"{destinationMetadataId}"}""",
        ["PATCH /api/destinations/{destinationId}"] = """{"name":"Probed destination"}""",
        ["POST /api/destinations/{destinationId}/subscriptions"] = """{"name":"Probe","actionId":"probeTrack","trigger":"type = \"track\"","enabled":true}""",
        ["PATCH /api/destinations/{destinationId}/subscriptions/{id}"] = """{"input":{"name":"Probed subscription"}}""",
        ["POST /api/destination/{destinationId}/filters"] = """{"sourceId":"{sourceId}","if":"all","actions":[{"type":"DROP"}],"title":"Probe","enabled":false}""",
        ["PATCH /api/destination/{destinationId}/filters/{filterId}"] = """{"title":"Probed filter"}""",
        ["POST /api/destination/filters/preview"] = """{"filter":{"if":"all","actions":[{"type":"DROP"}]},"payload":{"type":"track"}}""",
        ["POST /api/destinations/{destinationId}/dead-letters/resend"] = """{"ids":["1"]}""",
        ["POST /api/warehouses"] = """{"metadataId":"postgres","enabled":false,"settings":{"host":"127.0.0.1","port":1,"database":"probe","user":"probe","password":"probe"}}""",
        ["POST /api/warehouses/validation"] = """{"metadataId":"postgres","settings":{"host":"127.0.0.1","port":1,"database":"probe","user":"probe","password":"probe"}}""",
        ["PATCH /api/warehouses/{warehouseId}"] = """{"name":"Probed warehouse"}""",
        ["POST /api/warehouses/{warehouseId}/connected-sources/{sourceId}"] = "",
        ["PATCH /api/warehouses/{warehouseId}/selective-sync"] = """{"syncOverrides":[{"sourceId":"{sourceId}","collection":"tracks","enabled":true}]}""",
        ["PUT /api/warehouses/{warehouseId}/advanced-sync-schedule"] = """{"enabled":false}""",
        ["PATCH /api/warehouses/{warehouseId}/sync-schedule"] = """{"intervalSeconds":600}""",
        ["POST /api/warehouses/{warehouseId}/syncs"] = "",
        ["PATCH /api/sources/{sourceId}/schema/events"] = """{"type":"track","name":"Probe Viewed","archived":true}""",
        ["PATCH /api/sources/{sourceId}/schema/properties"] = """{"type":"track","name":"Probe Viewed","path":"properties.price","blocked":true}""",
        ["POST /api/tracking-plans"] = """{"name":"Probe plan"}""",
        ["PATCH /api/tracking-plans/{trackingPlanId}"] = """{"name":"Probed plan"}""",
        ["PUT /api/tracking-plans/{trackingPlanId}/rules"] = """{"rules":[{"type":"PAGE","key":"Home","version":1,"jsonSchema":{}}]}""",
        ["PATCH /api/tracking-plans/{trackingPlanId}/rules"] = """{"rules":[{"type":"PAGE","key":"Home","version":1,"jsonSchema":{}}]}""",
        ["POST /api/tracking-plans/{trackingPlanId}/sources"] = """{"sourceId":"{sourceId}"}""",
        ["POST /api/tracking-plans/{trackingPlanId}/templates/{templateId}"] = "",
        ["POST /api/tracking-plans/{trackingPlanId}/import-schema/{sourceId}"] = "",
        ["PATCH /api/sources/{sourceId}/settings"] = """{"track":{"allowUnplannedEvents":true}}""",
        ["POST /api/transformations"] = """{"name":"Probe","sourceId":"{sourceId}","enabled":false,"if":"event = 'x'","newEventName":"X Happened"}""",
        ["PATCH /api/transformations/{transformationId}"] = """{"name":"Probed transformation"}""",
        ["PATCH /api/protocols/settings"] = """{"eventNamingConvention":"title-case-object-action"}""",
    };

    /// <summary>Query strings some routes need, with the same placeholders.</summary>
    private static readonly Dictionary<string, string> Queries = new(StringComparer.Ordinal)
    {
        ["DELETE /api/users"] = "?userIds[0]={userId}",
        ["DELETE /api/group/{userGroupId}/users"] = "?emails[0]={email}",
        ["GET /api/events/volume"] = "?granularity=DAY&startTime=2020-01-01T00:00:00Z&endTime=2020-01-02T00:00:00Z&sourceId[0]={sourceId}",
        ["GET /api/events/{messageId}/trace"] = "?sourceId={sourceId}",
        ["GET /api/destinations/{destinationId}/delivery-metrics"] = "?sourceId={sourceId}",
        ["DELETE /api/tracking-plans/{trackingPlanId}/rules"] = "?rules[0][type]=PAGE&rules[0][key]=Nothing&rules[0][version]=1",
        ["DELETE /api/tracking-plans/{trackingPlanId}/sources"] = "?sourceId={sourceId}",
    };

    /// <summary>The parameters that name a resource of one workspace.</summary>
    private static readonly string[] Naming = ["sourceId", "writeKey", "key", "userId", "userGroupId", "email", "destinationId", "warehouseId", "trackingPlanId", "transformationId"];

    [Fact]
    public void EveryPublicApiRouteDeclaresAnAccessRule()
    {
        var undeclared = ApiRoutes().Where(r => r.Rule is null).Select(r => r.Name).ToList();

        Assert.True(undeclared.Count == 0, "Routes without an access rule (add AllowMembers, RequireOwner, RequireSource…): " + string.Join(", ", undeclared));
        Assert.True(ApiRoutes().Count > 30, "The enumeration found too few routes to be looking at the Public API.");
    }

    [Fact]
    public async Task WhenNoTokenIsSentEveryRouteAnswers401()
    {
        var failures = new List<string>();
        foreach (var route in ApiRoutes())
        {
            var (status, text) = await SendAsync(fixture.Anonymous, route, fixture.Mine);
            if (status != 401 || ErrorType(text) != "unauthorized")
            {
                failures.Add($"{route.Name}: {status} {text}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task WhenAMemberWithoutRolesCallsEveryRouteItIsRefusedWith403OrSeesNothing()
    {
        string[] hidden = [fixture.Mine["sourceId"], fixture.Mine["writeKey"], "mine-source", fixture.Mine["userId"], fixture.Mine["userGroupId"]];
        var failures = new List<string>();
        foreach (var route in ApiRoutes())
        {
            var (status, text) = await SendAsync(fixture.Member, route, fixture.Mine);
            var sent = Fill(route.Query + route.Body, fixture.Mine);
            var problem = route.Rule!.Kind switch
            {
                _ when route.IsFallback => status == 404 ? null : "expected 404",
                AccessRuleKind.Members => status == 200 ? null : "expected 200",
                AccessRuleKind.Filtered => status != 200 ? "expected 200"
                    : hidden.FirstOrDefault(h => !sent.Contains(h, StringComparison.Ordinal) && text.Contains(h, StringComparison.Ordinal)) is { } leak
                        ? $"shows {leak}" : null,
                _ => status == 403 && ErrorType(text) == "forbidden" ? null : "expected 403 forbidden",
            };
            if (problem is not null)
            {
                failures.Add($"{route.Name} ({route.Rule.Kind}): {problem}, got {status} {text}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task WhenAnOwnerNamesAnotherWorkspacesResourcesEveryRouteAnswers404()
    {
        var failures = new List<string>();
        foreach (var route in ApiRoutes().Where(r => r.NamesAResource))
        {
            var (status, text) = await SendAsync(fixture.Owner, route, fixture.Theirs);
            var sent = Fill(route.Query + route.Body, fixture.Theirs);
            var expected = route.Rule!.Kind == AccessRuleKind.Filtered ? 200 : 404;
            var leak = Leaks(text, fixture.Theirs, fixture.OtherWorkspaceId, "theirs").FirstOrDefault(l => !sent.Contains(l, StringComparison.Ordinal));
            if (status != expected || leak is not null)
            {
                failures.Add($"{route.Name}: expected {expected}, got {status} {(leak is null ? "" : "showing " + leak)} {text}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        var theirs = await (await fixture.OtherOwner.GetAsync("sources/" + fixture.Theirs["sourceId"])).ReadDataAsync();
        Assert.Equal("theirs-source", theirs.GetProperty("source").GetProperty("slug").GetString());
    }

    [Fact]
    public async Task WhenOwnersReadEveryRouteNeitherSeesTheOtherWorkspacesData()
    {
        var failures = new List<string>();
        var sides = new[]
        {
            (Client: fixture.Owner, Own: fixture.Mine, Other: fixture.Theirs, OtherWorkspace: fixture.OtherWorkspaceId, OtherName: "theirs"),
            (Client: fixture.OtherOwner, Own: fixture.Theirs, Other: fixture.Mine, OtherWorkspace: fixture.WorkspaceId, OtherName: "mine"),
        };
        foreach (var side in sides)
        {
            foreach (var route in ApiRoutes().Where(r => r.Method == "GET" && !r.IsFallback))
            {
                var (status, text) = await SendAsync(side.Client, route, side.Own);
                if (status != 200)
                {
                    failures.Add($"{route.Name}: an owner reading its own workspace got {status} {text}");
                }
                else if (Leaks(text, side.Other, side.OtherWorkspace, side.OtherName).FirstOrDefault() is { } leak)
                {
                    failures.Add($"{route.Name}: shows {leak} of the other workspace");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static IEnumerable<string> Leaks(string text, IReadOnlyDictionary<string, string> other, string otherWorkspaceId, string otherName) =>
        new[] { other["sourceId"], other["writeKey"], other["userId"], other["userGroupId"], other["email"], otherWorkspaceId, otherName + "-source", otherName + " group" }
            .Where(value => text.Contains(value, StringComparison.Ordinal));

    private List<Route> ApiRoutes() =>
        fixture.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => new Route(method, e.RoutePattern.RawText!, e.Metadata.GetMetadata<AccessRule>())))
            .ToList();

    private static async Task<(int Status, string Text)> SendAsync(HttpClient client, Route route, IReadOnlyDictionary<string, string> values)
    {
        if (route.Method is "POST" or "PUT" or "PATCH")
        {
            Assert.True(Bodies.ContainsKey(route.Name), $"Add a sample body for {route.Name} to EndpointAccessTests.Bodies.");
        }

        using var request = new HttpRequestMessage(new HttpMethod(route.Method), Fill(route.Path, values, escape: true).TrimStart('/')[4..] + Fill(route.Query, values));
        if (route.Body.Length > 0)
        {
            request.Content = new StringContent(Fill(route.Body, values), Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            return ((int)response.StatusCode, "(an event stream)");
        }

        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Fill(string template, IReadOnlyDictionary<string, string> values, bool escape = false) =>
        Placeholder().Replace(template, m =>
        {
            var value = values.TryGetValue(m.Groups[1].Value, out var v) ? v : throw new InvalidOperationException($"No value for {m.Value}.");
            return escape && m.Groups[1].Value != "path" ? Uri.EscapeDataString(value) : value;
        });

    private static string? ErrorType(string text)
    {
        try
        {
            var body = JsonSerializer.Deserialize<JsonElement>(text);
            return body.TryGetProperty("errors", out var errors) && errors.GetArrayLength() > 0 ? errors[0].GetProperty("type").GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\{\**(\w+)(?::[^}]*)?\??\}")]
    private static partial Regex Placeholder();

    private sealed record Route(string Method, string Path, AccessRule? Rule)
    {
        public string Name => Method + " " + Path;

        public bool IsFallback => Path.Contains("{**", StringComparison.Ordinal);

        public string Body => Bodies.GetValueOrDefault(Name, "");

        public string Query => Queries.GetValueOrDefault(Name, "");

        public bool NamesAResource => Naming.Any(n => (Path + Query).Contains("{" + n + "}", StringComparison.Ordinal));
    }
}
