using System.Text.Json;
using Junction.Workspace.Access;
using Junction.Workspace.PublicApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Warehouses.ControlPlane;

/// <summary>
/// What Segment's Public API groups as "Selective Sync": selective sync choices and a source's tables, the advanced
/// sync schedule and the sync history; plus Junction's own sync interval and "sync now".
/// </summary>
internal static class WarehouseSyncsApi
{
    public static RouteGroupBuilder MapWarehouseSyncsRoutes(this RouteGroupBuilder api)
    {
        api.MapPatch("/warehouses/{warehouseId}/selective-sync", UpdateSelectiveSyncAsync).RequireWarehouse(AccessLevel.Write);
        api.MapGet("/warehouses/{warehouseId}/connected-sources/{sourceId}/selective-syncs", ListSelectiveSyncsAsync).RequireSourceData();
        api.MapGet("/warehouses/{warehouseId}/advanced-sync-schedule", GetAdvancedScheduleAsync).RequireWarehouse(AccessLevel.Read);
        api.MapPut("/warehouses/{warehouseId}/advanced-sync-schedule", ReplaceAdvancedScheduleAsync).RequireWarehouse(AccessLevel.Write);
        api.MapPatch("/warehouses/{warehouseId}/sync-schedule", SetIntervalAsync).RequireWarehouse(AccessLevel.Write);
        api.MapGet("/warehouses/{warehouseId}/syncs", ListSyncsAsync).RequireWarehouse(AccessLevel.Read);
        api.MapGet("/warehouses/{warehouseId}/connected-sources/{sourceId}/syncs", ListSourceSyncsAsync).RequireSourceData();
        api.MapPost("/warehouses/{warehouseId}/syncs", SyncNowAsync).RequireWarehouse(AccessLevel.Write);
        return api;
    }

    private static async Task<IResult> UpdateSelectiveSyncAsync(HttpContext http, string warehouseId, WarehouseService warehouses)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var array = fields.Array("syncOverrides", required: true);
        var overrides = new List<SyncOverride>();
        var index = 0;
        foreach (var item in array is { } given ? given.EnumerateArray().ToList() : [])
        {
            var field = $"syncOverrides[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                fields.Fail(field, $"{field} must be an object {{sourceId, collection?, property?, enabled}}.");
                continue;
            }

            var sourceId = Text(item, "sourceId", field, fields, required: true);
            var collection = Text(item, "collection", field, fields, required: false);
            var property = Text(item, "property", field, fields, required: false);
            bool? enabled = item.TryGetProperty("enabled", out var flag) && flag.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? flag.GetBoolean()
                : null;
            if (enabled is null)
            {
                fields.Fail(field + ".enabled", $"{field}.enabled is required: true or false.");
            }

