using Junction.Testing;
using Junction.Workspace.Secrets;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Workspace.Tests.Secrets;

public sealed class SecretProtectorTests
{
    private const string Secret = "sk_live_0123456789abcdefWXYZ";

    [Fact]
    public async Task AProtectedValueRoundTripsAndNeverContainsTheSecret()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var protector = server.Services.GetRequiredService<SecretProtector>();

        var stored = protector.Protect(Secret);

        Assert.DoesNotContain(Secret, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789", stored, StringComparison.Ordinal);
        Assert.NotEqual(stored, protector.Protect(Secret));
        Assert.Equal(Secret, protector.Unprotect(stored));
    }

    [Fact]
    public async Task AProtectedValueIsReadAfterARestartOnTheSameDataDirectory()
    {
        using var data = new TempDirectory();
        string stored;
        await using (var first = await JunctionTestServer.StartAsync(data.Path))
        {
            stored = first.Services.GetRequiredService<SecretProtector>().Protect(Secret);
        }

        await using var second = await JunctionTestServer.StartAsync(data.Path);

        Assert.Equal(Secret, second.Services.GetRequiredService<SecretProtector>().Unprotect(stored));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(data.Path, "keys"), "*.xml"));
    }

    [Fact]
    public async Task AConfiguredKeyRingPathHoldsTheKeysAndAnotherKeyRingCannotRead()
    {
        using var keys = new TempDirectory();
        string stored;
        await using (var server = await JunctionTestServer.StartAsync(settings: [("Secrets:KeyRingPath", keys.Path)]))
        {
            stored = server.Services.GetRequiredService<SecretProtector>().Protect(Secret);
            Assert.False(Directory.Exists(Path.Combine(server.DataDirectory, "keys")) && Directory.GetFiles(Path.Combine(server.DataDirectory, "keys")).Length > 0);
        }

        Assert.NotEmpty(Directory.GetFiles(keys.Path, "*.xml"));
        await using var stranger = await JunctionTestServer.StartAsync();
        Assert.Null(stranger.Services.GetRequiredService<SecretProtector>().Unprotect(stored));
        Assert.Null(stranger.Services.GetRequiredService<SecretProtector>().Unprotect("not a protected value"));
    }

    [Theory]
    [InlineData("sk_live_0123456789abcdefWXYZ", "••••WXYZ")]
    [InlineData("short", "••••")]
    [InlineData("elevenchars", "••••")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void AMaskShowsAtMostTheLastFourCharactersOfALongSecret(string? secret, string masked) =>
        Assert.Equal(masked, SecretProtector.Mask(secret));
}
