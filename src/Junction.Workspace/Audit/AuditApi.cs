using System.Globalization;
using System.Text.Json.Serialization;
using Junction.Workspace.Data;
using Junction.Workspace.PublicApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Workspace.Audit;

/// <summary>
/// <c>GET /audit-events</c> in Segment's shape, for Workspace Owners: entries newest first, filtered by
/// <c>startTime</c>, <c>endTime</c> (ISO-8601, inclusive), <c>resourceId</c> and <c>resourceType</c>.
/// </summary>
internal static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit-events", ListAsync).RequireOwner("Reading the audit trail");
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, AuditQuery audit)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        var query = http.Request.Query;
        if (!TryReadTime(query["startTime"], out var start))
        {
            return ApiResults.Invalid("startTime must be an ISO-8601 date-time.", "startTime");
        }

        if (!TryReadTime(query["endTime"], out var end))
        {
            return ApiResults.Invalid("endTime must be an ISO-8601 date-time.", "endTime");
        }

        var filter = new AuditFilter(
            ResourceType: NullIfEmpty(query["resourceType"]),
            ResourceId: NullIfEmpty(query["resourceId"]),
            StartTime: start,
            EndTime: end);
        var outcome = await audit.ListAsync(http.GetApiCaller().Principal, filter, page.Offset, page.Count, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new
            {
                events = outcome.Value!.Entries.Select(AuditEventV1.From).ToList(),
                pagination = page.Output(outcome.Value.TotalEntries),
            });
    }

    private static bool TryReadTime(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        time = parsed;
        return true;
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}

/// <summary>An audit entry as the Public API shows it (Segment's <c>AuditEventV1</c>): <c>actor</c> is the user's or token's id.</summary>
internal sealed record AuditEventV1(
    string Id,
    string Timestamp,
    string Type,
    string Actor,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ActorEmail,
    string ResourceId,
    string ResourceType,
    string ResourceName)
{
    public static AuditEventV1 From(AuditEntry entry) => new(
        entry.Id,
        entry.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        entry.Type,
        entry.ActorId,
        entry.ActorKind == ActorKind.User ? entry.ActorName : null,
        entry.ResourceId,
        entry.ResourceType,
        entry.ResourceName);
}
