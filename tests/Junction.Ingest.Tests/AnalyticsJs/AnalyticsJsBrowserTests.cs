using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Junction.Ingest.AnalyticsJs;
using Junction.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;

namespace Junction.Ingest.Tests.AnalyticsJs;

/// <summary>
/// The proof that a web site can use Junction instead of Segment's CDN: a page on another origin pastes the snippet
/// from <see cref="AnalyticsJsSnippet"/>, headless Chromium runs the unmodified analytics.js that Junction serves,
/// and the page, identify and track calls arrive in the source debugger, accepted and normalized.
/// </summary>
public sealed class AnalyticsJsBrowserTests
{
    private const string LoadFailure = "Failed to load Analytics.js";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public Task TheSnippetLoadsAnalyticsJsFromJunctionAndDeliversEventsOverHttp() => RunAsync(https: false);

    [Fact]
    public Task TheSnippetLoadsAnalyticsJsFromJunctionAndDeliversEventsOverHttps() => RunAsync(https: true);

    // Over https both the page and Junction are https (a browser refuses http scripts and requests on an https page),
    // so the library, its settings and every event travel over TLS.
    private static async Task RunAsync(bool https)
    {
        var cancel = TestContext.Current.CancellationToken;
        using var certificate = https ? SelfSignedCertificate.Create() : null;
        await using var junction = await JunctionTestServer.StartAsync(
            url: https ? "https://127.0.0.1:0" : "http://127.0.0.1:0",
            configure: certificate is null
                ? null
                : builder => builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(tls => tls.ServerCertificate = certificate)));
        var (sourceId, writeKey) = await junction.CreateSourceAsync("website");
        var junctionBase = junction.BaseAddress.GetLeftPart(UriPartial.Authority);
        Assert.StartsWith(https ? "https://127.0.0.1:" : "http://127.0.0.1:", junctionBase, StringComparison.Ordinal);

        await using var site = await CustomerSite.StartAsync(TestPage.Checkout(AnalyticsJsSnippet.Render(writeKey, junctionBase)), certificate);
        var pageUrl = new Uri(site.BaseAddress, "checkout?coupon=spring");
        Assert.NotEqual(new Uri(junctionBase).GetLeftPart(UriPartial.Authority), pageUrl.GetLeftPart(UriPartial.Authority));

        await using var chromium = await Chromium.LaunchAsync(ignoreCertificateErrors: https);
        var tab = await chromium.NewPageAsync();
        var console = new ConcurrentQueue<string>();
        var junctionRequests = new ConcurrentQueue<string>();
        tab.Console += (_, message) => console.Enqueue($"{message.Type}: {message.Text}");
        tab.PageError += (_, error) => console.Enqueue($"page error: {error}");
        tab.RequestFailed += (_, request) => console.Enqueue($"request failed: {request.Method} {request.Url} {request.Failure}");
        tab.Response += (_, response) =>
        {
            if (response.Url.StartsWith(junctionBase, StringComparison.Ordinal))
            {
                junctionRequests.Enqueue($"{response.Request.Method} {new Uri(response.Url).AbsolutePath} {response.Status}");
            }
        };

