using Junction.Workspace.Data;
using Junction.Workspace.Tests.PublicApi;

namespace Junction.Workspace.Tests.Workspaces;

public sealed class WorkspaceApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("")]
    [InlineData("/api")]
    public async Task WhenTheRootIsReadTheTokensWorkspaceComesBack(string path)
    {
        var response = path.Length == 0 ? await fixture.Api.GetAsync("") : await fixture.Api.GetAsync(new Uri(fixture.Server.BaseAddress, path));

        var workspace = (await response.ReadDataAsync()).GetProperty("workspace");
        Assert.StartsWith("ws_", workspace.GetProperty("id").GetString());
        Assert.Equal(WorkspaceBootstrap.DefaultWorkspaceSlug, workspace.GetProperty("slug").GetString());
        Assert.Equal(WorkspaceBootstrap.DefaultWorkspaceName, workspace.GetProperty("name").GetString());
    }
}
