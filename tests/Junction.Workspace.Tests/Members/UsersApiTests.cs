using System.Text.Json;
using Junction.Testing;
using Junction.Workspace.Access;
using Junction.Workspace.Tests.Access;
using Junction.Workspace.Tests.PublicApi;

namespace Junction.Workspace.Tests.Members;

public sealed class UsersApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private HttpClient Api => fixture.Api;

    [Fact]
    public async Task WhenUsersAreListedEachComesWithItsOwnPermissionsInSegmentsShape()
    {
        var ws = await fixture.Server.DefaultWorkspaceIdAsync();
        var source = (await Api.CreateSourceAsync("users-list-source")).GetProperty("id").GetString()!;
        var id = await fixture.Server.AddMemberAsync(ws, "listed@example.com", AccessSeed.Permission(ws, "source-admin", [source]));

        var data = await (await Api.GetAsync("users?pagination[count]=100")).ReadDataAsync();
        var user = data.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("id").GetString() == id);

        Assert.Equal("listed@example.com", user.GetProperty("email").GetString());
        Assert.Equal("listed", user.GetProperty("name").GetString());
        var permission = Assert.Single(user.GetProperty("permissions").EnumerateArray());
        Assert.Equal("source-admin", permission.GetProperty("roleId").GetString());
        Assert.Equal("Source Admin", permission.GetProperty("roleName").GetString());
        var resource = Assert.Single(permission.GetProperty("resources").EnumerateArray());
        Assert.Equal(source, resource.GetProperty("id").GetString());
        Assert.Equal("SOURCE", resource.GetProperty("type").GetString());
        Assert.True(data.GetProperty("pagination").GetProperty("totalEntries").GetInt32() >= 1);

        var single = (await (await Api.GetAsync("users/" + id)).ReadDataAsync()).GetProperty("user");
        Assert.Equal("listed@example.com", single.GetProperty("email").GetString());
    }

    [Fact]
    public async Task WhenPermissionsAreAddedAndReplacedTheUserHoldsExactlyWhatWasGiven()
    {
        var ws = await fixture.Server.DefaultWorkspaceIdAsync();
        await Api.PostJsonAsync("labels", """{"label":{"key":"perm","value":"labelled"}}""");
        var id = await fixture.Server.AddMemberAsync(ws, "granted@example.com");

        var added = await (await Api.PostJsonAsync($"users/{id}/permissions", $$"""
            {"permissions":[{"roleId":"source-read-only","resources":[{"id":"{{ws}}","type":"WORKSPACE","labels":[{"key":"perm","value":"labelled"}]}]}]}
            """)).ReadDataAsync();
        var again = await (await Api.PostJsonAsync($"users/{id}/permissions", $$"""
            {"permissions":[{"roleId":"tracking-plan-admin","resources":[{"id":"{{ws}}","type":"WORKSPACE"}]}]}
            """)).ReadDataAsync();
        var replaced = await (await Api.PutJsonAsync($"users/{id}/permissions", $$"""
            {"permissions":[{"roleId":"workspace-member","resources":[{"id":"{{ws}}","type":"WORKSPACE"}]}]}
            """)).ReadDataAsync();

        var first = Assert.Single(added.GetProperty("permissions").EnumerateArray());
        Assert.Equal(["perm:labelled"], first.GetProperty("labels").EnumerateArray().Select(l => l.GetProperty("key").GetString() + ":" + l.GetProperty("value").GetString()));
        Assert.Equal(ws, first.GetProperty("resources")[0].GetProperty("id").GetString());
        Assert.Equal(["source-read-only", "tracking-plan-admin"], RoleIds(again));
        Assert.Equal(["workspace-member"], RoleIds(replaced));
        var user = (await (await Api.GetAsync("users/" + id)).ReadDataAsync()).GetProperty("user");
        Assert.Equal(["workspace-member"], RoleIds(user));
    }

    [Theory]
    [InlineData("""{"permissions":[{"roleId":"no-such-role","resources":[{"id":"{ws}","type":"WORKSPACE"}]}]}""", "permissions[0].roleId")]
    [InlineData("""{"permissions":[{"roleId":"tracking-plan-admin","resources":[{"id":"{source}","type":"SOURCE"}]}]}""", "permissions[0].resources[0].type")]
    [InlineData("""{"permissions":[{"roleId":"source-admin","resources":[{"id":"{source}","type":"SPACE"}]}]}""", "permissions[0].resources[0].type")]
    [InlineData("""{"permissions":[{"roleId":"source-admin","resources":[{"id":"{source}","type":"GALAXY"}]}]}""", "permissions[0].resources[0].type")]
    [InlineData("""{"permissions":[{"roleId":"source-admin","resources":[{"id":"{otherSource}","type":"SOURCE"}]}]}""", "permissions[0].resources[0].id")]
    [InlineData("""{"permissions":[{"roleId":"source-admin","resources":[{"id":"ws_elsewhere","type":"WORKSPACE"}]}]}""", "permissions[0].resources[0].id")]
    [InlineData("""{"permissions":[{"roleId":"warehouse-destination-admin","resources":[{"id":"wh_none","type":"WAREHOUSE"}]}]}""", "permissions[0].resources[0].id")]
    [InlineData("""{"permissions":[{"roleId":"source-admin","resources":[{"id":"{ws}","type":"WORKSPACE","labels":[{"key":"never","value":"made"}]}]}]}""", "permissions[0].resources[0].labels[0]")]
    [InlineData("""{"permissions":[{"roleId":"workspace-owner","resources":[{"id":"{ws}","type":"WORKSPACE","labels":[{"key":"valid","value":"label"}]}]}]}""", "permissions[0].resources[0].labels[0]")]
    [InlineData("""{"permissions":[{"roleId":"source-admin","resources":[{"id":"{ws}","type":"WORKSPACE"},{"id":"{source}","type":"SOURCE"}]}]}""", "permissions[0].resources")]
    [InlineData("""{"permissions":[{"resources":[]}]}""", "permissions[0].roleId")]
    [InlineData("""{"permissions":{}}""", "permissions")]
    public async Task WhenPermissionInputIsWrongTheAnswerIs422NamingTheField(string body, string field)
    {
        var ws = await fixture.Server.DefaultWorkspaceIdAsync();
        await Api.PostJsonAsync("labels", """{"label":{"key":"valid","value":"label"}}""");
        var source = (await Api.CreateSourceAsync("perm-input-" + Guid.NewGuid().ToString("N")[..8])).GetProperty("id").GetString()!;
        var otherSource = (await fixture.Other.CreateSourceAsync("perm-other-" + Guid.NewGuid().ToString("N")[..8])).GetProperty("id").GetString()!;
        var id = await fixture.Server.AddMemberAsync(ws, $"invalid-{Guid.NewGuid():N}@example.com");
        var filled = body.Replace("{ws}", ws, StringComparison.Ordinal)
            .Replace("{source}", source, StringComparison.Ordinal)
            .Replace("{otherSource}", otherSource, StringComparison.Ordinal);

        var error = await (await Api.PostJsonAsync($"users/{id}/permissions", filled)).ReadErrorAsync(422);

        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Empty(RoleIds((await (await Api.GetAsync("users/" + id)).ReadDataAsync()).GetProperty("user")));
    }

    [Fact]
    public async Task WhenUsersAreDeletedTheyLeaveTheWorkspaceWithTheirPermissionsButTheLastOwnerStays()
    {
        await using var server = await Testing.JunctionTestServer.StartAsync();
        var ws = await server.DefaultWorkspaceIdAsync();
        using var api = await server.ClientAsync(ws);
        var owner = await server.AddMemberAsync(ws, "only-owner@example.com", AccessSeed.Permission(ws, Roles.WorkspaceOwnerId));
        var leaving = await server.AddMemberAsync(ws, "leaving@example.com", AccessSeed.Permission(ws, "source-admin"));

        var lastOwner = await (await api.DeleteAsync($"users?userIds[0]={owner}&userIds[1]={leaving}")).ReadErrorAsync(409);
        Assert.Contains("Workspace Owner", lastOwner.GetProperty("message").GetString(), StringComparison.Ordinal);
        await (await api.GetAsync("users/" + leaving)).ReadDataAsync();

        await (await api.DeleteAsync($"users?userIds[0]={leaving}")).ReadDataAsync();
        await (await api.GetAsync("users/" + leaving)).ReadErrorAsync(404);
        await (await api.DeleteAsync($"users?userIds[0]={leaving}")).ReadErrorAsync(404);

        var second = await server.AddMemberAsync(ws, "second-owner@example.com", AccessSeed.Permission(ws, Roles.WorkspaceOwnerId));
        await (await api.DeleteAsync($"users?userIds[0]={owner}")).ReadDataAsync();
        await (await api.PutJsonAsync($"users/{second}/permissions", $$"""{"permissions":[{"roleId":"workspace-member","resources":[{"id":"{{ws}}","type":"WORKSPACE"}]}]}""")).ReadErrorAsync(409);
    }

    [Fact]
    public async Task WhenAUsersGroupsAreListedOnlyItsGroupsInThisWorkspaceAreShown()
    {
        var ws = await fixture.Server.DefaultWorkspaceIdAsync();
        var id = await fixture.Server.AddMemberAsync(ws, "grouped@example.com");
        var group = (await (await Api.PostJsonAsync("groups", """{"name":"Grouped users"}""")).ReadDataAsync()).GetProperty("userGroup");
        await (await Api.PostJsonAsync("groups", """{"name":"Not for grouped"}""")).ReadDataAsync();
        await (await Api.PostJsonAsync($"groups/{group.GetProperty("id").GetString()}/users", """{"emails":["GROUPED@example.com"]}""")).ReadDataAsync();

        var groups = await (await Api.GetAsync($"users/{id}/groups")).ReadDataAsync();

        var only = Assert.Single(groups.GetProperty("groups").EnumerateArray());
        Assert.Equal("Grouped users", only.GetProperty("name").GetString());
        Assert.Equal(1, groups.GetProperty("pagination").GetProperty("totalEntries").GetInt32());
    }

    [Fact]
    public async Task RolesAreListedWithSegmentsNamesForAnyMember()
    {
        var ws = await fixture.Server.DefaultWorkspaceIdAsync();
        using var member = await fixture.Server.ClientAsync(ws, AccessSeed.Permission(ws, Roles.WorkspaceMemberId));

        var data = await (await member.GetAsync("roles?pagination[count]=5")).ReadDataAsync();

        var roles = data.GetProperty("roles").EnumerateArray().ToList();
        Assert.Equal(5, roles.Count);
        Assert.Equal("Workspace Owner", roles[0].GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(roles[0].GetProperty("description").GetString()));
        Assert.Equal(Roles.All.Count, data.GetProperty("pagination").GetProperty("totalEntries").GetInt32());
        await (await member.GetAsync("users")).ReadErrorAsync(403);
    }

    private static List<string?> RoleIds(JsonElement holder) =>
        holder.GetProperty("permissions").EnumerateArray().Select(p => p.GetProperty("roleId").GetString()).ToList();
}