        await tab.GotoAsync(pageUrl.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        using var api = await ApiClientAsync(junction, certificate);
        IReadOnlyList<JsonElement> events = [];
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                if (console.Any(line => line.Contains(LoadFailure, StringComparison.Ordinal)))
                {
                    throw new InvalidOperationException("analytics.js did not start.");
                }

                events = await DebuggerEventsAsync(api, sourceId, cancel);
                return new[] { "page", "identify", "track" }.All(type => events.Any(e => e.GetProperty("type").GetString() == type));
            }, Patience, "the page, identify and track calls in the debugger");
            await tab.GetByText("is ready.").WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or PlaywrightException)
        {
            await SaveScreenshotAsync(tab, https ? "analytics-js-https-failed.png" : "analytics-js-http-failed.png");
            throw new Xunit.Sdk.XunitException(
                $"{ex.Message}\nRequests to Junction:\n  {string.Join("\n  ", junctionRequests)}\nBrowser console:\n  {string.Join("\n  ", console)}");
        }

        await SaveScreenshotAsync(tab, https ? "analytics-js-https.png" : "analytics-js-http.png");

        // The library and its settings came from Junction, not from a CDN, and the events went to Junction's one-letter
        // browser paths, cross-origin and with the scheme of junctionBase.
        Assert.Contains($"GET /analytics.js/v1/{writeKey}/analytics.min.js 200", junctionRequests);
        Assert.Contains($"GET /v1/projects/{writeKey}/settings 200", junctionRequests);
        Assert.Contains("POST /v1/p 200", junctionRequests);
        Assert.Contains("POST /v1/i 200", junctionRequests);
        Assert.Contains("POST /v1/t 200", junctionRequests);

        Assert.All(events, e => Assert.Equal("accepted", e.GetProperty("status").GetString()));
        foreach (var e in events)
        {
            var normalized = e.GetProperty("event");
            var context = normalized.GetProperty("context");
            Assert.StartsWith("ajs-", normalized.GetProperty("messageId").GetString(), StringComparison.Ordinal);
            Assert.Equal(e.GetProperty("messageId").GetString(), normalized.GetProperty("messageId").GetString());
            Assert.Equal("analytics.js", context.GetProperty("library").GetProperty("name").GetString());
            Assert.Equal("next-1.84.3", context.GetProperty("library").GetProperty("version").GetString());
            Assert.Equal(pageUrl.ToString(), context.GetProperty("page").GetProperty("url").GetString());
            Assert.Equal("/checkout", context.GetProperty("page").GetProperty("path").GetString());
            Assert.False(string.IsNullOrEmpty(context.GetProperty("ip").GetString()), "context.ip is filled from the connection");
            Assert.Equal(sourceId, normalized.GetProperty("projectId").GetString());
            Assert.Equal(writeKey, e.GetProperty("raw").GetProperty("writeKey").GetString());
            Assert.False(string.IsNullOrEmpty(normalized.GetProperty("anonymousId").GetString()));
        }

        var page = events.First(e => e.GetProperty("type").GetString() == "page").GetProperty("event");
        Assert.Equal("Checkout - Junction analytics.js test", page.GetProperty("properties").GetProperty("title").GetString());

        var identify = events.First(e => e.GetProperty("type").GetString() == "identify").GetProperty("event");
        Assert.Equal("user-1", identify.GetProperty("userId").GetString());
        Assert.Equal("ada@example.com", identify.GetProperty("traits").GetProperty("email").GetString());

        var track = events.First(e => e.GetProperty("type").GetString() == "track").GetProperty("event");
        Assert.Equal("Order Completed", track.GetProperty("event").GetString());
        Assert.Equal("user-1", track.GetProperty("userId").GetString());
        Assert.Equal(42.5, track.GetProperty("properties").GetProperty("revenue").GetDouble());
        Assert.Equal("order-42", track.GetProperty("properties").GetProperty("orderId").GetString());

        Assert.DoesNotContain(console, line => line.Contains(LoadFailure, StringComparison.Ordinal));
    }

    private static async Task<HttpClient> ApiClientAsync(JunctionTestServer junction, X509Certificate2? certificate)
    {
        var token = await junction.CreateTokenAsync();
        var client = new HttpClient(SelfSignedCertificate.TrustingHandler(certificate))
        {
            BaseAddress = new Uri(junction.BaseAddress, "api/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<IReadOnlyList<JsonElement>> DebuggerEventsAsync(HttpClient api, string sourceId, CancellationToken cancel)
    {
        using var response = await api.GetAsync($"sources/{sourceId}/debugger/events?count=50", cancel);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancel));
        return json.RootElement.GetProperty("data").GetProperty("events").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static async Task SaveScreenshotAsync(IPage tab, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        var png = await tab.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.AddAttachment(name, png, "image/png");
        TestContext.Current.SendDiagnosticMessage("Screenshot saved to {0}", path);
    }
}
