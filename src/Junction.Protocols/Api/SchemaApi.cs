using System.Globalization;
using Junction.Protocols.Observation;
using Junction.Workspace.Access;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Junction.Workspace.PublicApi;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Protocols.Api;

/// <summary>
/// The schema view of a source (Junction's own routes, documented in docs/protocols/schema-view.md): the events it has
/// sent with their properties, volumes and flags (<c>GET /sources/{sourceId}/schema</c>, filtered by <c>type</c> and
/// <c>search</c>, ordered by <c>sort</c>), the same as CSV (<c>GET /sources/{sourceId}/schema.csv</c>), and blocking or
/// archiving an event (<c>PATCH …/schema/events</c>) or blocking a property (<c>PATCH …/schema/properties</c>).
/// Reading needs Source Read-only on the source; changing needs Source Admin; both are checked before the handler runs.
/// Changes are recorded in the audit trail.
/// </summary>
internal static class SchemaApi
{
    public static readonly IReadOnlyList<string> Types = ["track", "page", "screen", "identify", "group", "alias"];
    private static readonly IReadOnlyList<string> Sorts = ["lastSeen", "firstSeen", "name", "volume"];

    public static RouteGroupBuilder MapSchemaApi(this RouteGroupBuilder api)
    {
        api.MapGet("/sources/{sourceId}/schema", ListAsync).RequireSource(AccessLevel.Read);
        api.MapGet("/sources/{sourceId}/schema.csv", ExportAsync).RequireSource(AccessLevel.Read);
        api.MapPatch("/sources/{sourceId}/schema/events", UpdateEventAsync).RequireSource(AccessLevel.Write);
        api.MapPatch("/sources/{sourceId}/schema/properties", UpdatePropertyAsync).RequireSource(AccessLevel.Write);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, string sourceId, SchemaInventory inventory)
    {
        var query = http.Request.Query;
        var type = query["type"].ToString();
        var search = query["search"].ToString().Trim();
        var sort = query["sort"].ToString();
        var archived = query["archived"].ToString();
        if (type.Length > 0 && !Types.Contains(type))
        {
            return ApiResults.Invalid($"type must be one of {string.Join(", ", Types)}.", "type");
        }

        if (sort.Length > 0 && !Sorts.Contains(sort))
        {
            return ApiResults.Invalid($"sort must be one of {string.Join(", ", Sorts)}.", "sort");
        }

        if (archived is not ("" or "true" or "false"))
        {
            return ApiResults.Invalid("archived must be true (only archived events) or false (none of them).", "archived");
        }

        IEnumerable<ObservedEvent> events = await inventory.ListAsync(sourceId, http.RequestAborted);
        events = events.Where(e => (type.Length == 0 || e.Type == type)
            && (archived.Length == 0 || e.IsArchived == (archived == "true"))
            && (search.Length == 0 || e.Name.Contains(search, StringComparison.OrdinalIgnoreCase)
                || e.Properties.Any(p => p.Path.Contains(search, StringComparison.OrdinalIgnoreCase))));
        events = sort switch
        {
            "name" => events.OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase).ThenBy(e => e.Type, StringComparer.Ordinal),
            "firstSeen" => events.OrderByDescending(e => e.FirstSeen),
            "volume" => events.OrderByDescending(e => e.Volume30Days).ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase),
            _ => events.OrderByDescending(e => e.LastSeen),
        };
        var blocked = await inventory.BlockedByReasonAsync(sourceId, http.RequestAborted);
        return ApiResults.Data(new { sourceId, events = events.Select(Json).ToList(), blockedByReason30Days = blocked });
    }

    private static async Task<IResult> ExportAsync(HttpContext http, string sourceId, SchemaInventory inventory, ISourceLookup sources, TimeProvider time)
    {
        var events = await inventory.ListAsync(sourceId, http.RequestAborted);
        var slug = sources.FindById(sourceId)?.Slug ?? sourceId;
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'--'HH-mm", CultureInfo.InvariantCulture);
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{slug}-schema--{stamp}-utc.csv\"";
        return Results.Text(SchemaCsv.Write(events), "text/csv; charset=utf-8");
    }

    private static async Task<IResult> UpdateEventAsync(HttpContext http, string sourceId, SchemaInventory inventory, ISourceLookup sources, JunctionDbContext db, AuditTrail audit)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var type = fields.String("type", required: true);
        var name = fields.String("name") ?? "";
        var blocked = fields.Boolean("blocked");
        var archived = fields.Boolean("archived");
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        if (!Types.Contains(type!))
        {
            return ApiResults.Invalid($"type must be one of {string.Join(", ", Types)}.", "type");
        }

        if (blocked is null && archived is null)
        {
            return ApiResults.Invalid("Send blocked, archived or both (true or false).", "blocked");
        }

        if (!await inventory.TrySetEventFlagsAsync(sourceId, type!, name, blocked, archived, http.RequestAborted))
        {
            return ApiResults.NotFound("Event in the source's schema");
        }

        var source = sources.FindById(sourceId)!;
        var actor = Actor.Of(http.GetApiCaller().Principal);
        if (blocked is { } b)
        {
            audit.Record(source.WorkspaceId, actor, b ? "Schema Event Blocked" : "Schema Event Allowed", AuditResourceTypes.Source, source.Id, source.Name ?? source.Slug,
                after: new { type, name, blocked = b });
        }

        if (archived is { } a)
        {
            audit.Record(source.WorkspaceId, actor, a ? "Schema Event Archived" : "Schema Event Unarchived", AuditResourceTypes.Source, source.Id, source.Name ?? source.Slug,
                after: new { type, name, archived = a });
        }

        await db.SaveChangesAsync(http.RequestAborted);
        var updated = (await inventory.ListAsync(sourceId, http.RequestAborted)).First(e => e.Type == type && e.Name == name);
        return ApiResults.Data(new { @event = Json(updated) });
    }

    private static async Task<IResult> UpdatePropertyAsync(HttpContext http, string sourceId, SchemaInventory inventory, ISourceLookup sources, JunctionDbContext db, AuditTrail audit)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var type = fields.String("type", required: true);
        var name = fields.String("name") ?? "";
        var path = fields.String("path", required: true);
        var blocked = fields.Boolean("blocked", required: true);
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        if (!Types.Contains(type!))
        {
            return ApiResults.Invalid($"type must be one of {string.Join(", ", Types)}.", "type");
        }

        if (!await inventory.TrySetPropertyBlockedAsync(sourceId, type!, name, path!, blocked!.Value, http.RequestAborted))
        {
            return ApiResults.NotFound("Property in the source's schema");
        }

        var source = sources.FindById(sourceId)!;
        audit.Record(source.WorkspaceId, Actor.Of(http.GetApiCaller().Principal), blocked.Value ? "Schema Property Blocked" : "Schema Property Allowed",
            AuditResourceTypes.Source, source.Id, source.Name ?? source.Slug, after: new { type, name, path, blocked });
        await db.SaveChangesAsync(http.RequestAborted);
        var updated = (await inventory.ListAsync(sourceId, http.RequestAborted)).First(e => e.Type == type && e.Name == name);
        return ApiResults.Data(new { @event = Json(updated) });
    }

    private static object Json(ObservedEvent e) => new
    {
        type = e.Type,
        name = e.Name,
        firstSeen = Iso(e.FirstSeen),
        lastSeen = Iso(e.LastSeen),
        volume = new { last1Day = e.Volume1Day, last7Days = e.Volume7Days, last30Days = e.Volume30Days },
        allowed30Days = e.Volume30Days - e.Blocked30Days,
        blocked30Days = e.Blocked30Days,
        isBlocked = e.IsBlocked,
        isArchived = e.IsArchived,
        properties = e.Properties.Select(p => new
        {
            path = p.Path,
            types = p.Types,
            firstSeen = Iso(p.FirstSeen),
            lastSeen = Iso(p.LastSeen),
            isBlocked = p.IsBlocked,
        }).ToList(),
    };

    private static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
