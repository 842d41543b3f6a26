using Junction.Ingest.Tracking;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Junction.Ingest.AnalyticsJs;

/// <summary>
/// What a web page needs to load analytics.js from Junction instead of Segment's CDN: the library itself
/// (<c>/analytics.js/v1/{writeKey}/analytics.min.js</c>), its lazy chunks (<c>/analytics-next/bundles/{file}</c>) and
/// the per-source settings document (<c>/v1/projects/{writeKey}/settings</c>). All are anonymous and answer CORS.
/// </summary>
internal static class AnalyticsJsApi
{
    private const string JavaScript = "application/javascript";

    // The library keeps its URL across upgrades, so browsers revalidate it often; chunk names carry a content hash.
    private const string LibraryCacheControl = "public, max-age=300";
    private const string ChunkCacheControl = "public, max-age=31536000, immutable";
    private const string SettingsCacheControl = "public, max-age=60";

    public static IEndpointRouteBuilder MapAnalyticsJs(this IEndpointRouteBuilder endpoints)
    {
        // Reads the bundle folder now, so that a server built without analytics.js says so when it starts.
        _ = endpoints.ServiceProvider.GetRequiredService<AnalyticsJsBundle>();
        endpoints.MapGet("/v1/projects/{writeKey}/settings", GetSettings);
        endpoints.MapGet("/analytics.js/v1/{writeKey}/analytics.min.js", GetLibrary);
        endpoints.MapGet("/analytics-next/bundles/{file}", GetChunk);
        return endpoints;
    }

    private static Results<FileContentHttpResult, JsonHttpResult<ErrorAnswerBody>> GetSettings(
        HttpContext http, string writeKey, ISourceLookup sources, IOptions<AnalyticsJsOptions> options)
    {
        TrackingApi.AllowCrossOrigin(http.Response, http.Request);

        // A disabled source still gets its settings: the page loads normally and its events are answered 403, which
        // shows in the debugger, rather than analytics.js failing to start.
        if (sources.FindByWriteKey(writeKey) is null)
        {
            return UnknownWriteKey(http, writeKey);
        }

        http.Response.Headers.CacheControl = SettingsCacheControl;
        var body = AnalyticsJsSettings.Render(writeKey, PublicBase.Resolve(options.Value, http.Request));
        return TypedResults.File(body, "application/json");
    }

    private static Results<PhysicalFileHttpResult, JsonHttpResult<ErrorAnswerBody>> GetLibrary(
        HttpContext http, string writeKey, ISourceLookup sources, AnalyticsJsBundle bundle)
    {
        TrackingApi.AllowCrossOrigin(http.Response, http.Request);
        if (bundle.Standalone is not { } standalone)
        {
            return NotInstalled(http, bundle);
        }

        if (sources.FindByWriteKey(writeKey) is null)
        {
            return UnknownWriteKey(http, writeKey);
        }

        return Serve(http, standalone, LibraryCacheControl);
    }

    private static Results<PhysicalFileHttpResult, JsonHttpResult<ErrorAnswerBody>> GetChunk(HttpContext http, string file, AnalyticsJsBundle bundle)
    {
        TrackingApi.AllowCrossOrigin(http.Response, http.Request);
        if (bundle.FindChunk(file) is not { } chunk)
        {
            return Error(http, StatusCodes.Status404NotFound, "bundle_not_found",
                $"{file} is not a file of the analytics.js build this server has. Reload the page so that it loads the current analytics.js.");
        }

        return Serve(http, chunk, ChunkCacheControl);
    }

    private static PhysicalFileHttpResult Serve(HttpContext http, BundleFile file, string cacheControl)
    {
        http.Response.Headers.CacheControl = cacheControl;
        return TypedResults.PhysicalFile(file.Path, JavaScript, lastModified: file.LastModified, entityTag: file.ETag);
    }

    private static JsonHttpResult<ErrorAnswerBody> UnknownWriteKey(HttpContext http, string writeKey) =>
        Error(http, StatusCodes.Status404NotFound, "unknown_write_key",
            $"No source has the write key {writeKey}. Copy the snippet again from the Setup tab of the source in Junction.");

    private static JsonHttpResult<ErrorAnswerBody> NotInstalled(HttpContext http, AnalyticsJsBundle bundle) =>
        Error(http, StatusCodes.Status404NotFound, "analytics_js_not_installed",
            $"This Junction server has no analytics.js ({Path.Combine(bundle.Directory, AnalyticsJsBundle.StandaloneFileName)} is missing). Build Junction.Ingest with npm installed.");

    private static JsonHttpResult<ErrorAnswerBody> Error(HttpContext http, int status, string code, string message)
    {
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(new ErrorAnswerBody(false, code, message, null), TrackingJsonContext.Default.ErrorAnswerBody, statusCode: status);
    }
}
