using Junction.Testing;
using Junction.Workspace.Tests.PublicApi;

namespace Junction.Workspace.Tests.Sources;

public sealed class WorkspaceIsolationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task WhenTwoWorkspacesHaveSourcesEachTokenSeesOnlyItsOwn()
    {
        using var other = await fixture.Server.CreateWorkspaceClientAsync("other-list");
        var mine = await fixture.Api.CreateSourceAsync("mine-listed");
        var theirs = await other.CreateSourceAsync("theirs-listed");

        var myIds = (await (await fixture.Api.GetAsync("sources")).ReadDataAsync()).GetProperty("sources").EnumerateArray()
            .Select(s => s.GetProperty("id").GetString()).ToList();
        var theirIds = (await (await other.GetAsync("sources")).ReadDataAsync()).GetProperty("sources").EnumerateArray()
            .Select(s => s.GetProperty("id").GetString()).ToList();

        Assert.Contains(mine.GetProperty("id").GetString(), myIds);
        Assert.DoesNotContain(theirs.GetProperty("id").GetString(), myIds);
        Assert.Equal([theirs.GetProperty("id").GetString()], theirIds);
        Assert.NotEqual(mine.GetProperty("workspaceId").GetString(), theirs.GetProperty("workspaceId").GetString());
    }

    [Fact]
    public async Task WhenAnotherWorkspacesSourceIsAddressedTheAnswerIs404AndNothingChanges()
    {
        using var other = await fixture.Server.CreateWorkspaceClientAsync("other-write");
        var theirs = await other.CreateSourceAsync("theirs-guarded");
        var id = theirs.GetProperty("id").GetString();
        var key = theirs.GetProperty("writeKeys")[0].GetString();

        await (await fixture.Api.GetAsync("sources/" + id)).ReadErrorAsync(404);
        await (await fixture.Api.PatchJsonAsync("sources/" + id, """{"name":"Hijacked","enabled":false}""")).ReadErrorAsync(404);
        await (await fixture.Api.PostAsync($"sources/{id}/writekey", null)).ReadErrorAsync(404);
        await (await fixture.Api.DeleteAsync($"sources/{id}/writekey/{key}")).ReadErrorAsync(404);
        await (await fixture.Api.DeleteAsync("sources/" + id)).ReadErrorAsync(404);

        var read = (await (await other.GetAsync("sources/" + id)).ReadDataAsync()).GetProperty("source");
        Assert.Equal("Theirs Guarded", read.GetProperty("name").GetString());
        Assert.True(read.GetProperty("enabled").GetBoolean());
        Assert.Equal([key], read.GetProperty("writeKeys").Strings());
    }

    [Fact]
    public async Task WhenTwoWorkspacesUseTheSameSlugBothSucceed()
    {
        using var other = await fixture.Server.CreateWorkspaceClientAsync("other-slug");

        await fixture.Api.CreateSourceAsync("shared-slug");
        await other.CreateSourceAsync("shared-slug");
    }

    [Fact]
    public async Task WhenEachTokenAsksForItsWorkspaceItGetsItsOwn()
    {
        using var other = await fixture.Server.CreateWorkspaceClientAsync("other-root");

        var workspace = (await (await other.GetAsync("")).ReadDataAsync()).GetProperty("workspace");

        Assert.Equal("other-root", workspace.GetProperty("slug").GetString());
        Assert.Equal("Workspace other-root", workspace.GetProperty("name").GetString());
    }
}
