using Junction.Warehouses.ControlPlane;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Warehouses.Tests.ControlPlane;

/// <summary>
/// The warehouses catalog's logos, served by <see cref="WarehousesControlPlaneExtensions.MapWarehouseLogosRoute"/> on a
/// small app of their own: an SVG drawn by Junction for each kind, without a token, cacheable, with an ETag.
/// </summary>
public sealed class WarehouseLogosTests
{
    [Fact]
    public async Task EachKindHasAnSvgLogoServedWithoutATokenAndCacheable()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<WarehouseCatalog>();
        await using var app = builder.Build();
        app.MapWarehouseLogosRoute();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        using var duck = await http.GetAsync("/catalog/warehouse-logos/duckdb.svg");
        Assert.Equal(200, (int)duck.StatusCode);
        Assert.Equal("image/svg+xml", duck.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=86400", duck.Headers.CacheControl?.ToString());
        var svg = await duck.Content.ReadAsStringAsync();
        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);
        Assert.Contains(">Dk<", svg, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"DuckDB\"", svg, StringComparison.Ordinal);
        Assert.Contains(">Pg<", await http.GetStringAsync("/catalog/warehouse-logos/postgres.svg"), StringComparison.Ordinal);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/catalog/warehouse-logos/duckdb.svg");
        again.Headers.IfNoneMatch.Add(duck.Headers.ETag!);
        using var notModified = await http.SendAsync(again);
        Assert.Equal(304, (int)notModified.StatusCode);
        using var unknown = await http.GetAsync("/catalog/warehouse-logos/snowflake.svg");
        Assert.Equal(404, (int)unknown.StatusCode);
    }
}
