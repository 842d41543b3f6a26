using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Junction.Destinations.Framework;
using Junction.Workspace.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Destinations.ControlPlane;

/// <summary>
/// The destinations catalog's logos, drawn exactly as the sources' are (<see cref="CatalogLogos.Render"/>: the entry's
/// initials on a rounded square in its colour) and served the same way: without authentication at
/// <c>GET /catalog/destination-logos/{slug}.svg</c>, cacheable for a day, with an ETag.
/// </summary>
internal static class DestinationLogos
{
    private const string CacheControl = "public, max-age=86400";
    private static readonly ConcurrentDictionary<string, Logo> Drawn = new(StringComparer.Ordinal);

    public static IEndpointRouteBuilder MapDestinationLogos(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/catalog/destination-logos/{slug}.svg", GetLogo);
        return endpoints;
    }

    /// <summary>The absolute URL of a destination's logo on the server answering <paramref name="request"/>.</summary>
    public static string UrlFor(HttpRequest request, DestinationDefinition definition) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/catalog/destination-logos/{definition.Slug}.svg";

    private static IResult GetLogo(HttpContext http, string slug, DestinationCatalog catalog)
    {
        if (catalog.FindBySlug(slug) is not { } destination)
        {
            return Results.NotFound();
        }

        var logo = Drawn.GetOrAdd(slug, _ => Logo.Of(Render(destination.Definition)));
        http.Response.Headers.CacheControl = CacheControl;
        http.Response.Headers.ETag = logo.ETag;
        if (http.Request.Headers.IfNoneMatch.Contains(logo.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(logo.Svg, "image/svg+xml");
    }

    /// <summary>Draws the badge with the sources catalog's renderer, so both catalogs' logos look alike.</summary>
    private static string Render(DestinationDefinition definition) =>
        CatalogLogos.Render(new SourceCatalogEntry(
            definition.Id, definition.Slug, definition.Name, definition.Description, definition.Categories, definition.Badge));

    private sealed record Logo(byte[] Svg, string ETag)
    {
        public static Logo Of(string svg)
        {
            var bytes = Encoding.UTF8.GetBytes(svg);
            return new Logo(bytes, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"");
        }
    }
}
