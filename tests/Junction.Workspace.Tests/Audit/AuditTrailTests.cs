using System.Text.Json;
using Junction.Testing;
using Junction.Workspace.Access;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Junction.Workspace.Tests.Access;
using Junction.Workspace.Tests.PublicApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Workspace.Tests.Audit;

public sealed class AuditTrailTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private HttpClient Api => fixture.Api;

    [Fact]
    public async Task EveryChangeToASourceIsRecordedWithItsActorAndNeverItsWriteKeys()
    {
        var source = await Api.CreateSourceAsync("audited-source");
        var id = source.GetProperty("id").GetString()!;
        var firstKey = source.GetProperty("writeKeys")[0].GetString()!;
        await (await Api.PatchJsonAsync("sources/" + id, """{"name":"Audited","enabled":false}""")).ReadDataAsync();
        var secondKey = (await (await Api.PostAsync($"sources/{id}/writekey", null)).ReadDataAsync()).GetProperty("source").GetProperty("writeKeys")[1].GetString()!;
        await (await Api.DeleteAsync($"sources/{id}/writekey/{firstKey}")).ReadDataAsync();
        await (await Api.DeleteAsync("sources/" + id)).ReadDataAsync();

        var events = await EventsAsync($"audit-events?resourceId={id}&resourceType=SOURCE");
        var entries = await EntriesAsync(id);

        Assert.Equal(["Source Deleted", "Write Key Removed", "Write Key Created", "Source Modified", "Source Created"], events.Select(e => e.GetProperty("type").GetString()));
        var tokenId = await TokenIdAsync();
        Assert.All(events, e =>
        {
            Assert.Equal(tokenId, e.GetProperty("actor").GetString());
            Assert.False(e.TryGetProperty("actorEmail", out _));
            Assert.Equal("SOURCE", e.GetProperty("resourceType").GetString());
            Assert.StartsWith("aud_", e.GetProperty("id").GetString(), StringComparison.Ordinal);
            Assert.EndsWith("Z", e.GetProperty("timestamp").GetString(), StringComparison.Ordinal);
        });
        Assert.Equal("Audited", events[0].GetProperty("resourceName").GetString());
        var modified = entries.Single(e => e.Type == "Source Modified");
        Assert.Contains("\"enabled\":true", modified.BeforeJson, StringComparison.Ordinal);
        Assert.Contains("\"enabled\":false", modified.AfterJson, StringComparison.Ordinal);
        var removed = JsonSerializer.Deserialize<JsonElement>(entries.Single(e => e.Type == "Write Key Removed").BeforeJson!);
        Assert.Equal("••••" + firstKey[^4..], removed.GetProperty("writeKey").GetString());
        Assert.All(entries, e =>
        {
            Assert.DoesNotContain(firstKey, e.BeforeJson + e.AfterJson, StringComparison.Ordinal);
            Assert.DoesNotContain(secondKey, e.BeforeJson + e.AfterJson, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task ChangesToLabelsGroupsPermissionsAndMembersAreRecorded()
    {
        var ws = await fixture.Server.DefaultWorkspaceIdAsync();
        var user = await fixture.Server.AddMemberAsync(ws, "audited-user@example.com");
        await (await Api.PostJsonAsync("labels", """{"label":{"key":"audited","value":"label"}}""")).ReadDataAsync(201);
        var source = (await Api.CreateSourceAsync("audited-labels")).GetProperty("id").GetString()!;
        await (await Api.PostJsonAsync($"sources/{source}/labels", """{"labels":[{"key":"audited","value":"label"}]}""")).ReadDataAsync();
        await (await Api.PutJsonAsync($"sources/{source}/labels", """{"labels":[]}""")).ReadDataAsync();
        await (await Api.DeleteAsync("labels/audited/label")).ReadDataAsync();
        var group = (await (await Api.PostJsonAsync("groups", """{"name":"Audited group"}""")).ReadDataAsync()).GetProperty("userGroup").GetProperty("id").GetString()!;
        await (await Api.PatchJsonAsync($"groups/{group}", """{"name":"Audited group 2"}""")).ReadDataAsync();
        await (await Api.PostJsonAsync($"groups/{group}/users", """{"emails":["audited-user@example.com"]}""")).ReadDataAsync();
        await (await Api.PutJsonAsync($"group/{group}/users", """{"emails":[]}""")).ReadDataAsync();
        await (await Api.PostJsonAsync($"groups/{group}/permissions", $$"""{"permissions":[{"roleId":"source-admin","resources":[{"id":"{{ws}}","type":"WORKSPACE"}]}]}""")).ReadDataAsync();
        await (await Api.DeleteAsync($"groups/{group}")).ReadDataAsync();
        await (await Api.PutJsonAsync($"users/{user}/permissions", $$"""{"permissions":[{"roleId":"source-read-only","resources":[{"id":"{{ws}}","type":"WORKSPACE"}]}]}""")).ReadDataAsync();
        await (await Api.DeleteAsync($"users?userIds[0]={user}")).ReadDataAsync();

        Assert.Equal(["Label Deleted", "Label Created"], Types(await EventsAsync("audit-events?resourceId=audited:label")));
        Assert.Equal(["Source Modified", "Source Modified", "Source Created"], Types(await EventsAsync($"audit-events?resourceId={source}")));
        Assert.Equal(
            ["User Group Deleted", "Permissions Added", "User Group Members Replaced", "User Group Members Added", "User Group Modified", "User Group Created"],
            Types(await EventsAsync($"audit-events?resourceId={group}&resourceType=USER_GROUP")));
        Assert.Equal(["User Removed", "Permissions Replaced"], Types(await EventsAsync($"audit-events?resourceId={user}")));
        var labelChange = (await EntriesAsync(source)).First(e => e.Type == "Source Modified" && e.AfterJson!.Contains("audited:label", StringComparison.Ordinal));
        Assert.Contains("\"labels\":[]", labelChange.BeforeJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTrailIsFilteredByTimeNewestFirstAndPaged()
    {
        var before = await Api.CreateSourceAsync("audit-time-before");
        await Task.Delay(50);
        var cut = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        var after = await Api.CreateSourceAsync("audit-time-after");
        var start = Uri.EscapeDataString(cut.ToString("O"));

        var since = Ids(await EventsAsync($"audit-events?startTime={start}&resourceType=SOURCE"));
        var until = Ids(await EventsAsync($"audit-events?endTime={start}&resourceType=SOURCE"));
        var page = await (await Api.GetAsync("audit-events?pagination[count]=1")).ReadDataAsync();

        Assert.Contains(after.GetProperty("id").GetString(), since);
        Assert.DoesNotContain(before.GetProperty("id").GetString(), since);
        Assert.Contains(before.GetProperty("id").GetString(), until);
        Assert.DoesNotContain(after.GetProperty("id").GetString(), until);
        Assert.Single(page.GetProperty("events").EnumerateArray());
        Assert.NotNull(page.GetProperty("pagination").GetProperty("next").GetString());
        Assert.Equal("startTime", (await (await Api.GetAsync("audit-events?startTime=yesterday")).ReadErrorAsync(422)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task TheQueryServiceFiltersByTypeAndActorForOwnersOnly()
    {
        var ws = await fixture.Server.DefaultWorkspaceIdAsync();
        await Api.CreateSourceAsync("audit-query-type");
        var tokenId = await TokenIdAsync();
        await using var scope = fixture.Server.Services.CreateAsyncScope();
        var query = scope.ServiceProvider.GetRequiredService<AuditQuery>();

        var created = (await query.ListAsync(AccessSeed.Owner(ws), new AuditFilter(Type: "Source Created", ActorId: tokenId), 0, 1000, CancellationToken.None)).Value!;
        var nobody = (await query.ListAsync(AccessSeed.Owner(ws), new AuditFilter(ActorId: "tok_nobody"), 0, 1000, CancellationToken.None)).Value!;
        var reader = AccessSeed.Principal(ws, PrincipalType.User, "usr_reader", AccessSeed.Permission(ws, "source-read-only"));
        var refused = await query.ListAsync(reader, new AuditFilter(), 0, 10, CancellationToken.None);
        var types = (await query.TypesAsync(AccessSeed.Owner(ws), CancellationToken.None)).Value!;

        Assert.NotEmpty(created.Entries);
        Assert.All(created.Entries, e => Assert.Equal("Source Created", e.Type));
        Assert.All(created.Entries, e => Assert.Equal(ActorKind.Token, e.ActorKind));
        Assert.Empty(nobody.Entries);
        Assert.Equal(ProblemKind.Forbidden, refused.Problem!.Kind);
        Assert.Contains("Source Created", types);
    }

    [Fact]
    public async Task AnotherWorkspacesTrailIsNotShown()
    {
        var theirs = (await fixture.Other.CreateSourceAsync("audit-theirs")).GetProperty("id").GetString();

        Assert.Empty(await EventsAsync($"audit-events?resourceId={theirs}"));
        Assert.Single(await EventsAsync($"audit-events?resourceId={theirs}", fixture.Other));
    }

    private async Task<List<JsonElement>> EventsAsync(string path, HttpClient? client = null) =>
        (await (await (client ?? Api).GetAsync(path)).ReadDataAsync()).GetProperty("events").EnumerateArray().ToList();

    private async Task<List<AuditEventEntity>> EntriesAsync(string resourceId)
    {
        await using var scope = fixture.Server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<JunctionDbContext>().AuditEvents.AsNoTracking()
            .Where(a => a.ResourceId == resourceId).ToListAsync();
    }

    private async Task<string> TokenIdAsync()
    {
        await using var scope = fixture.Server.Services.CreateAsyncScope();
        var ws = await fixture.Server.DefaultWorkspaceIdAsync();
        return (await scope.ServiceProvider.GetRequiredService<JunctionDbContext>().ApiTokens
            .Where(t => t.WorkspaceId == ws && t.Description == "tests").FirstAsync()).Id;
    }

    private static List<string?> Types(List<JsonElement> events) => events.Select(e => e.GetProperty("type").GetString()).ToList();

    private static List<string?> Ids(List<JsonElement> events) => events.Select(e => e.GetProperty("resourceId").GetString()).ToList();
}

public sealed class AuditRetentionTests
{
    [Fact]
    public async Task EntriesOlderThanTheRetentionAreDeletedAndNewerOnesKept()
    {
        await using var server = await JunctionTestServer.StartAsync(settings: [("Audit:Retention", "30.00:00:00")]);
        var ws = await server.DefaultWorkspaceIdAsync();
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
            db.AuditEvents.AddRange(Entry(ws, "old", 40), Entry(ws, "recent", 20));
            await db.SaveChangesAsync();
        }

        var deleted = await server.Services.GetRequiredService<AuditRetention>().PurgeAsync(CancellationToken.None);

        await using var check = server.Services.CreateAsyncScope();
        var left = await check.ServiceProvider.GetRequiredService<JunctionDbContext>().AuditEvents.Select(a => a.ResourceId).ToListAsync();
        Assert.Equal(1, deleted);
        Assert.Contains("recent", left);
        Assert.DoesNotContain("old", left);
    }

    [Fact]
    public async Task TheDefaultRetentionIsNinetyDays()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var ws = await server.DefaultWorkspaceIdAsync();
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
            db.AuditEvents.AddRange(Entry(ws, "ancient", 91), Entry(ws, "kept", 89));
            await db.SaveChangesAsync();
        }

        Assert.Equal(1, await server.Services.GetRequiredService<AuditRetention>().PurgeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ARetentionUnderAnHourStopsTheServerNamingTheSetting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => JunctionTestServer.StartAsync(settings: [("Audit:Retention", "00:00:10")]));

        Assert.Contains("Audit:Retention", error.ToString(), StringComparison.Ordinal);
    }

    private static AuditEventEntity Entry(string workspaceId, string resourceId, int daysAgo) => new()
    {
        Id = Ids.New("aud"),
        WorkspaceId = workspaceId,
        Timestamp = DateTimeOffset.UtcNow.AddDays(-daysAgo),
        Type = "Source Modified",
        ActorKind = ActorKind.System,
        ActorId = "system",
        ActorName = "Junction",
        ResourceType = "SOURCE",
        ResourceId = resourceId,
        ResourceName = resourceId,
    };
}
