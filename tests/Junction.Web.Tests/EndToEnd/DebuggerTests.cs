using System.Net;
using System.Text.Json;
using Junction.Testing;
using Junction.Workspace;
using Junction.Workspace.Data;
using Junction.Workspace.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Junction.Web.Tests.EndToEnd;

/// <summary>
/// The source debugger in Chromium: a page with the snippet from the Setup tab shows its calls live, in the Pretty and
/// Raw views; a rejected call shows its reason; Pause holds the list while the events wait, and Resume shows them; a
/// source of another workspace cannot be opened.
/// </summary>
public sealed class DebuggerTests
{
    private const float Patience = 45_000;

    // Wide enough for the Raw view's two columns side by side.
    private const int Width = 1600;
    private const int Height = 900;

    [Fact]
    public async Task APageWithTheSnippetFromSetupShowsItsPageCallLiveInPrettyAndRaw()
    {
        await using var app = await AppSession.StartAsync();
        await app.Page.SetViewportSizeAsync(Width, Height);
        var (sourceId, _) = await app.Server.CreateSourceAsync("website");

        await app.GoAsync($"/w/{app.WorkspaceSlug}/sources/{sourceId}/setup");
        var snippet = await app.Page.Locator("[data-test=snippet] pre").InnerTextAsync();
        await app.ScreenshotAsync("debugger-seed-setup");

        await app.GoAsync($"/w/{app.WorkspaceSlug}/sources/{sourceId}/debugger");
        await app.Page.Locator("[data-test=debugger-empty]").WaitForAsync();
        await app.ScreenshotAsync("debugger-waiting");

        // The visitor's tab loads a page of another origin with the snippet; the debugger tab is not reloaded.
        await using var site = await CustomerSite.StartAsync(DebuggerTestPage.DocsPage(snippet));
        var visitor = await app.Chromium.NewPageAsync();
        await visitor.GotoAsync(new Uri(site.BaseAddress, "docs/install?ref=debugger").ToString());

        var pageRow = app.Page.Locator("[data-test=debugger-row][data-type=page]");
        await pageRow.WaitForAsync(new LocatorWaitForOptions { Timeout = Patience });
        await visitor.ClickAsync("#subscribe");
        var trackRow = app.Page.Locator("[data-test=debugger-row][data-type=track]");
        await trackRow.WaitForAsync(new LocatorWaitForOptions { Timeout = Patience });
        Assert.Contains("Newsletter Subscribed", await trackRow.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("accepted", await pageRow.GetAttributeAsync("data-status"));
        await app.ScreenshotAsync("debugger-list");

        await pageRow.ClickAsync();
        var pretty = await app.Page.Locator("[data-test=pretty-call] pre").InnerTextAsync();
        Assert.StartsWith("analytics.page({", pretty, StringComparison.Ordinal);
        Assert.Contains("path: \"/docs/install\"", pretty, StringComparison.Ordinal);
        Assert.Contains("search: \"?ref=debugger\"", pretty, StringComparison.Ordinal);
        Assert.Contains("title: \"Install - Junction debugger test\"", pretty, StringComparison.Ordinal);
        Assert.Contains($"url: \"{new Uri(site.BaseAddress, "docs/install?ref=debugger")}\"", pretty, StringComparison.Ordinal);
        await app.ScreenshotAsync("debugger-pretty");

        await app.Page.ClickAsync("[data-test=view-raw]");
        using var received = JsonDocument.Parse(await app.Page.Locator("[data-test=raw-received] pre").InnerTextAsync());
        using var normalized = JsonDocument.Parse(await app.Page.Locator("[data-test=raw-normalized] pre").InnerTextAsync());
        var messageId = received.RootElement.GetProperty("messageId").GetString();
        Assert.StartsWith("ajs-", messageId, StringComparison.Ordinal);
        Assert.Equal("page", received.RootElement.GetProperty("type").GetString());
        Assert.Equal("analytics.js", received.RootElement.GetProperty("context").GetProperty("library").GetProperty("name").GetString());
        Assert.Equal(messageId, normalized.RootElement.GetProperty("messageId").GetString());
        Assert.Equal(sourceId, normalized.RootElement.GetProperty("projectId").GetString());
        Assert.True(normalized.RootElement.TryGetProperty("receivedAt", out _), "the normalized event has its receivedAt");
        Assert.False(string.IsNullOrEmpty(normalized.RootElement.GetProperty("context").GetProperty("ip").GetString()), "context.ip is filled in");
        await app.ScreenshotAsync("debugger-raw");
    }

    [Fact]
    public async Task ARejectedTrackShowsItsReasonAndPauseHoldsTheListUntilResume()
    {
        await using var app = await AppSession.StartAsync();
        await app.Page.SetViewportSizeAsync(Width, Height);
        var (sourceId, writeKey) = await app.Server.CreateSourceAsync("backend");
        await app.GoAsync($"/w/{app.WorkspaceSlug}/sources/{sourceId}/debugger");
        await app.Page.Locator("[data-test=debugger-live]").WaitForAsync();

        using var refused = await app.Server.PostTrackingAsync("/v1/track", """{"userId":"user-1","properties":{"plan":"pro"}}""", writeKey);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var rejected = app.Page.Locator("[data-test=debugger-row][data-status=rejected]");
        await rejected.WaitForAsync(new LocatorWaitForOptions { Timeout = Patience });
        Assert.Contains("Rejected · event_not_defined", await rejected.InnerTextAsync(), StringComparison.Ordinal);
        await rejected.ClickAsync();
        var reason = await app.Page.Locator("[data-test=debugger-reason]").InnerTextAsync();
        Assert.Contains("event_not_defined", reason, StringComparison.Ordinal);
        Assert.Contains("A track call needs an \"event\" name", reason, StringComparison.Ordinal);
        Assert.Contains("Field: event", reason, StringComparison.Ordinal);
        Assert.Equal(
            """analytics.track({ userId: "user-1", properties: { plan: "pro" } })""",
            await app.Page.Locator("[data-test=pretty-call] pre").InnerTextAsync());
        await app.Page.ClickAsync("[data-test=view-raw]");
        Assert.Contains("Not stored", await app.Page.Locator("[data-test=raw-not-stored]").InnerTextAsync(), StringComparison.Ordinal);
        await app.ScreenshotAsync("debugger-rejected");

        await app.Page.ClickAsync("[data-test=debugger-pause]");
        await app.Page.Locator("[data-test=debugger-resume]").WaitForAsync();
        foreach (var name in new[] { "Order Completed", "Invoice Paid", "Seat Added" })
        {
            using var accepted = await app.Server.PostTrackingAsync("/v1/track", $$"""{"userId":"user-1","event":"{{name}}"}""", writeKey);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        await app.Page.GetByText("3 new events waiting").WaitForAsync(new LocatorWaitForOptions { Timeout = Patience });
        Assert.Equal(1, await app.Page.Locator("[data-test=debugger-row]").CountAsync());
        await app.ScreenshotAsync("debugger-paused");

        await app.Page.ClickAsync("[data-test=debugger-resume]");
        await app.Page.Locator("[data-test=debugger-live]").WaitForAsync();
        var rows = app.Page.Locator("[data-test=debugger-row]");
        Assert.Equal(4, await rows.CountAsync());
        Assert.Contains("Seat Added", await rows.First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("rejected", await rows.Last.GetAttributeAsync("data-status"));
        await app.ScreenshotAsync("debugger-resumed");
    }

    [Fact]
    public async Task ASourceOfAnotherWorkspaceCannotBeOpenedInTheDebugger()
    {
        await using var app = await AppSession.StartAsync();
        var (theirSourceId, theirWriteKey) = await CreateSourceInAnotherWorkspaceAsync(app.Server);
        using var sent = await app.Server.PostTrackingAsync("/v1/track", """{"userId":"someone","event":"Their Private Event"}""", theirWriteKey);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);

        await app.GoAsync($"/w/{app.WorkspaceSlug}/sources/{theirSourceId}/debugger");

        Assert.Equal("Source not found", await app.Page.Locator("h1").InnerTextAsync());
        Assert.Equal(0, await app.Page.Locator("[data-test=debugger-row]").CountAsync());
        Assert.DoesNotContain("Their Private Event", await app.Page.ContentAsync(), StringComparison.Ordinal);
        await app.ScreenshotAsync("debugger-other-workspace");
    }

    private static async Task<(string SourceId, string WriteKey)> CreateSourceInAnotherWorkspaceAsync(JunctionTestServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var workspace = new WorkspaceEntity { Id = Ids.New("ws"), Name = "Someone Else", Slug = "someone-else", CreatedAt = DateTimeOffset.UtcNow };
        var source = new SourceEntity
        {
            Id = Ids.New("src"),
            WorkspaceId = workspace.Id,
            Slug = "their-site",
            Name = "Their site",
            CatalogId = "IqDTy1TpoU",
            CreatedAt = DateTimeOffset.UtcNow,
        };
        var writeKey = Ids.Random(32);
        source.WriteKeys.Add(new WriteKeyEntity { Key = writeKey, SourceId = source.Id, CreatedAt = DateTimeOffset.UtcNow });
        db.Workspaces.Add(workspace);
        db.Sources.Add(source);
        await db.SaveChangesAsync();
        await server.Services.GetRequiredService<SourceDirectory>().RefreshAsync(CancellationToken.None);
        return (source.Id, writeKey);
    }
}
