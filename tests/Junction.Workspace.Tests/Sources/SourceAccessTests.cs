using Junction.Testing;
using Junction.Workspace.Tests.PublicApi;

namespace Junction.Workspace.Tests.Sources;

/// <summary>What each source role may see and do through the Public API.</summary>
public sealed class SourceAccessTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private JunctionTestServer Server => fixture.Server;

    [Fact]
    public async Task WhenASourceAdminHoldsAListTheSourcesListShowsOnlyThoseWithTheirWriteKeys()
    {
        var listed = await fixture.Api.CreateSourceAsync("list-listed");
        await fixture.Api.CreateSourceAsync("list-unlisted");
        using var admin = await Server.CreateApiClientWithRoleAsync("source-admin", [Id(listed)!]);

        var data = await (await admin.GetAsync("sources")).ReadDataAsync();

        var source = Assert.Single(data.GetProperty("sources").EnumerateArray());
        Assert.Equal(Id(listed), Id(source));
        Assert.Equal(listed.GetProperty("writeKeys").Strings(), source.GetProperty("writeKeys").Strings());
        Assert.Equal(1, data.GetProperty("pagination").GetProperty("totalEntries").GetInt32());
    }

    [Fact]
    public async Task WhenTheCallerIsReadOnlyWriteKeysAreHiddenAndChangesAreRefusedNamingSourceAdmin()
    {
        var source = await fixture.Api.CreateSourceAsync("read-only-target");
        var id = Id(source);
        var key = source.GetProperty("writeKeys")[0].GetString();
        using var reader = await Server.CreateApiClientWithRoleAsync("source-read-only");

        var read = (await (await reader.GetAsync("sources/" + id)).ReadDataAsync()).GetProperty("source");
        var listed = (await (await reader.GetAsync("sources")).ReadDataAsync()).GetProperty("sources").EnumerateArray().Single(s => Id(s) == id);

        Assert.Empty(read.GetProperty("writeKeys").Strings());
        Assert.Empty(listed.GetProperty("writeKeys").Strings());
        var refusals = new[]
        {
            await reader.PatchJsonAsync("sources/" + id, """{"name":"Nope"}"""),
            await reader.PostAsync($"sources/{id}/writekey", null),
            await reader.DeleteAsync($"sources/{id}/writekey/{key}"),
            await reader.DeleteAsync("sources/" + id),
            await reader.PostJsonAsync($"sources/{id}/labels", """{"labels":[]}"""),
        };
        foreach (var refusal in refusals)
        {
            var error = await refusal.ReadErrorAsync(403);
            Assert.Equal("forbidden", error.GetProperty("type").GetString());
            Assert.Contains("Source Admin", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Contains(id!, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        var after = (await (await fixture.Api.GetAsync("sources/" + id)).ReadDataAsync()).GetProperty("source");
        Assert.Equal("Read Only Target", after.GetProperty("name").GetString());
        Assert.Equal([key], after.GetProperty("writeKeys").Strings());
    }

    [Fact]
    public async Task WhenAPermissionNamesTwoLabelsOnlySourcesCarryingBothAreCoveredAndALabelChangeCountsAtOnce()
    {
        await fixture.Api.PostJsonAsync("labels", """{"label":{"key":"stage","value":"live"}}""");
        await fixture.Api.PostJsonAsync("labels", """{"label":{"key":"squad","value":"growth"}}""");
        var both = await fixture.Api.CreateSourceAsync("labels-both");
        var one = await fixture.Api.CreateSourceAsync("labels-one");
        await (await fixture.Api.PutJsonAsync($"sources/{Id(both)}/labels", """{"labels":[{"key":"stage","value":"live"},{"key":"squad","value":"growth"}]}""")).ReadDataAsync();
        await (await fixture.Api.PutJsonAsync($"sources/{Id(one)}/labels", """{"labels":[{"key":"stage","value":"live"}]}""")).ReadDataAsync();
        using var reader = await Server.CreateApiClientWithRoleAsync("source-read-only", null, "stage:live", "squad:growth");

        Assert.Equal([Id(both)], await VisibleIdsAsync(reader));
        await (await reader.GetAsync("sources/" + Id(one))).ReadErrorAsync(403);

        await (await fixture.Api.PostJsonAsync($"sources/{Id(one)}/labels", """{"labels":[{"key":"squad","value":"growth"}]}""")).ReadDataAsync();

        Assert.Equal([Id(both), Id(one)], await VisibleIdsAsync(reader));
        await (await reader.GetAsync("sources/" + Id(one))).ReadDataAsync();
    }

    [Theory]
    [InlineData("source-admin", true, false)]
    [InlineData("source-admin", false, true)]
    [InlineData("source-read-only", false, false)]
    [InlineData("workspace-member", false, false)]
    public async Task OnlyASourceAdminOnAllSourcesMayCreateSources(string role, bool labelled, bool onAll)
    {
        await fixture.Api.PostJsonAsync("labels", """{"label":{"key":"create","value":"test"}}""");
        using var client = await Server.CreateApiClientWithRoleAsync(role, null, labelled ? ["create:test"] : []);

        var response = await client.PostJsonAsync("sources", $$"""{"slug":"created-by-{{role}}-{{(labelled ? "labelled" : "plain")}}","enabled":true,"metadataId":"IqDTy1TpoU"}""");

        if (onAll)
        {
            await response.ReadDataAsync(201);
        }
        else
        {
            Assert.Contains("all sources", (await response.ReadErrorAsync(403)).GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WhenTheOnlySourceOfAPermissionIsDeletedThePermissionGoesAndNeverWidensToAllSources()
    {
        var doomed = await fixture.Api.CreateSourceAsync("doomed-source");
        using var admin = await Server.CreateApiClientWithRoleAsync("source-admin", [Id(doomed)!]);

        await (await admin.DeleteAsync("sources/" + Id(doomed))).ReadDataAsync();
        var later = await fixture.Api.CreateSourceAsync("after-the-doomed");

        Assert.Empty(await VisibleIdsAsync(admin));
        await (await admin.GetAsync("sources/" + Id(later))).ReadErrorAsync(403);
    }

    private static string? Id(System.Text.Json.JsonElement source) => source.GetProperty("id").GetString();

    private static async Task<List<string?>> VisibleIdsAsync(HttpClient client) =>
        (await (await client.GetAsync("sources")).ReadDataAsync()).GetProperty("sources").EnumerateArray().Select(Id).ToList();
}
