using Junction.Testing;
using Microsoft.AspNetCore.Hosting;

namespace Junction.Workspace.Tests.Accounts;

public sealed class SessionCookieTests
{
    [Fact]
    public async Task OverHttpTheSessionCookieIsHttpOnlyLaxAndLastsSevenDays()
    {
        await using var server = await JunctionTestServer.StartAsync();
        await AccountSteps.CreateOwnerAsync(server);
        using var browser = new Browser(server.BaseAddress);

        var cookie = await SessionCookieAsync(browser);

        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie.Replace("junction.session", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        var expires = DateTimeOffset.Parse(
            cookie.Split(';').Select(p => p.Trim()).First(p => p.StartsWith("expires=", StringComparison.OrdinalIgnoreCase))[8..],
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromDays(7) - TimeSpan.FromMinutes(5), TimeSpan.FromDays(7) + TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task OverHttpsTheSessionCookieIsSecure()
    {
        using var certificate = SelfSignedCertificate.Create();
        await using var server = await JunctionTestServer.StartAsync(
            url: "https://127.0.0.1:0",
            configure: b => b.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(tls => tls.ServerCertificate = certificate)));
        await AccountSteps.CreateOwnerAsync(server);
        using var browser = new Browser(server.BaseAddress, SelfSignedCertificate.TrustingHandler(certificate));

        var cookie = await SessionCookieAsync(browser);

        Assert.Equal("https", server.BaseAddress.Scheme);
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<string> SessionCookieAsync(Browser browser)
    {
        await browser.OpenAsync("/sign-in");
        using var response = await browser.PostFormAsync("sign-in", new Dictionary<string, string>
        {
            ["Input.Email"] = AccountSteps.OwnerEmail,
            ["Input.Password"] = AccountSteps.Password,
        });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("junction.session=", StringComparison.Ordinal));
    }
}
