using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Junction.Web.Tests.EndToEnd;

/// <summary>
/// A customer's web site for the debugger's end-to-end tests: a Kestrel app on its own port answering one page at
/// every path. It is reached as <c>localhost</c> and Junction as <c>127.0.0.1</c>, so the snippet loads analytics.js
/// and posts its events cross-origin, as on a real site.
/// </summary>
internal sealed class DebuggerTestSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DebuggerTestSite(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<DebuggerTestSite> StartAsync(string html)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/favicon.ico", () => Results.NoContent());
        app.MapGet("/{**path}", () => Results.Content(html, "text/html; charset=utf-8"));
        await app.StartAsync();

        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new DebuggerTestSite(app, new Uri($"http://localhost:{address.Port}/"));
    }

    /// <summary>A documentation page with <paramref name="snippet"/> in its head (which sends the page call) and a button that tracks.</summary>
    public static string DocsPage(string snippet) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>Install - Junction debugger test</title>
          <link rel="icon" href="data:,">
          {{snippet}}
        </head>
        <body style="font-family: sans-serif; margin: 2em">
          <h1>Install</h1>
          <p>This page has the analytics.js snippet copied from the source's Setup tab.</p>
          <button id="subscribe" onclick="analytics.track('Newsletter Subscribed', { list: 'product-news', placement: 'docs' })">Subscribe</button>
        </body>
        </html>
        """;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
