using Junction.Testing;
namespace Junction.Workspace.Tests.PublicApi;

public sealed class AuthenticationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("")]
    [InlineData("sources")]
    [InlineData("catalog/sources")]
    [InlineData("sources/src_anything")]
    public async Task WhenNoTokenIsSentTheAnswerIs401InTheErrorEnvelope(string path)
    {
        using var anonymous = fixture.Server.ClientWithToken(null);

        var error = await (await anonymous.GetAsync(path)).ReadErrorAsync(401);

        Assert.Equal("unauthorized", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task WhenAnUnknownTokenIsSentTheAnswerIs401()
    {
        using var stranger = fixture.Server.ClientWithToken("jct_notarealtoken");

        await (await stranger.GetAsync("sources")).ReadErrorAsync(401);
        await (await stranger.PostJsonAsync("sources", """{"slug":"sneaky","enabled":true,"metadataId":"IqDTy1TpoU"}""")).ReadErrorAsync(401);
    }

    [Fact]
    public async Task WhenTheRouteDoesNotExistTheAnswerIs404InTheErrorEnvelope()
    {
        var error = await (await fixture.Api.GetAsync("no/such/route")).ReadErrorAsync(404);

        Assert.Equal("not-found", error.GetProperty("type").GetString());
    }
}
