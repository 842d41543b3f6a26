using System.Text.Json;
using Junction.Testing;
using Junction.Workspace.Access;
using Junction.Workspace.Tests.Access;

namespace Junction.Workspace.Tests.PublicApi;

/// <summary>
/// Segment's TypeScript Public API client manages access against Junction unchanged:
/// tests/fixtures/node/public-api-access.mjs lists roles and users, makes a group and moves a member in and out of
/// it (on the singular <c>/group/{id}/users</c> paths the client uses), creates and lists labels, and reads the audit
/// trail.
/// </summary>
public sealed class PublicApiSdkAccessTests
{
    [Fact]
    public async Task WhenSegmentsTypeScriptClientManagesAccessEveryCallSucceeds()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var ws = await server.DefaultWorkspaceIdAsync();
        var token = await server.AddTokenAsync(ws);
        var memberId = await server.AddMemberAsync(ws, "sdk-member@example.com", AccessSeed.Permission(ws, "source-read-only"));
        await server.AddMemberAsync(ws, "sdk-owner@example.com", AccessSeed.Permission(ws, Roles.WorkspaceOwnerId));
        var (sourceId, _) = await server.AddSourceAsync(ws, "sdk-labelled");

        var (exitCode, output, error) = await Node.RunAsync(
            "public-api-access.mjs", new Uri(server.BaseAddress, "api").ToString(), token, "sdk-member@example.com", sourceId);

        Assert.True(exitCode == 0, $"node exited with {exitCode}:\n{error}\n{output}");
        var result = JsonSerializer.Deserialize<JsonElement>(output);

        Assert.Equal(Roles.All.Select(r => r.Id), result.GetProperty("roles").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        var member = result.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("id").GetString() == memberId);
        Assert.Equal("source-read-only", member.GetProperty("permissions")[0].GetProperty("roleId").GetString());
        Assert.Equal(2, result.GetProperty("usersPagination").GetProperty("totalEntries").GetInt32());

        Assert.Equal(201, result.GetProperty("createLabelStatus").GetInt32());
        Assert.Equal("by the SDK", result.GetProperty("createdLabel").GetProperty("description").GetString());
        Assert.Contains(result.GetProperty("labels").EnumerateArray(), l => l.GetProperty("key").GetString() == "sdk");
        Assert.Equal("made", result.GetProperty("sourceLabels")[0].GetProperty("value").GetString());
        Assert.Equal("conflict", result.GetProperty("labelInUse").GetProperty("type").GetString());

        Assert.Equal("SDK group", result.GetProperty("group").GetProperty("name").GetString());
        Assert.Equal(1, result.GetProperty("afterAdd").GetProperty("memberCount").GetInt32());
        Assert.Equal("sdk-member@example.com", result.GetProperty("groupUsers")[0].GetProperty("email").GetString());
        Assert.Equal("SDK group", result.GetProperty("userGroups")[0].GetProperty("name").GetString());
        Assert.Equal(0, result.GetProperty("afterReplace").GetProperty("memberCount").GetInt32());
        Assert.Equal("SUCCESS", result.GetProperty("removeUsers").GetProperty("status").GetString());
        Assert.Equal(0, result.GetProperty("afterRemove").GetProperty("memberCount").GetInt32());
        var permission = result.GetProperty("groupPermissions")[0];
        Assert.Equal("Source Admin", permission.GetProperty("roleName").GetString());
        Assert.Equal("sdk", permission.GetProperty("resources")[0].GetProperty("labels")[0].GetProperty("key").GetString());
        Assert.Equal("permissions[0].roleId", result.GetProperty("badRole").GetProperty("field").GetString());
        Assert.Equal("SUCCESS", result.GetProperty("deleteUsers").GetProperty("status").GetString());

        var types = result.GetProperty("audit").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Contains("Label Created", types);
        Assert.Contains("User Group Created", types);
        Assert.Contains("User Removed", types);
        var groupTypes = result.GetProperty("auditForGroup").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal("User Group Created", groupTypes[^1]);
        Assert.All(result.GetProperty("auditForGroup").EnumerateArray(), e => Assert.Equal("USER_GROUP", e.GetProperty("resourceType").GetString()));
    }
}
