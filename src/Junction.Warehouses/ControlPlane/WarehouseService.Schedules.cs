using Junction.Warehouses.Syncing;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Data;

namespace Junction.Warehouses.ControlPlane;

/// <summary>When a warehouse syncs (an interval, or Segment's advanced schedule), its sync history and "sync now".</summary>
internal sealed partial class WarehouseService
{
    public async Task<Outcome<AdvancedSchedule>> GetAdvancedScheduleAsync(Principal caller, string warehouseId, CancellationToken cancellationToken)
    {
        var (warehouse, problem) = await LoadAsync(caller, warehouseId, AccessLevel.Read, "Reading", tracked: false, cancellationToken);
        return problem is not null ? problem : Advanced(warehouse!);
    }

    /// <summary>
    /// Replaces the advanced sync schedule (Segment's <c>replaceAdvancedSyncScheduleForWarehouse</c>). With
    /// <paramref name="times"/> given, the schedule becomes those hours (the ones enabled) in <paramref name="timeZone"/>;
    /// without, the stored schedule is kept and only switched on or off. While on, it replaces the interval.
    /// </summary>
    public async Task<Outcome<AdvancedSchedule>> ReplaceAdvancedScheduleAsync(
        Principal caller, string warehouseId, bool enabled, IReadOnlyList<ScheduleHour>? times, string? timeZone, CancellationToken cancellationToken)
    {
        var (warehouse, problem) = await LoadAsync(caller, warehouseId, AccessLevel.Write, "Changing", tracked: true, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var before = Advanced(warehouse!);
        if (times is not null)
        {
            if (CheckTimes(times, timeZone) is { } invalid)
            {
                return invalid;
            }

            warehouse!.ScheduleHours = WarehouseSchedules.FormatHours(times.Where(t => t.Enabled).Select(t => t.HourOfDay));
            warehouse.ScheduleTimeZone = timeZone;
        }
        else if (enabled && warehouse!.ScheduleHours is null)
        {
            return Problem.Invalid("schedule is required to turn the advanced sync schedule on: give its times and timezone.", "schedule");
        }

        if (enabled && WarehouseSchedules.ParseHours(warehouse!.ScheduleHours) is not { Count: > 0 })
        {
            return Problem.Invalid("schedule.times must turn at least one hour on while the advanced sync schedule is enabled.", "schedule.times");
        }

        warehouse!.ScheduleEnabled = enabled;
        warehouse.UpdatedAt = time.GetUtcNow();
        var after = Advanced(warehouse);
        Record(caller, "Warehouse Sync Schedule Modified", warehouse, ScheduleSnapshot(before, warehouse), ScheduleSnapshot(after, warehouse));
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        return after;
    }

    /// <summary>Sets how often a warehouse syncs while no advanced schedule is on: every 60 to 86,400 seconds.</summary>
    public async Task<Outcome<WarehouseView>> SetSyncIntervalAsync(Principal caller, string warehouseId, long seconds, CancellationToken cancellationToken)
    {
        var (warehouse, problem) = await LoadAsync(caller, warehouseId, AccessLevel.Write, "Changing", tracked: true, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!WarehouseSchedules.IsValidInterval(seconds))
        {
            return Problem.Invalid(
                $"intervalSeconds must be a whole number from {WarehouseSchedules.MinIntervalSeconds} (a minute) to {WarehouseSchedules.MaxIntervalSeconds} (a day).",
                "intervalSeconds");
        }

        var before = Advanced(warehouse!);
        var beforeSnapshot = ScheduleSnapshot(before, warehouse!);
        warehouse!.SyncIntervalSeconds = (int)seconds;
        warehouse.UpdatedAt = time.GetUtcNow();
        Record(caller, "Warehouse Sync Schedule Modified", warehouse, beforeSnapshot, ScheduleSnapshot(before, warehouse));
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        return View(warehouse);
    }

    /// <summary>
    /// The sync history of a warehouse, newest first; with <paramref name="sourceId"/>, of that source only, which also
    /// needs read access to the source.
    /// </summary>
    public async Task<Outcome<Page<SyncRecord>>> ListSyncsAsync(
        Principal caller, string warehouseId, string? sourceId, int offset, int count, CancellationToken cancellationToken)
    {
        if (sourceId is not null && WarehouseAccess.CheckSourceData(caller, directory.FindInfo(warehouseId), sources.FindById(sourceId)) is { } denied)
        {
            return denied;
        }

        var (_, problem) = await LoadAsync(caller, warehouseId, AccessLevel.Read, "Reading", tracked: false, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var total = await syncs.CountAsync(warehouseId, sourceId, cancellationToken);
        var items = await syncs.ListAsync(warehouseId, sourceId, offset, count, cancellationToken);
        return new Page<SyncRecord>(items, total);
    }

    /// <summary>Asks for a sync of every source of an enabled warehouse now ("sync now"); the sync runs in the background.</summary>
    public async Task<Outcome<WarehouseView>> SyncNowAsync(Principal caller, string warehouseId, CancellationToken cancellationToken)
    {
        var (warehouse, problem) = await LoadAsync(caller, warehouseId, AccessLevel.Write, "Syncing", tracked: false, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!warehouse!.Enabled)
        {
            return Problem.Invalid("The warehouse is disabled: enable it (PATCH with \"enabled\": true) to sync it.", "enabled");
        }

        if (!syncs.SyncNow(warehouse.Id))
        {
            return Problem.Conflict("The warehouse is not ready to sync yet; try again in a few seconds.", "warehouseId");
        }

        Record(caller, "Warehouse Sync Requested", warehouse);
        await db.SaveChangesAsync(cancellationToken);
        return View(warehouse);
    }

    private static AdvancedSchedule Advanced(WarehouseEntity warehouse) =>
        new(warehouse.ScheduleEnabled, WarehouseSchedules.ParseHours(warehouse.ScheduleHours), warehouse.ScheduleTimeZone);

    private static Problem? CheckTimes(IReadOnlyList<ScheduleHour> times, string? timeZone)
    {
        var seen = new HashSet<int>();
        for (var i = 0; i < times.Count; i++)
        {
            var hour = times[i].HourOfDay;
            if (hour is < 0 or > 23)
            {
                return Problem.Invalid($"schedule.times[{i}].hourOfDay must be a whole number from 0 to 23.", $"schedule.times[{i}].hourOfDay");
            }

            if (!seen.Add(hour))
            {
                return Problem.Invalid($"schedule.times[{i}].hourOfDay: hour {hour} is listed twice.", $"schedule.times[{i}].hourOfDay");
            }
        }

        return timeZone is not null && WarehouseSchedules.IsKnownTimeZone(timeZone)
            ? null
            : Problem.Invalid(
                $"schedule.timezone must be a time zone of the tz database, such as \"UTC\" or \"America/New_York\"; \"{timeZone}\" is not one.",
                "schedule.timezone");
    }

    /// <summary>What the audit trail keeps of a warehouse's schedule.</summary>
    private static object ScheduleSnapshot(AdvancedSchedule advanced, WarehouseEntity warehouse) => new
    {
        intervalSeconds = warehouse.SyncIntervalSeconds,
        advancedEnabled = advanced.Enabled,
        hours = advanced.Hours,
        timezone = advanced.TimeZone,
    };
}
