using System.Net;
using System.Reflection;
using Junction.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace Junction.Web.Tests.Security;

/// <summary>
/// Every page of the app, found by reflection so that new pages are covered without anyone remembering to: each one
/// either is one of the few account pages a stranger needs (sign in, set up, reset, accept an invite) or demands a
/// signed-in user, and an anonymous request to it is sent to sign-in.
/// </summary>
public sealed class PageAccessTests
{
    private static readonly HashSet<string> AnonymousPages = new(StringComparer.Ordinal)
    {
        "/sign-in", "/setup", "/forgot-password", "/reset-password", "/invite/accept",
    };

    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        foreach (var template in PageTypes().SelectMany(t => t.GetCustomAttributes<RouteAttribute>()).Select(r => r.Template).Distinct())
        {
            data.Add(template);
        }

        return data;
    }

    [Fact]
    public void EveryPageIsAnAccountPageOrRequiresASignedInUser()
    {
        var open = PageTypes()
            .Where(t => t.GetCustomAttribute<AuthorizeAttribute>() is null)
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
            .Select(r => r.Template)
            .Where(template => !AnonymousPages.Contains(template))
            .ToList();

        Assert.True(open.Count == 0, "Pages without [Authorize]: " + string.Join(", ", open));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task AnAnonymousRequestToAPageThatNeedsSignInIsRedirectedToSignIn(string template)
    {
        if (AnonymousPages.Contains(template))
        {
            return;
        }

        await using var server = await JunctionTestServer.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        var path = Fill(template);

        var response = await http.GetAsync(path.TrimStart('/'));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/sign-in", response.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    private static IEnumerable<Type> PageTypes() =>
        typeof(Junction.Web.Routes).Assembly.GetTypes().Where(t => t.GetCustomAttributes<RouteAttribute>().Any());

    /// <summary>A concrete address for a route template: every parameter gets a plausible value.</summary>
    private static string Fill(string template) =>
        System.Text.RegularExpressions.Regex.Replace(template, "{([^}:?]+)[^}]*}", m => m.Groups[1].Value.ToLowerInvariant() switch
        {
            "workspaceslug" => "my-workspace",
            var other => "x-" + other,
        });
}
