using System.Globalization;
using System.Text.Json;
using Junction.Protocols.Processing;
using Junction.Protocols.Violations;
using Junction.Workspace.Access;
using Junction.Workspace.PublicApi;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Protocols.Api;

/// <summary>
/// A source's violations (Junction's own routes, documented in docs/protocols/schema-view.md), as Segment's Violations
/// view shows them: grouped by event over the last hour, 24 hours or 7 days
/// (<c>GET /sources/{sourceId}/violations?window=1h|24h|7d</c>), and the newest sample events
/// (<c>GET /sources/{sourceId}/violations/samples?type=&amp;name=</c>). Both need Source Read-only on the source.
/// </summary>
internal static class ViolationsApi
{
    private const int MaxSamples = 100;

    public static RouteGroupBuilder MapViolationsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/sources/{sourceId}/violations", ListAsync).RequireSource(AccessLevel.Read);
        api.MapGet("/sources/{sourceId}/violations/samples", SamplesAsync).RequireSource(AccessLevel.Read);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, string sourceId, ViolationStore store, ProtocolsFlusher flusher, TimeProvider time)
    {
        var window = http.Request.Query["window"].ToString();
        TimeSpan? span = window switch
        {
            "1h" => TimeSpan.FromHours(1),
            "" or "24h" => TimeSpan.FromHours(24),
            "7d" => TimeSpan.FromDays(7),
            _ => null,
        };
        if (span is not { } length)
        {
            return ApiResults.Invalid("window must be 1h, 24h or 7d.", "window");
        }

        await flusher.FlushAsync(http.RequestAborted);
        var rows = await store.SummaryAsync(sourceId, time.GetUtcNow() - length, http.RequestAborted);
        var events = rows
            .GroupBy(r => (r.Type, r.Name))
            .Select(g => new
            {
                eventType = g.Key.Type,
                eventName = g.Key.Name,
                total = g.Sum(r => r.Count),
                lastSeen = Iso(g.Max(r => r.LastSeen)),
                violations = g.Select(r => new
                {
                    violationType = r.ViolationType,
                    violationField = r.Field,
                    violationDescription = r.Description,
                    count = r.Count,
                    lastSeen = Iso(r.LastSeen),
                }).ToList(),
            })
            .OrderByDescending(e => e.lastSeen, StringComparer.Ordinal)
            .ToList();
        return ApiResults.Data(new { sourceId, window = window.Length == 0 ? "24h" : window, total = events.Sum(e => e.total), events });
    }

    private static async Task<IResult> SamplesAsync(HttpContext http, string sourceId, ViolationStore store, ProtocolsFlusher flusher)
    {
        var query = http.Request.Query;
        var type = query["type"].ToString();
        var name = query.ContainsKey("name") ? query["name"].ToString() : null;
        if (type.Length > 0 && !SchemaApi.Types.Contains(type))
        {
            return ApiResults.Invalid($"type must be one of {string.Join(", ", SchemaApi.Types)}.", "type");
        }

        var count = 20;
        if (query.ContainsKey("count") && (!int.TryParse(query["count"], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxSamples))
        {
            return ApiResults.Invalid($"count must be from 1 to {MaxSamples}.", "count");
        }

        await flusher.FlushAsync(http.RequestAborted);
        var samples = await store.SamplesAsync(sourceId, type.Length == 0 ? null : type, name, count, http.RequestAborted);
        return ApiResults.Data(new
        {
            samples = samples.Select(s => new
            {
                eventType = s.Key.Type,
                eventName = s.Key.Name,
                violationType = s.Key.ViolationType,
                violationField = s.Key.Field,
                violationDescription = s.Description,
                at = Iso(s.At),
                messageId = s.MessageId,
                @event = Event(s.Event),
            }).ToList(),
        });
    }

    /// <summary>The sample as JSON, or as text when it was cut to fit.</summary>
    private static object Event(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<JsonElement>(text);
        }
        catch (JsonException)
        {
            return text;
        }
    }

    private static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
