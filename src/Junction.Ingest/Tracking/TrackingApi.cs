using System.Net;
using System.Text;
using Junction.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Junction.Ingest.Tracking;

/// <summary>
/// The Tracking API, compatible with Segment's: <c>/v1/track|identify|page|screen|group|alias|batch|import</c>, the
/// browser's <c>/v1/t|i|p|s|g|a|b</c>, the pixel GETs, and <c>/v1/m</c> (browser telemetry, accepted and ignored).
/// Every path answers CORS, including preflight, because analytics.js posts cross-origin with an Authorization header.
/// </summary>
internal static class TrackingApi
{
    private static readonly byte[] TransparentGif = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static IEndpointRouteBuilder MapTracking(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/{call}", HandleAsync);
        endpoints.MapGet("/v1/pixel/{type}", HandlePixelAsync);
        endpoints.MapMethods("/v1/{**path}", [HttpMethods.Options], Preflight);
        return endpoints;
    }

    /// <summary>Adds the CORS headers every browser-facing answer needs.</summary>
    public static void AllowCrossOrigin(HttpResponse response, HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        var headers = response.Headers;
        if (origin.Length > 0)
        {
            // Echoing the origin (rather than "*") keeps sites that send credentials working; these endpoints
            // authenticate with the write key, never with cookies.
            headers.AccessControlAllowOrigin = origin;
            headers.AccessControlAllowCredentials = "true";
            headers.Vary = "Origin";
        }
        else
        {
            headers.AccessControlAllowOrigin = "*";
        }
    }

    private static Task Preflight(HttpContext http)
    {
        AllowCrossOrigin(http.Response, http.Request);
        var requested = http.Request.Headers.AccessControlRequestHeaders.ToString();
        var headers = http.Response.Headers;
        headers.AccessControlAllowMethods = "GET, POST, OPTIONS";
        headers.AccessControlAllowHeaders = requested.Length > 0 ? requested : "authorization, content-type, content-encoding, x-retry-count";
        headers.AccessControlMaxAge = "7200";
        http.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static async Task HandleAsync(HttpContext http)
    {
        AllowCrossOrigin(http.Response, http.Request);
        var callName = (string)http.Request.RouteValues["call"]!;
        if (callName == "m")
        {
            // analytics.js telemetry: not part of the data plane.
            await http.Request.Body.CopyToAsync(Stream.Null, http.RequestAborted);
            await TrackingAnswer.Success.WriteAsync(http.Response);
            return;
        }

        if (!TryClassify(callName, out var call))
        {
            await TrackingAnswer.Refused(StatusCodes.Status404NotFound, new Rejection(
                "unknown_path", $"/v1/{callName} is not a Tracking API path. Use /v1/track, identify, page, screen, group, alias or batch."))
                .WriteAsync(http.Response);
            return;
        }

        var options = http.RequestServices.GetRequiredService<IOptions<TrackingOptions>>().Value;
        var gateway = http.RequestServices.GetRequiredService<TrackingGateway>();
        var limit = call.IsBatch ? options.MaxBatchBodyBytes : options.MaxSingleBodyBytes;
        var (body, error) = await RequestBody.ReadAsync(http.Request, limit, http.RequestAborted);
        if (error is not null)
        {
            await gateway.RefuseUnreadable(call, http.Request.Headers.Authorization.ToString(), error).WriteAsync(http.Response);
            return;
        }

        using (body)
        {
            var answer = await gateway.AcceptAsync(call, http.Request.Headers.Authorization.ToString(), body!.Memory, ClientIp(http));
            await answer.WriteAsync(http.Response);
        }
    }

    /// <summary>
    /// The Tracking Pixel API: <c>GET /v1/pixel/{type}?data=base64(JSON)</c> with the write key in the JSON. It always
    /// answers a transparent GIF (an email client cannot show errors); refusals show in the debugger.
    /// </summary>
    private static async Task HandlePixelAsync(HttpContext http)
    {
        AllowCrossOrigin(http.Response, http.Request);
        var typeName = (string)http.Request.RouteValues["type"]!;
        var data = http.Request.Query["data"].ToString();
        if (EventTypes.TryParsePath(typeName, out var type) && typeName.Length > 1 && DecodePixelData(data) is { } json)
        {
            var gateway = http.RequestServices.GetRequiredService<TrackingGateway>();
            await gateway.AcceptAsync(new TrackingCall(type, FromBrowserPath: false), null, json, ClientIp(http));
        }

        http.Response.ContentType = "image/gif";
        http.Response.Headers.CacheControl = "no-cache, no-store, must-revalidate";
        await http.Response.Body.WriteAsync(TransparentGif, http.RequestAborted);
    }

    private static byte[]? DecodePixelData(string data)
    {
        if (data.Length == 0)
        {
            return null;
        }

        if (data.TrimStart().StartsWith('{'))
        {
            return Encoding.UTF8.GetBytes(data);
        }

        var base64 = data.Replace('-', '+').Replace('_', '/').Replace(' ', '+');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        var bytes = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, bytes, out var written) ? bytes[..written] : null;
    }

    internal static bool TryClassify(string callName, out TrackingCall call)
    {
        call = default;
        switch (callName)
        {
            case "batch" or "import":
                call = new TrackingCall(null, FromBrowserPath: false);
                return true;
            case "b":
                call = new TrackingCall(null, FromBrowserPath: true);
                return true;
        }

        if (!EventTypes.TryParsePath(callName, out var type))
        {
            return false;
        }

        call = new TrackingCall(type, FromBrowserPath: callName.Length == 1);
        return true;
    }

    private static string? ClientIp(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null)
        {
            return null;
        }

        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString() is var text && text != IPAddress.None.ToString()
            ? text
            : null;
    }
}
