using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Junction.Testing;

/// <summary>
/// A customer's web site in miniature: a Kestrel app on its own port that answers one HTML page at every path. It
/// is reached as <c>localhost</c> while Junction is reached as <c>127.0.0.1</c>, so the page and Junction are
/// different origins and sites, and every request analytics.js makes to Junction is a real cross-origin one.
/// </summary>
public sealed class CustomerSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CustomerSite(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Serves <paramref name="html"/>; over https with <paramref name="certificate"/> when one is given.</summary>
    public static async Task<CustomerSite> StartAsync(string html, X509Certificate2? certificate = null)
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
        return new CustomerSite(app, new Uri($"{address.Scheme}://localhost:{address.Port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
