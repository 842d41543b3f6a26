using System.Collections.Frozen;
using System.Globalization;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Workspace.Catalog;

/// <summary>
/// The catalog's logos, drawn by Junction: each is a rounded square in the entry's colour with its initials, served
/// without authentication at <c>GET /catalog/logos/{slug}.svg</c> so that a browser can show it in an
/// <c>&lt;img&gt;</c>. The images never change within a version, so they are cacheable for a day and carry an ETag.
/// </summary>
internal static class CatalogLogos
{
    private const string CacheControl = "public, max-age=86400";

    private static readonly FrozenDictionary<string, Logo> BySlug = SourceCatalog.All
        .Append(SourceCatalog.Unlisted)
        .ToFrozenDictionary(e => e.Slug, e => Logo.Of(Render(e)), StringComparer.Ordinal);

    public static IEndpointRouteBuilder MapCatalogLogos(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/catalog/logos/{slug}.svg", GetLogo);
        return endpoints;
    }

    /// <summary>The absolute URL of an entry's logo on the server that is answering <paramref name="request"/>.</summary>
    public static string UrlFor(HttpRequest request, SourceCatalogEntry entry) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/catalog/logos/{entry.Slug}.svg";

    /// <summary>The SVG document for an entry: a 64×64 badge with the initials centred.</summary>
    public static string Render(SourceCatalogEntry entry)
    {
        var badge = entry.Badge;
        var fontSize = badge.Initials.Length switch
        {
            <= 2 => 28,
            3 => 22,
            _ => 18,
        };
        return string.Create(CultureInfo.InvariantCulture, $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64" role="img" aria-label="{SecurityElement.Escape(entry.Name)}">
              <rect width="64" height="64" rx="14" fill="{badge.Background}"/>
              <text x="32" y="32" dy="0.35em" text-anchor="middle" font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="{fontSize}" font-weight="700" fill="{badge.Foreground}">{SecurityElement.Escape(badge.Initials)}</text>
            </svg>

            """);
    }

    private static IResult GetLogo(HttpContext http, string slug)
    {
        if (!BySlug.TryGetValue(slug, out var logo))
        {
            return Results.NotFound();
        }

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
