using System.Text.Json;
using Junction.Testing;
using Junction.Workspace.Access;
using Junction.Workspace.Data;
using Junction.Workspace.Tests.Access;
using Junction.Workspace.Tests.PublicApi;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Workspace.Tests.Groups;

public sealed class GroupsApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private HttpClient Api => fixture.Api;

    [Fact]
    public async Task WhenAGroupIsCreatedRenamedAndDeletedEachAnswerIsTheGroupInSegmentsShape()
    {
        var created = (await (await Api.PostJsonAsync("groups", """{"name":"  Analysts  "}""")).ReadDataAsync()).GetProperty("userGroup");
        var id = created.GetProperty("id").GetString();

        Assert.Equal("Analysts", created.GetProperty("name").GetString());
        Assert.Equal(0, created.GetProperty("memberCount").GetInt32());
        Assert.Equal(0, created.GetProperty("permissions").GetArrayLength());
        await (await Api.PostJsonAsync("groups", """{"name":"Analysts"}""")).ReadErrorAsync(409);
        await (await Api.PostJsonAsync("groups", """{"name":"   "}""")).ReadErrorAsync(422);

        var renamed = (await (await Api.PatchJsonAsync($"groups/{id}", """{"name":"Data analysts"}""")).ReadDataAsync()).GetProperty("userGroup");
        var listed = (await (await Api.GetAsync("groups")).ReadDataAsync()).GetProperty("userGroups").EnumerateArray();

        Assert.Equal("Data analysts", renamed.GetProperty("name").GetString());
        Assert.Contains(listed, g => g.GetProperty("id").GetString() == id);
        Assert.Equal("SUCCESS", (await (await Api.DeleteAsync($"groups/{id}")).ReadDataAsync()).GetProperty("status").GetString());
        await (await Api.GetAsync($"groups/{id}")).ReadErrorAsync(404);
    }

    [Fact]
    public async Task MembersAndPendingInviteesAreAddedByEmailReplacedAndRemovedOnTheSingularPath()
    {
        var ws = await fixture.Server.DefaultWorkspaceIdAsync();
        var ana = await fixture.Server.AddMemberAsync(ws, "ana@example.com");
        await fixture.Server.AddMemberAsync(ws, "bo@example.com");
        await fixture.Server.AddInviteAsync(ws, "invited@example.com");
        var id = (await (await Api.PostJsonAsync("groups", """{"name":"Mixed"}""")).ReadDataAsync()).GetProperty("userGroup").GetProperty("id").GetString();

        var added = await (await Api.PostJsonAsync($"groups/{id}/users", """{"emails":["ana@example.com","Invited@Example.com"]}""")).ReadDataAsync();
        Assert.Equal(1, added.GetProperty("userGroup").GetProperty("memberCount").GetInt32());
        Assert.Equal(["ana@example.com"], await EmailsAsync($"groups/{id}/users", "users"));
        Assert.Equal(["invited@example.com"], await EmailsAsync($"groups/{id}/invites", "emails"));

        var unknown = await (await Api.PostJsonAsync($"groups/{id}/users", """{"emails":["bo@example.com","stranger@example.com"]}""")).ReadErrorAsync(422);
        Assert.Equal("emails[1]", unknown.GetProperty("field").GetString());
        Assert.Equal(["ana@example.com"], await EmailsAsync($"groups/{id}/users", "users"));

        var replaced = await (await Api.PutJsonAsync($"group/{id}/users", """{"emails":["bo@example.com"]}""")).ReadDataAsync();
        Assert.Equal(1, replaced.GetProperty("userGroup").GetProperty("memberCount").GetInt32());
        Assert.Equal(["bo@example.com"], await EmailsAsync($"groups/{id}/users", "users"));
        Assert.Empty(await EmailsAsync($"groups/{id}/invites", "emails"));

        await (await Api.DeleteAsync($"group/{id}/users?emails%5B0%5D=bo%40example.com")).ReadDataAsync();
        Assert.Empty(await EmailsAsync($"groups/{id}/users", "users"));
        await (await Api.GetAsync("users/" + ana)).ReadDataAsync();
    }

    [Fact]
    public async Task WhenAGroupIsGivenPermissionsItsMembersGetThemAndLoseThemWhenTheyLeave()
    {
        var ws = await fixture.Server.DefaultWorkspaceIdAsync();
        var source = (await Api.CreateSourceAsync("group-granted")).GetProperty("id").GetString()!;
        var userId = await fixture.Server.AddMemberAsync(ws, "via-group@example.com");
        var id = (await (await Api.PostJsonAsync("groups", """{"name":"Source readers"}""")).ReadDataAsync()).GetProperty("userGroup").GetProperty("id").GetString();
        await (await Api.PostJsonAsync($"groups/{id}/users", """{"emails":["via-group@example.com"]}""")).ReadDataAsync();

        Assert.False(await CanReadAsync(ws, userId, source));
        var granted = await (await Api.PostJsonAsync($"groups/{id}/permissions", $$"""
            {"permissions":[{"roleId":"source-read-only","resources":[{"id":"{{source}}","type":"SOURCE"}]}]}
            """)).ReadDataAsync();
        Assert.Equal("source-read-only", granted.GetProperty("permissions")[0].GetProperty("roleId").GetString());
        Assert.True(await CanReadAsync(ws, userId, source));
        var group = (await (await Api.GetAsync($"groups/{id}")).ReadDataAsync()).GetProperty("userGroup");
        Assert.Equal("Source Read-only", group.GetProperty("permissions")[0].GetProperty("roleName").GetString());

        await (await Api.PutJsonAsync($"group/{id}/users", """{"emails":[]}""")).ReadDataAsync();
        Assert.False(await CanReadAsync(ws, userId, source));

        await (await Api.PutJsonAsync($"groups/{id}/permissions", """{"permissions":[]}""")).ReadDataAsync();
        Assert.Equal(0, (await (await Api.GetAsync($"groups/{id}")).ReadDataAsync()).GetProperty("userGroup").GetProperty("permissions").GetArrayLength());
    }

    [Fact]
    public async Task WhenTheOnlyOwnersAreOwnersThroughAGroupTheGroupCannotLoseThem()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var ws = await server.DefaultWorkspaceIdAsync();
        using var api = await server.ClientAsync(ws);
        await server.AddMemberAsync(ws, "group-owner@example.com");
        var id = (await (await api.PostJsonAsync("groups", """{"name":"Owners"}""")).ReadDataAsync()).GetProperty("userGroup").GetProperty("id").GetString();
        await (await api.PostJsonAsync($"groups/{id}/users", """{"emails":["group-owner@example.com"]}""")).ReadDataAsync();
        await (await api.PostJsonAsync($"groups/{id}/permissions", $$"""{"permissions":[{"roleId":"workspace-owner","resources":[{"id":"{{ws}}","type":"WORKSPACE"}]}]}""")).ReadDataAsync();

        await (await api.DeleteAsync($"groups/{id}")).ReadErrorAsync(409);
        await (await api.DeleteAsync($"group/{id}/users?emails[0]=group-owner@example.com")).ReadErrorAsync(409);
        await (await api.PutJsonAsync($"group/{id}/users", """{"emails":[]}""")).ReadErrorAsync(409);
        await (await api.PutJsonAsync($"groups/{id}/permissions", """{"permissions":[]}""")).ReadErrorAsync(409);
        await (await api.GetAsync($"groups/{id}")).ReadDataAsync();
    }

    [Fact]
    public async Task AnotherWorkspacesGroupsAndPeopleAreOutOfReach()
    {
        var theirs = (await (await fixture.Other.PostJsonAsync("groups", """{"name":"Their group"}""")).ReadDataAsync()).GetProperty("userGroup").GetProperty("id").GetString();
        var mine = (await (await Api.PostJsonAsync("groups", """{"name":"Reach test"}""")).ReadDataAsync()).GetProperty("userGroup").GetProperty("id").GetString();
        var otherWs = (await (await fixture.Other.GetAsync("")).ReadDataAsync()).GetProperty("workspace").GetProperty("id").GetString()!;
        await fixture.Server.AddMemberAsync(otherWs, "their-member@example.com");

        await (await Api.GetAsync($"groups/{theirs}")).ReadErrorAsync(404);
        await (await Api.PostJsonAsync($"groups/{mine}/users", """{"emails":["their-member@example.com"]}""")).ReadErrorAsync(422);
        var names = (await (await Api.GetAsync("groups")).ReadDataAsync()).GetProperty("userGroups").EnumerateArray().Select(g => g.GetProperty("name").GetString());
        Assert.DoesNotContain("Their group", names);
    }

    private async Task<List<string?>> EmailsAsync(string path, string member)
    {
        var data = await (await Api.GetAsync(path)).ReadDataAsync();
        return data.GetProperty(member).EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetProperty("email").GetString())
            .ToList();
    }

    private async Task<bool> CanReadAsync(string workspaceId, string userId, string sourceId)
    {
        await using var scope = fixture.Server.Services.CreateAsyncScope();
        var principal = await scope.ServiceProvider.GetRequiredService<AccessService>().ForUserAsync(workspaceId, userId, CancellationToken.None);
        var labels = scope.ServiceProvider.GetRequiredService<JunctionDbContext>().SourceLabels.Where(l => l.SourceId == sourceId)
            .Select(l => new Label(l.Key, l.Value)).ToList();
        return principal!.Can(AccessLevel.Read, ResourceKind.Source, sourceId, labels);
    }
}
