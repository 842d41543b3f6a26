using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Junction.Ingest.Tests.AnalyticsJs;

/// <summary>
/// A customer's web site in miniature: a Kestrel app on its own port that answers one HTML page at every path. It
/// is reached as <c>localhost</c> while Junction is reached as <c>127.0.0.1</c>, so the page and Junction are
/// different origins and sites, and every request analytics.js makes to Junction is a real cross-origin one.
/// </summary>
internal sealed class TestPage : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestPage(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Serves <paramref name="html"/>; over https with <paramref name="certificate"/> when one is given.</summary>
    public static async Task<TestPage> StartAsync(string html, X509Certificate2? certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        app.MapGet("/favicon.ico", () => Results.NoContent());
        app.MapGet("/{**path}", () => Results.Content(html, "text/html; charset=utf-8"));
        await app.StartAsync();

        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new TestPage(app, new Uri($"{address.Scheme}://localhost:{address.Port}/"));
    }

    /// <summary>A checkout page that loads analytics.js with <paramref name="snippet"/>, then identifies and tracks.</summary>
    public static string Checkout(string snippet) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>Checkout - Junction analytics.js test</title>
          <link rel="icon" href="data:,">
          {{snippet}}
          <script>
            analytics.identify("user-1", { email: "ada@example.com", plan: "pro" });
            analytics.track("Order Completed", { orderId: "order-42", revenue: 42.5, currency: "EUR" });
            analytics.ready(function () {
              document.getElementById("status").textContent = "analytics.js " + window.analytics.VERSION + " is ready.";
            });
          </script>
        </head>
        <body style="font-family: sans-serif; margin: 2em">
          <h1>Order complete</h1>
          <p>This page loaded analytics.js from Junction and sent a page, an identify and a track call.</p>
          <p id="where"></p>
          <p id="status">analytics.js has not loaded yet.</p>
          <script>
            document.getElementById("where").textContent = "This page: " + location.origin + ". Junction: " + window.analytics._cdn + ".";
          </script>
        </body>
        </html>
        """;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
