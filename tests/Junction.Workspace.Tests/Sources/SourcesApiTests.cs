using System.Net;
using System.Text.Json;
using Junction.Testing;
using Junction.Workspace.Tests.PublicApi;

namespace Junction.Workspace.Tests.Sources;

public sealed class SourcesApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private HttpClient Api => fixture.Api;

    [Fact]
    public async Task WhenASourceIsCreatedTheAnswerIs201WithTheSourceInSegmentsShape()
    {
        var response = await Api.PostJsonAsync("sources", """{"slug":"my-website","enabled":true,"metadataId":"IqDTy1TpoU","settings":{}}""");

        var source = (await response.ReadDataAsync(201)).GetProperty("source");
        Assert.StartsWith("src_", source.GetProperty("id").GetString());
        Assert.Equal("my-website", source.GetProperty("slug").GetString());
        Assert.Equal("My Website", source.GetProperty("name").GetString());
        Assert.True(source.GetProperty("enabled").GetBoolean());
        Assert.StartsWith("ws_", source.GetProperty("workspaceId").GetString());
        var writeKey = Assert.Single(source.GetProperty("writeKeys").Strings());
        Assert.Matches("^[0-9A-Za-z]{32}$", writeKey);
        Assert.Equal(JsonValueKind.Object, source.GetProperty("settings").ValueKind);
        Assert.Equal(0, source.GetProperty("labels").GetArrayLength());

        var metadata = source.GetProperty("metadata");
        Assert.Equal("IqDTy1TpoU", metadata.GetProperty("id").GetString());
        Assert.Equal("javascript", metadata.GetProperty("slug").GetString());
        Assert.Equal(["Website"], metadata.GetProperty("categories").Strings());
        Assert.False(metadata.GetProperty("isCloudEventSource").GetBoolean());
        Assert.Equal(0, metadata.GetProperty("options").GetArrayLength());
        Assert.Equal(
            new Uri(fixture.Server.BaseAddress, "catalog/logos/javascript.svg").ToString(),
            metadata.GetProperty("logos").GetProperty("default").GetString());
    }

    [Fact]
    public async Task WhenASourceIsReadItComesWithANullTrackingPlanId()
    {
        var created = await Api.CreateSourceAsync("read-me", metadataId: "XRksQPCr7X");

        var data = await (await Api.GetAsync("sources/" + created.GetProperty("id").GetString())).ReadDataAsync();

        Assert.Equal(JsonValueKind.Null, data.GetProperty("trackingPlanId").ValueKind);
        Assert.Equal(created.GetProperty("writeKeys")[0].GetString(), data.GetProperty("source").GetProperty("writeKeys")[0].GetString());
        Assert.Equal("python", data.GetProperty("source").GetProperty("metadata").GetProperty("slug").GetString());
    }

    [Fact]
    public async Task WhenEnabledIsLeftOutTheSourceIsEnabled()
    {
        var response = await Api.PostJsonAsync("sources", """{"slug":"no-enabled-flag","metadataId":"iUM16Md8P2"}""");

        Assert.True((await response.ReadDataAsync(201)).GetProperty("source").GetProperty("enabled").GetBoolean());
    }

    [Theory]
    [InlineData("Upper-Case")]
    [InlineData("has space")]
    [InlineData("-leading-dash")]
    [InlineData("trailing-dash-")]
    [InlineData("under_score")]
    [InlineData("")]
    public async Task WhenTheSlugIsNotLowerCaseLettersDigitsAndDashesTheAnswerIs422NamingTheSlug(string slug)
    {
        var response = await Api.PostJsonAsync("sources", $$"""{"slug":"{{slug}}","enabled":true,"metadataId":"IqDTy1TpoU"}""");

        var error = await response.ReadErrorAsync(422);
        Assert.Equal("slug", error.GetProperty("field").GetString());
        Assert.Contains("lower-case letters, digits and dashes", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenTheSlugIsLongerThan100CharactersTheAnswerIs422()
    {
        var response = await Api.PostJsonAsync("sources", $$"""{"slug":"{{new string('a', 101)}}","enabled":true,"metadataId":"IqDTy1TpoU"}""");

        Assert.Equal("slug", (await response.ReadErrorAsync(422)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task WhenANameIsGivenOnCreateItIsKeptAndABlankNameIsRefused()
    {
        var named = await Api.PostJsonAsync("sources", """{"slug":"named-on-create","enabled":true,"metadataId":"IqDTy1TpoU","name":"Shop front"}""");
        var id = (await named.ReadDataAsync(201)).GetProperty("source").GetProperty("id").GetString();

        var blank = await Api.PatchJsonAsync("sources/" + id, """{"name":"   "}""");

        Assert.Equal("name", (await blank.ReadErrorAsync(422)).GetProperty("field").GetString());
        var read = (await (await Api.GetAsync("sources/" + id)).ReadDataAsync()).GetProperty("source");
        Assert.Equal("Shop front", read.GetProperty("name").GetString());
    }

    [Fact]
    public async Task WhenTheSlugIsTakenInTheWorkspaceTheAnswerIs409NamingTheSlug()
    {
        await Api.CreateSourceAsync("taken");

        var response = await Api.PostJsonAsync("sources", """{"slug":"taken","enabled":true,"metadataId":"U9mT0bPcI6"}""");

        var error = await response.ReadErrorAsync(409);
        Assert.Equal("slug", error.GetProperty("field").GetString());
        Assert.Contains("\"taken\"", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenTheMetadataIdIsNotInTheCatalogTheAnswerIs422NamingIt()
    {
        var response = await Api.PostJsonAsync("sources", """{"slug":"unknown-kind","enabled":true,"metadataId":"nope"}""");

        Assert.Equal("metadataId", (await response.ReadErrorAsync(422)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task WhenFieldsAreMissingOrWronglyTypedEveryOneIsNamedIn422()
    {
        var response = await Api.PostJsonAsync("sources", """{"enabled":"yes","metadataId":42,"settings":[]}""");

        var body = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var fields = body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
        Assert.Equal(["slug", "metadataId", "enabled", "settings"], fields);
        Assert.Contains(
            "metadataId must be a string, not a number.",
            body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData("{\"slug\":")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("")]
    public async Task WhenTheBodyIsNotAJsonObjectTheAnswerIs400InTheErrorEnvelope(string body)
    {
        var response = await Api.PostJsonAsync("sources", body);

        var error = await response.ReadErrorAsync(400);
        Assert.Equal("bad-request", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task WhenTheBodyIsSentAsPlainTextItIsStillReadAsJson()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "sources")
        {
            Content = new StringContent("""{"slug":"text-plain","enabled":true,"metadataId":"IqDTy1TpoU"}""", System.Text.Encoding.UTF8, "text/plain"),
        };

        var response = await Api.SendAsync(request);

        await response.ReadDataAsync(201);
    }

    [Fact]
    public async Task WhenASourceIsPatchedOnlyTheGivenFieldsChange()
    {
        var created = await Api.CreateSourceAsync("patch-me");
        var id = created.GetProperty("id").GetString();

        var renamed = (await (await Api.PatchJsonAsync("sources/" + id, """{"name":"Marketing site"}""")).ReadDataAsync()).GetProperty("source");
        Assert.Equal("Marketing site", renamed.GetProperty("name").GetString());
        Assert.Equal("patch-me", renamed.GetProperty("slug").GetString());
        Assert.True(renamed.GetProperty("enabled").GetBoolean());

        var changed = (await (await Api.PatchJsonAsync("sources/" + id, """{"enabled":false,"slug":"patched"}""")).ReadDataAsync()).GetProperty("source");
        Assert.Equal("Marketing site", changed.GetProperty("name").GetString());
        Assert.Equal("patched", changed.GetProperty("slug").GetString());
        Assert.False(changed.GetProperty("enabled").GetBoolean());
        Assert.Equal(created.GetProperty("writeKeys")[0].GetString(), changed.GetProperty("writeKeys")[0].GetString());

        var read = (await (await Api.GetAsync("sources/" + id)).ReadDataAsync()).GetProperty("source");
        Assert.Equal("patched", read.GetProperty("slug").GetString());
        Assert.False(read.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task WhenSettingsArePatchedTheyAreMergedAndNullRemovesAKey()
    {
        var response = await Api.PostJsonAsync("sources", """{"slug":"with-settings","enabled":true,"metadataId":"IqDTy1TpoU","settings":{"a":1,"b":{"c":true}}}""");
        var id = (await response.ReadDataAsync(201)).GetProperty("source").GetProperty("id").GetString();

        var patched = await Api.PatchJsonAsync("sources/" + id, """{"settings":{"a":null,"d":"new"}}""");

        var settings = (await patched.ReadDataAsync()).GetProperty("source").GetProperty("settings");
        Assert.Equal("""{"b":{"c":true},"d":"new"}""", settings.GetRawText());
    }

    [Fact]
    public async Task WhenAPatchRenamesToATakenSlugTheAnswerIs409AndNothingChanges()
    {
        await Api.CreateSourceAsync("first-of-two");
        var second = await Api.CreateSourceAsync("second-of-two");
        var id = second.GetProperty("id").GetString();

        var response = await Api.PatchJsonAsync("sources/" + id, """{"slug":"first-of-two","name":"Renamed"}""");

        Assert.Equal("slug", (await response.ReadErrorAsync(409)).GetProperty("field").GetString());
        var read = (await (await Api.GetAsync("sources/" + id)).ReadDataAsync()).GetProperty("source");
        Assert.Equal("second-of-two", read.GetProperty("slug").GetString());
        Assert.Equal("Second Of Two", read.GetProperty("name").GetString());
    }

    [Fact]
    public async Task WhenAPatchGivesAWronglyTypedFieldTheAnswerIs422NamingIt()
    {
        var id = (await Api.CreateSourceAsync("typed-patch")).GetProperty("id").GetString();

        var response = await Api.PatchJsonAsync("sources/" + id, """{"enabled":"false"}""");

        var error = await response.ReadErrorAsync(422);
        Assert.Equal("enabled", error.GetProperty("field").GetString());
        Assert.Equal("enabled must be true or false, not a string.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task WhenASourceIsDeletedItIsGoneAndTheAnswerIsSuccess()
    {
        var id = (await Api.CreateSourceAsync("delete-me")).GetProperty("id").GetString();

        var deleted = await (await Api.DeleteAsync("sources/" + id)).ReadDataAsync();

        Assert.Equal("SUCCESS", deleted.GetProperty("status").GetString());
        Assert.Equal("not-found", (await (await Api.GetAsync("sources/" + id)).ReadErrorAsync(404)).GetProperty("type").GetString());
        await (await Api.DeleteAsync("sources/" + id)).ReadErrorAsync(404);
    }

    [Fact]
    public async Task WhenAWriteKeyIsAddedTheSourceHasBothKeysOldestFirst()
    {
        var created = await Api.CreateSourceAsync("two-keys");
        var id = created.GetProperty("id").GetString();
        var first = created.GetProperty("writeKeys")[0].GetString();

        var response = await Api.PostAsync($"sources/{id}/writekey", content: null);

        var keys = (await response.ReadDataAsync()).GetProperty("source").GetProperty("writeKeys").Strings().ToList();
        Assert.Equal(2, keys.Count);
        Assert.Equal(first, keys[0]);
        Assert.Matches("^[0-9A-Za-z]{32}$", keys[1]);
    }

    [Fact]
    public async Task WhenAWriteKeyIsRemovedTheOtherKeysStay()
    {
        var created = await Api.CreateSourceAsync("rotate-keys");
        var id = created.GetProperty("id").GetString();
        var old = created.GetProperty("writeKeys")[0].GetString();
        var added = (await (await Api.PostAsync($"sources/{id}/writekey", null)).ReadDataAsync()).GetProperty("source").GetProperty("writeKeys")[1].GetString();

        var removed = await (await Api.DeleteAsync($"sources/{id}/writekey/{old}")).ReadDataAsync();

        Assert.Equal("SUCCESS", removed.GetProperty("status").GetString());
        var keys = (await (await Api.GetAsync("sources/" + id)).ReadDataAsync()).GetProperty("source").GetProperty("writeKeys").Strings();
        Assert.Equal([added], keys);
    }

    [Fact]
    public async Task WhenTheLastWriteKeyWouldBeRemovedTheAnswerIs422AndTheKeyStays()
    {
        var created = await Api.CreateSourceAsync("one-key");
        var id = created.GetProperty("id").GetString();
        var only = created.GetProperty("writeKeys")[0].GetString();

        var response = await Api.DeleteAsync($"sources/{id}/writekey/{only}");

        var error = await response.ReadErrorAsync(422);
        Assert.Equal("writeKey", error.GetProperty("field").GetString());
        Assert.Contains("at least one", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var keys = (await (await Api.GetAsync("sources/" + id)).ReadDataAsync()).GetProperty("source").GetProperty("writeKeys").Strings();
        Assert.Equal([only], keys);
    }

    [Theory]
    [InlineData("GET", "sources/src_doesnotexist")]
    [InlineData("PATCH", "sources/src_doesnotexist")]
    [InlineData("DELETE", "sources/src_doesnotexist")]
    [InlineData("POST", "sources/src_doesnotexist/writekey")]
    [InlineData("DELETE", "sources/src_doesnotexist/writekey/abc")]
    public async Task WhenTheSourceDoesNotExistTheAnswerIs404InTheErrorEnvelope(string method, string path)
    {
        var response = await Api.SendJsonAsync(new HttpMethod(method), path, "{}");

        var error = await response.ReadErrorAsync(404);
        Assert.Equal("not-found", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task WhenTheWriteKeyIsNotTheSourcesTheAnswerIs404()
    {
        var id = (await Api.CreateSourceAsync("other-key")).GetProperty("id").GetString();
        await Api.PostAsync($"sources/{id}/writekey", null);

        var response = await Api.DeleteAsync($"sources/{id}/writekey/notakeyofthissource");

        Assert.Contains("Write key", (await response.ReadErrorAsync(404)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
