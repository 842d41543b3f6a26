using Junction.Workspace.PublicApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Workspace.Catalog;

/// <summary>
/// The sources catalog in the Public API: <c>GET /catalog/sources</c> (paginated, under <c>sourcesCatalog</c>) and
/// <c>GET /catalog/sources/{id}</c> (under <c>sourceMetadata</c>), in Segment's SourceMetadataV1 shape.
/// </summary>
internal static class CatalogApi
{
    public static RouteGroupBuilder MapCatalogApi(this RouteGroupBuilder api)
    {
        api.MapGet("/catalog/sources", ListSources).AllowMembers();
        api.MapGet("/catalog/sources/{sourceMetadataId}", GetSource).AllowMembers();
        return api;
    }

    private static IResult ListSources(HttpRequest request)
    {
        if (!Pagination.TryRead(request, out var page, out var error))
        {
            return error!;
        }

        var entries = SourceCatalog.All;
        var items = entries.Skip(page.Offset).Take(page.Count).Select(e => SourceMetadataV1.From(e, request)).ToList();
        return ApiResults.Data(new { sourcesCatalog = items, pagination = page.Output(entries.Count) });
    }

    private static IResult GetSource(HttpRequest request, string sourceMetadataId) =>
        SourceCatalog.Find(sourceMetadataId) is { } entry
            ? ApiResults.Data(new { sourceMetadata = SourceMetadataV1.From(entry, request) })
            : ApiResults.NotFound("Sources catalog entry");
}

/// <summary>A sources catalog entry as the Public API shows it (Segment's <c>SourceMetadataV1</c>).</summary>
internal sealed record SourceMetadataV1(
    string Id,
    string Name,
    string Slug,
    string Description,
    LogosV1 Logos,
    IReadOnlyList<object> Options,
    IReadOnlyList<string> Categories,
    bool IsCloudEventSource)
{
    public static SourceMetadataV1 From(SourceCatalogEntry entry, HttpRequest request) => new(
        entry.Id,
        entry.Name,
        entry.Slug,
        entry.Description,
        new LogosV1(CatalogLogos.UrlFor(request, entry)),
        [],
        entry.Categories,
        IsCloudEventSource: false);
}

/// <summary>Logo URLs; Junction draws one logo per entry, so only <c>default</c> is set.</summary>
internal sealed record LogosV1(string Default);
