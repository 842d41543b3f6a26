using System.Net;
using Junction.Testing;
using Junction.Workspace.Tests.PublicApi;

namespace Junction.Workspace.Tests.Sources;

/// <summary>Changes made through the Public API reach the Tracking API at once, without waiting for a reload.</summary>
public sealed class TrackingSeesSourceChangesTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Track = """{"userId":"u-1","event":"Signed Up"}""";

    [Fact]
    public async Task WhenASourceIsCreatedItsWriteKeyIsAcceptedAtOnce()
    {
        var key = (await fixture.Api.CreateSourceAsync("tracked-at-once")).GetProperty("writeKeys")[0].GetString();

        var response = await fixture.Server.PostTrackingAsync("v1/track", Track, key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task WhenAWriteKeyIsRemovedEventsWithItAreRefusedAndTheNewKeyWorks()
    {
        var created = await fixture.Api.CreateSourceAsync("rotated-for-tracking");
        var id = created.GetProperty("id").GetString();
        var old = created.GetProperty("writeKeys")[0].GetString();
        var added = (await (await fixture.Api.PostAsync($"sources/{id}/writekey", null)).ReadDataAsync())
            .GetProperty("source").GetProperty("writeKeys")[1].GetString();

        await (await fixture.Api.DeleteAsync($"sources/{id}/writekey/{old}")).ReadDataAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Server.PostTrackingAsync("v1/track", Track, old)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Server.PostTrackingAsync("v1/track", Track, added)).StatusCode);
    }

    [Fact]
    public async Task WhenASourceIsDisabledOrDeletedItsEventsAreRefused()
    {
        var created = await fixture.Api.CreateSourceAsync("switched-off");
        var id = created.GetProperty("id").GetString();
        var key = created.GetProperty("writeKeys")[0].GetString();

        await (await fixture.Api.PatchJsonAsync("sources/" + id, """{"enabled":false}""")).ReadDataAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Server.PostTrackingAsync("v1/track", Track, key)).StatusCode);

        await (await fixture.Api.DeleteAsync("sources/" + id)).ReadDataAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Server.PostTrackingAsync("v1/track", Track, key)).StatusCode);
    }
}