            if (sourceId is not null && enabled is not null)
            {
                overrides.Add(new SyncOverride(sourceId, collection, property, enabled.Value));
            }
        }

        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        var outcome = await warehouses.UpdateSelectiveSyncAsync(http.GetApiCaller().Principal, warehouseId, overrides, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new { status = outcome.Value!.Status, warnings = outcome.Value.Warnings });
    }

    private static async Task<IResult> ListSelectiveSyncsAsync(HttpContext http, string warehouseId, string sourceId, WarehouseService warehouses)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        var outcome = await warehouses.ListSelectiveSyncsAsync(
            http.GetApiCaller().Principal, warehouseId, sourceId, page.Offset, page.Count, http.RequestAborted);
        if (outcome.Problem is { } problem)
        {
            return problem.ToApiResult();
        }

        var list = outcome.Value!;
        return ApiResults.Data(new
        {
            items = list.Page.Items,
            pagination = page.Output(list.Page.TotalEntries),
            reachable = list.Reachable,
            problem = list.Problem,
        });
    }

    private static async Task<IResult> GetAdvancedScheduleAsync(HttpContext http, string warehouseId, WarehouseService warehouses)
    {
        var outcome = await warehouses.GetAdvancedScheduleAsync(http.GetApiCaller().Principal, warehouseId, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(ScheduleOutput(outcome.Value!));
    }

    private static async Task<IResult> ReplaceAdvancedScheduleAsync(HttpContext http, string warehouseId, WarehouseService warehouses)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var enabled = fields.Boolean("enabled", required: true);
        var schedule = fields.Object("schedule");
        List<ScheduleHour>? times = null;
        string? timeZone = null;
        if (schedule is { } given)
        {
            times = [];
            timeZone = Text(given, "timezone", "schedule", fields, required: true);
            if (!given.TryGetProperty("times", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                fields.Fail("schedule.times", "schedule.times is required: an array of {hourOfDay, enabled}.");
            }
            else
            {
                var index = 0;
                foreach (var item in array.EnumerateArray())
                {
                    var field = $"schedule.times[{index++}]";
                    var hourOk = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("hourOfDay", out var hour)
                        && hour.ValueKind == JsonValueKind.Number && hour.TryGetInt32(out _);
                    var flagOk = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("enabled", out var flag)
                        && flag.ValueKind is JsonValueKind.True or JsonValueKind.False;
                    if (!hourOk)
                    {
                        fields.Fail(field + ".hourOfDay", $"{field}.hourOfDay is required: a whole number from 0 to 23.");
                    }

                    if (!flagOk)
                    {
                        fields.Fail(field + ".enabled", $"{field}.enabled is required: true or false.");
                    }

                    if (hourOk && flagOk)
                    {
                        times.Add(new ScheduleHour(item.GetProperty("hourOfDay").GetInt32(), item.GetProperty("enabled").GetBoolean()));
                    }
                }
            }
        }

        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        var outcome = await warehouses.ReplaceAdvancedScheduleAsync(
            http.GetApiCaller().Principal, warehouseId, enabled!.Value, times, timeZone, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(ScheduleOutput(outcome.Value!));
    }

    private static async Task<IResult> SetIntervalAsync(HttpContext http, string warehouseId, WarehouseService warehouses)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        if (!read.Body.TryGetProperty("intervalSeconds", out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var seconds))
        {
            return ApiResults.Invalid(
                $"intervalSeconds is required: a whole number of seconds from {WarehouseSchedules.MinIntervalSeconds} to {WarehouseSchedules.MaxIntervalSeconds}.",
                "intervalSeconds");
        }

        var outcome = await warehouses.SetSyncIntervalAsync(http.GetApiCaller().Principal, warehouseId, seconds, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new { intervalSeconds = outcome.Value!.SyncIntervalSeconds });
    }

    private static Task<IResult> ListSyncsAsync(HttpContext http, string warehouseId, WarehouseService warehouses, TimeProvider time) =>
        ListAsync(http, warehouseId, null, warehouses, time);

    private static Task<IResult> ListSourceSyncsAsync(HttpContext http, string warehouseId, string sourceId, WarehouseService warehouses, TimeProvider time) =>
        ListAsync(http, warehouseId, sourceId, warehouses, time);

    private static async Task<IResult> ListAsync(HttpContext http, string warehouseId, string? sourceId, WarehouseService warehouses, TimeProvider time)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        var outcome = await warehouses.ListSyncsAsync(http.GetApiCaller().Principal, warehouseId, sourceId, page.Offset, page.Count, http.RequestAborted);
        if (outcome.Problem is { } problem)
        {
            return problem.ToApiResult();
        }

        var now = time.GetUtcNow();
        return ApiResults.Data(new
        {
            reports = outcome.Value!.Items.Select(s => SyncV1.From(s, now)).ToList(),
            pagination = page.Output(outcome.Value.TotalEntries),
        });
    }

    private static async Task<IResult> SyncNowAsync(HttpContext http, string warehouseId, WarehouseService warehouses)
    {
        var outcome = await warehouses.SyncNowAsync(http.GetApiCaller().Principal, warehouseId, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : Results.Json(new { data = new { warehouseId = outcome.Value!.Id } }, ApiResults.Json, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// Segment's <c>{enabled, schedule?: {times, timezone}}</c>: every hour of the day listed, on or off; no
    /// <c>schedule</c> when none was ever given.
    /// </summary>
    private static object ScheduleOutput(AdvancedSchedule schedule) => new
    {
        enabled = schedule.Enabled,
        schedule = schedule.Hours is null
            ? null
            : new
            {
                times = Enumerable.Range(0, 24).Select(h => new { hourOfDay = h, enabled = schedule.Hours.Contains(h) }).ToList(),
                timezone = schedule.TimeZone,
            },
    };

    /// <summary>Reads an optional (or required) string member of an object in the body, recording a field error when it is not one.</summary>
    private static string? Text(JsonElement item, string name, string parent, JsonFields fields, bool required)
    {
        var field = parent + "." + name;
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                fields.Fail(field, $"{field} is required.");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            fields.Fail(field, $"{field} must be a string, not {JsonFields.Describe(value.ValueKind)}.");
            return null;
        }

        return value.GetString();
    }
}
