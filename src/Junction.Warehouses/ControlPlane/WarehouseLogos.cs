using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Junction.Workspace.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Warehouses.ControlPlane;

/// <summary>
/// The warehouses catalog's logos, drawn like the sources' and destinations' (<see cref="CatalogLogos.Render"/>: the
/// kind's initials on a rounded square in its colour) and served the same way: without authentication, so that an
/// <c>&lt;img&gt;</c> can show them, at <c>GET /catalog/warehouse-logos/{slug}.svg</c>, cacheable for a day, with an ETag.
/// </summary>
internal static class WarehouseLogos
{
    private const string CacheControl = "public, max-age=86400";
    private static readonly ConcurrentDictionary<string, Logo> Drawn = new(StringComparer.Ordinal);

    public static IEndpointRouteBuilder MapWarehouseLogos(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/catalog/warehouse-logos/{slug}.svg", GetLogo);
        return endpoints;
    }

    /// <summary>The absolute URL of a kind's logo on the server answering <paramref name="request"/>.</summary>
    public static string UrlFor(HttpRequest request, WarehouseKind kind) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/catalog/warehouse-logos/{kind.Slug}.svg";

    /// <summary>The SVG document of a kind's logo.</summary>
    public static string Render(WarehouseKind kind) =>
        CatalogLogos.Render(new SourceCatalogEntry(kind.Id, kind.Slug, kind.Name, kind.Description, ["Warehouse"], kind.Badge));

    private static IResult GetLogo(HttpContext http, string slug, WarehouseCatalog catalog)
    {
        if (catalog.FindBySlug(slug) is not { } kind)
        {
            return Results.NotFound();
        }

        var logo = Drawn.GetOrAdd(slug, _ => Logo.Of(Render(kind)));
        http.Response.Headers.CacheControl = CacheControl;
        http.Response.Headers.ETag = logo.ETag;
        if (http.Request.Headers.IfNoneMatch.Contains(logo.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(logo.Svg, "image/svg+xml");
    }

    private sealed record Logo(byte[] Svg, string ETag)
    {
        public static Logo Of(string svg)
        {
            var bytes = Encoding.UTF8.GetBytes(svg);
            return new Logo(bytes, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"");
        }
    }
}
