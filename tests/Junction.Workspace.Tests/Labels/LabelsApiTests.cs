using System.Text.Json;
using Junction.Testing;
using Junction.Workspace.Tests.Access;
using Junction.Workspace.Tests.PublicApi;

namespace Junction.Workspace.Tests.Labels;

public sealed class LabelsApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private HttpClient Api => fixture.Api;

    [Fact]
    public async Task WhenALabelIsCreatedItIsListedInSegmentsShape()
    {
        var created = await (await Api.PostJsonAsync("labels", """{"label":{"key":"environment","value":"prod","description":"Production"}}""")).ReadDataAsync(201);
        await (await Api.PostJsonAsync("labels", """{"label":{"key":"environment","value":"dev"}}""")).ReadDataAsync(201);

        var labels = (await (await Api.GetAsync("labels")).ReadDataAsync()).GetProperty("labels").EnumerateArray().ToList();

        Assert.Equal("Production", created.GetProperty("label").GetProperty("description").GetString());
        var prod = labels.Single(l => l.GetProperty("key").GetString() == "environment" && l.GetProperty("value").GetString() == "prod");
        Assert.Equal("Production", prod.GetProperty("description").GetString());
        var dev = labels.Single(l => l.GetProperty("key").GetString() == "environment" && l.GetProperty("value").GetString() == "dev");
        Assert.False(dev.TryGetProperty("description", out _));
        Assert.DoesNotContain(labels, l => l.GetProperty("key").GetString() == "other-workspace");
    }

    [Theory]
    [InlineData("1st", "ok", "label.key")]
    [InlineData("env", "-prod", "label.value")]
    [InlineData("env", "prod_1", "label.value")]
    [InlineData("has space", "x", "label.key")]
    [InlineData("", "x", "label.key")]
    public async Task WhenALabelIsNotLettersDigitsAndHyphensStartingWithALetterItIsRefused(string key, string value, string field)
    {
        var error = await (await Api.PostJsonAsync("labels", $"{{\"label\":{{\"key\":\"{key}\",\"value\":\"{value}\"}}}}")).ReadErrorAsync(422);

        Assert.Equal(field, error.GetProperty("field").GetString());
    }

    [Fact]
    public async Task WhenTheSameLabelIsCreatedTwiceTheSecondIsAConflict()
    {
        await (await Api.PostJsonAsync("labels", """{"label":{"key":"twice","value":"made"}}""")).ReadDataAsync(201);

        await (await Api.PostJsonAsync("labels", """{"label":{"key":"twice","value":"made"}}""")).ReadErrorAsync(409);
    }

    [Fact]
    public async Task WhenALabelIsOnASourceOrInAPermissionItCannotBeDeletedUntilItIsTakenOff()
    {
        var workspaceId = await fixture.Server.DefaultWorkspaceIdAsync();
        await Api.PostJsonAsync("labels", """{"label":{"key":"inuse","value":"source"}}""");
        await Api.PostJsonAsync("labels", """{"label":{"key":"inuse","value":"permission"}}""");
        var source = (await Api.CreateSourceAsync("label-in-use")).GetProperty("id").GetString();
        await (await Api.PostJsonAsync($"sources/{source}/labels", """{"labels":[{"key":"inuse","value":"source"}]}""")).ReadDataAsync();
        using var holder = await fixture.Server.ClientAsync(workspaceId, AccessSeed.Permission(workspaceId, "source-read-only", null, "inuse:permission"));

        var onSource = await (await Api.DeleteAsync("labels/inuse/source")).ReadErrorAsync(409);
        var inPermission = await (await Api.DeleteAsync("labels/inuse/permission")).ReadErrorAsync(409);

        Assert.Contains("1 source", onSource.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("in use", onSource.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("1 permission", inPermission.GetProperty("message").GetString(), StringComparison.Ordinal);

        await (await Api.PutJsonAsync($"sources/{source}/labels", """{"labels":[]}""")).ReadDataAsync();
        Assert.Equal("SUCCESS", (await (await Api.DeleteAsync("labels/inuse/source")).ReadDataAsync()).GetProperty("status").GetString());
        await (await Api.DeleteAsync("labels/inuse/source")).ReadErrorAsync(404);
    }

    [Fact]
    public async Task WhenLabelsAreAddedToASourceEachKeyKeepsOneValueAndTheSourceShowsThem()
    {
        await Api.PostJsonAsync("labels", """{"label":{"key":"tier","value":"gold","description":"Top"}}""");
        await Api.PostJsonAsync("labels", """{"label":{"key":"tier","value":"silver"}}""");
        await Api.PostJsonAsync("labels", """{"label":{"key":"owner","value":"ops"}}""");
        var id = (await Api.CreateSourceAsync("labelled")).GetProperty("id").GetString();

        var added = await (await Api.PostJsonAsync($"sources/{id}/labels", """{"labels":[{"key":"tier","value":"silver"},{"key":"owner","value":"ops"}]}""")).ReadDataAsync();
        var switched = await (await Api.PostJsonAsync($"sources/{id}/labels", """{"labels":[{"key":"tier","value":"gold"}]}""")).ReadDataAsync();
        var source = (await (await Api.GetAsync("sources/" + id)).ReadDataAsync()).GetProperty("source");

        Assert.Equal(["owner:ops", "tier:silver"], Pairs(added.GetProperty("labels")));
        Assert.Equal(["owner:ops", "tier:gold"], Pairs(switched.GetProperty("labels")));
        Assert.Equal(["owner:ops", "tier:gold"], Pairs(source.GetProperty("labels")));
        Assert.Equal("Top", source.GetProperty("labels").EnumerateArray().Single(l => l.GetProperty("key").GetString() == "tier").GetProperty("description").GetString());

        var replaced = await (await Api.PutJsonAsync($"sources/{id}/labels", """{"labels":[{"key":"tier","value":"silver"}]}""")).ReadDataAsync();
        Assert.Equal(["tier:silver"], Pairs(replaced.GetProperty("labels")));
    }

    [Fact]
    public async Task WhenASourceIsGivenAnUnknownLabelOrOneKeyTwiceTheAnswerIs422NamingTheItem()
    {
        await Api.PostJsonAsync("labels", """{"label":{"key":"twin","value":"a"}}""");
        await Api.PostJsonAsync("labels", """{"label":{"key":"twin","value":"b"}}""");
        var id = (await Api.CreateSourceAsync("badly-labelled")).GetProperty("id").GetString();

        var unknown = await (await Api.PostJsonAsync($"sources/{id}/labels", """{"labels":[{"key":"twin","value":"a"},{"key":"nope","value":"x"}]}""")).ReadErrorAsync(422);
        var twice = await (await Api.PostJsonAsync($"sources/{id}/labels", """{"labels":[{"key":"twin","value":"a"},{"key":"twin","value":"b"}]}""")).ReadErrorAsync(422);
        var notAList = await (await Api.PostJsonAsync($"sources/{id}/labels", """{"labels":"twin:a"}""")).ReadErrorAsync(422);

        Assert.Equal("labels[1]", unknown.GetProperty("field").GetString());
        Assert.Equal("labels[1]", twice.GetProperty("field").GetString());
        Assert.Equal("labels", notAList.GetProperty("field").GetString());
    }

    [Fact]
    public async Task ASourceAdminLabelsTheSourcesItAdministersButOnlyOwnersManageLabels()
    {
        await Api.PostJsonAsync("labels", """{"label":{"key":"admin-set","value":"yes"}}""");
        var mine = (await Api.CreateSourceAsync("admin-labels-mine")).GetProperty("id").GetString()!;
        var notMine = (await Api.CreateSourceAsync("admin-labels-other")).GetProperty("id").GetString()!;
        using var admin = await fixture.Server.CreateApiClientWithRoleAsync("source-admin", [mine]);

        await (await admin.PostJsonAsync($"sources/{mine}/labels", """{"labels":[{"key":"admin-set","value":"yes"}]}""")).ReadDataAsync();
        await (await admin.PostJsonAsync($"sources/{notMine}/labels", """{"labels":[{"key":"admin-set","value":"yes"}]}""")).ReadErrorAsync(403);
        await (await admin.GetAsync("labels")).ReadDataAsync();
        var create = await (await admin.PostJsonAsync("labels", """{"label":{"key":"admin-made","value":"no"}}""")).ReadErrorAsync(403);
        await (await admin.DeleteAsync("labels/admin-set/yes")).ReadErrorAsync(403);

        Assert.Contains("Workspace Owner", create.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherWorkspacesLabelsAreNeitherListedNorUsable()
    {
        await (await fixture.Other.PostJsonAsync("labels", """{"label":{"key":"other-workspace","value":"only"}}""")).ReadDataAsync(201);
        var id = (await Api.CreateSourceAsync("cross-label")).GetProperty("id").GetString();

        var labels = (await (await Api.GetAsync("labels")).ReadDataAsync()).GetProperty("labels");
        await (await Api.PostJsonAsync($"sources/{id}/labels", """{"labels":[{"key":"other-workspace","value":"only"}]}""")).ReadErrorAsync(422);
        await (await Api.DeleteAsync("labels/other-workspace/only")).ReadErrorAsync(404);

        Assert.DoesNotContain("other-workspace:only", Pairs(labels));
    }

    private static List<string> Pairs(JsonElement labels) =>
        labels.EnumerateArray().Select(l => l.GetProperty("key").GetString() + ":" + l.GetProperty("value").GetString()).ToList();
}
