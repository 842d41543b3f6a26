using Junction.Workspace.Access;
using Junction.Workspace.PublicApi;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Ingest.Volume;

/// <summary>
/// <c>GET /api/events/volume</c> in the Public API's shape: counts per time bucket (MINUTE, HOUR or DAY), optionally
/// grouped by source, event type and event name. Counts are accepted events after dedupe, as Segment's are events
/// after validation. Junction adds <c>status=REJECTED|DUPLICATE</c> to count refused or repeated events instead.
/// Only the sources the caller may read are counted; asking for another one by id counts nothing for it.
/// </summary>
internal static class VolumeApi
{
    private const int MaxPoints = 20_000;

    public static RouteGroupBuilder MapVolumeApi(this RouteGroupBuilder api)
    {
        api.MapGet("/events/volume", GetVolumeAsync).FilteredByAccess("the sources the caller may read");
        return api;
    }

    private static async Task<IResult> GetVolumeAsync(HttpContext http, ISourceLookup sources, VolumeStore store, Volume.VolumeFlusher flusher)
    {
        var caller = http.GetApiCaller();
        var query = http.Request.Query;
        var granularity = query["granularity"].ToString().ToUpperInvariant();
        var step = granularity switch
        {
            "MINUTE" => TimeSpan.FromMinutes(1),
            "HOUR" => TimeSpan.FromHours(1),
            "DAY" => TimeSpan.FromDays(1),
            _ => (TimeSpan?)null,
        };
        if (step is not { } bucket)
        {
            return ApiResults.Invalid("granularity must be DAY, HOUR or MINUTE.", "granularity");
        }

        if (!DateTimeOffset.TryParse(query["startTime"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var startTime))
        {
            return ApiResults.Invalid("startTime must be an ISO-8601 date-time.", "startTime");
        }

        if (!DateTimeOffset.TryParse(query["endTime"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var endTime))
        {
            return ApiResults.Invalid("endTime must be an ISO-8601 date-time.", "endTime");
        }

        var start = Floor(startTime, bucket);
        var end = Floor(endTime, bucket) < endTime ? Floor(endTime, bucket) + bucket : Floor(endTime, bucket);
        if (end <= start)
        {
            return ApiResults.Invalid("endTime must be after startTime.", "endTime");
        }

        var points = (int)Math.Min(int.MaxValue, (end - start).Ticks / bucket.Ticks);
        var groupBy = QueryArrays.Read(http.Request, "groupBy");
        var unknownGroup = groupBy.FirstOrDefault(g => g is not ("source" or "eventName" or "eventType"));
        if (unknownGroup is not null)
        {
            return ApiResults.Invalid($"groupBy accepts source, eventName and eventType, not \"{unknownGroup}\".", "groupBy");
        }

        if (points > MaxPoints)
        {
            return ApiResults.Invalid($"That range holds {points:N0} {granularity} buckets; ask for at most {MaxPoints:N0}.", "startTime");
        }

        var status = query["status"].ToString().ToUpperInvariant();
        if (status is not ("" or "ACCEPTED" or "REJECTED" or "DUPLICATE"))
        {
            return ApiResults.Invalid("status must be ACCEPTED, REJECTED or DUPLICATE.", "status");
        }

        if (!Pagination.TryRead(http.Request, out var pagination, out var paginationError))
        {
            return paginationError!;
        }

        var sourceFilter = QueryArrays.Read(http.Request, "sourceId");
        var nameFilter = QueryArrays.Read(http.Request, "eventName").ToHashSet(StringComparer.Ordinal);
        var typeFilter = QueryArrays.Read(http.Request, "eventType").Select(t => t.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var workspaceSources = sources.InWorkspace(caller.WorkspaceId)
            .Where(s => caller.Principal.Can(AccessLevel.Read, s))
            .ToDictionary(s => s.Id, StringComparer.Ordinal);
        var selected = sourceFilter.Count == 0 ? workspaceSources.Keys.ToList() : sourceFilter.Where(workspaceSources.ContainsKey).ToList();

        // Counts still in memory are written first, so the answer includes events that arrived a moment ago.
        await flusher.FlushAsync(http.RequestAborted);
        var rows = await store.QueryAsync(selected, start, end, byMinute: bucket == TimeSpan.FromMinutes(1), http.RequestAborted);

        var bySource = groupBy.Contains("source");
        var byName = groupBy.Contains("eventName");
        var byType = groupBy.Contains("eventType");
        var groups = rows
            .Where(r => (nameFilter.Count == 0 || nameFilter.Contains(r.EventName)) && (typeFilter.Count == 0 || typeFilter.Contains(r.EventType)))
            .GroupBy(r => (Source: bySource ? r.SourceId : null, Name: byName ? r.EventName : null, Type: byType ? r.EventType : null))
            .Select(g =>
            {
                var counts = new long[points];
                foreach (var row in g)
                {
                    var index = (int)((Floor(row.Bucket, bucket) - start).Ticks / bucket.Ticks);
                    if (index >= 0 && index < points)
                    {
                        counts[index] += status switch { "REJECTED" => row.Rejected, "DUPLICATE" => row.Duplicates, _ => row.Accepted };
                    }
                }

                return (g.Key, Total: counts.Sum(), Counts: counts);
            })
            .Where(g => g.Total > 0)
            .OrderByDescending(g => g.Total)
            .ToList();

        var page = groups.Skip(pagination.Offset).Take(pagination.Count).Select(g => new
        {
            source = g.Key.Source is { } id && workspaceSources.TryGetValue(id, out var s) ? new { id, name = s.Name, slug = s.Slug } : null,
            eventName = byName ? g.Key.Name : null,
            eventType = byType ? g.Key.Type : null,
            total = g.Total,
            series = g.Counts.Select((count, i) => new { time = Iso(start + (bucket * i)), count }).ToList(),
        });

        return ApiResults.Data(new
        {
            path = "/events/volume",
            query = new
            {
                workspaceId = caller.WorkspaceId,
                granularity,
                startTime = Iso(start),
                endTime = Iso(end),
                groupBy = groupBy.Count > 0 ? groupBy : null,
                sourceId = sourceFilter.Count > 0 ? sourceFilter : null,
                eventName = nameFilter.Count > 0 ? nameFilter.ToList() : null,
                eventType = typeFilter.Count > 0 ? typeFilter.ToList() : null,
            },
            result = page,
            pagination = pagination.Output(groups.Count),
        });
    }

    private static DateTimeOffset Floor(DateTimeOffset time, TimeSpan bucket) =>
        new(time.UtcTicks - (time.UtcTicks % bucket.Ticks), TimeSpan.Zero);

    private static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
