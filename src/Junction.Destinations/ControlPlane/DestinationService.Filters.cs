using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Fql;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;

namespace Junction.Destinations.ControlPlane;

/// <summary>A new destination filter. <see cref="SourceId"/> must be the destination's source, as in Segment.</summary>
internal sealed record NewFilter(string SourceId, string If, JsonElement Actions, string Title, string? Description, bool Enabled);

/// <summary>A partial change to a filter: members left null are not changed.</summary>
internal sealed record FilterChanges(string? If = null, JsonElement? Actions = null, string? Title = null, string? Description = null, bool? Enabled = null);

/// <summary>What a filter preview answers: the payload given and what the destination would receive (null: dropped).</summary>
internal sealed record FilterPreview(JsonElement InputPayload, JsonObject? Result);

internal sealed partial class DestinationService
{
    public async Task<Outcome<Page<DestinationFilterEntity>>> ListFiltersAsync(
        Principal caller, string destinationId, int offset, int count, CancellationToken cancellationToken)
    {
        var (_, problem) = await LoadAsync(caller, destinationId, AccessLevel.Read, "Reading", tracked: false, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var query = db.DestinationFilters.AsNoTracking().Where(f => f.DestinationId == destinationId);
        var total = await query.CountAsync(cancellationToken);
        var page = await query.OrderBy(f => f.CreatedAt).ThenBy(f => f.Id).Skip(offset).Take(count).ToListAsync(cancellationToken);
        return new Page<DestinationFilterEntity>(page, total);
    }

    public async Task<Outcome<DestinationFilterEntity>> FindFilterAsync(
        Principal caller, string destinationId, string filterId, CancellationToken cancellationToken) =>
        await LoadFilterAsync(caller, destinationId, filterId, AccessLevel.Read, "Reading", tracked: false, cancellationToken);

    /// <summary>
    /// Adds a filter after <see cref="DestinationFilterValidator"/> accepts it (valid FQL, known action types with
    /// their fields, a title of at most 64 characters, at most 10 filters per destination).
    /// </summary>
    public async Task<Outcome<DestinationFilterEntity>> CreateFilterAsync(
        Principal caller, string destinationId, NewFilter input, CancellationToken cancellationToken)
    {
        var (destination, problem) = await LoadAsync(caller, destinationId, AccessLevel.Write, "Changing", tracked: false, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (input.SourceId != destination!.SourceId)
        {
            return Problem.Invalid(
                $"sourceId must be the destination's source, {destination.SourceId}: a filter applies to one source–destination pair.", "sourceId");
        }

        var actions = DestinationFilterJson.ReadActions(input.Actions);
        if (actions.Problem is { } badActions)
        {
            return badActions;
        }

        var definition = new DestinationFilter { Title = input.Title, If = input.If, Actions = actions.Value!, Enabled = input.Enabled };
        if (CheckFilter(definition) is { } invalid)
        {
            return invalid;
        }

        if (await db.DestinationFilters.CountAsync(f => f.DestinationId == destinationId, cancellationToken) >= DestinationFilterValidator.MaxFiltersPerDestination)
        {
            return Problem.Invalid(
                $"A destination has at most {DestinationFilterValidator.MaxFiltersPerDestination} filters; remove one first.", "if");
        }

        var now = time.GetUtcNow();
        var filter = new DestinationFilterEntity
        {
            Id = Ids.New("flt"),
            DestinationId = destinationId,
            SourceId = destination.SourceId,
            Title = input.Title,
            Description = input.Description,
            If = input.If,
            ActionsJson = DestinationFilterJson.Write(actions.Value!).ToJsonString(),
            Enabled = input.Enabled,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.DestinationFilters.Add(filter);
        RecordFilter(caller, "Destination Filter Created", filter, after: FilterSnapshot(filter));
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        return filter;
    }

    public async Task<Outcome<DestinationFilterEntity>> UpdateFilterAsync(
        Principal caller, string destinationId, string filterId, FilterChanges changes, CancellationToken cancellationToken)
    {
        var loaded = await LoadFilterAsync(caller, destinationId, filterId, AccessLevel.Write, "Changing", tracked: true, cancellationToken);
        if (loaded.Problem is not null)
        {
            return loaded;
        }

        var filter = loaded.Value!;
        var before = FilterSnapshot(filter);
        var actions = DestinationFilterJson.ReadActions(changes.Actions ?? JsonSerializer.Deserialize<JsonElement>(filter.ActionsJson));
        if (actions.Problem is { } badActions)
        {
            return badActions;
        }

        var definition = new DestinationFilter
        {
            Title = changes.Title ?? filter.Title,
            If = changes.If ?? filter.If,
            Actions = actions.Value!,
            Enabled = changes.Enabled ?? filter.Enabled,
        };
        if (CheckFilter(definition) is { } invalid)
        {
            return invalid;
        }

        filter.Title = definition.Title!;
        filter.If = definition.If!;
        filter.ActionsJson = DestinationFilterJson.Write(actions.Value!).ToJsonString();
        filter.Enabled = definition.Enabled;
        filter.Description = changes.Description ?? filter.Description;
        filter.UpdatedAt = time.GetUtcNow();
        RecordFilter(caller, "Destination Filter Modified", filter, before, FilterSnapshot(filter));
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        return filter;
    }

    public async Task<Outcome<DestinationFilterEntity>> RemoveFilterAsync(
        Principal caller, string destinationId, string filterId, CancellationToken cancellationToken)
    {
        var loaded = await LoadFilterAsync(caller, destinationId, filterId, AccessLevel.Write, "Changing", tracked: true, cancellationToken);
        if (loaded.Problem is not null)
        {
            return loaded;
        }

        RecordFilter(caller, "Destination Filter Deleted", loaded.Value!, before: FilterSnapshot(loaded.Value!));
        db.DestinationFilters.Remove(loaded.Value!);
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        return loaded;
    }

    /// <summary>
    /// Applies a filter to a payload and answers what the destination would receive, or null when the filter drops
    /// it (a SAMPLE keeps or drops an event the same way every time, from its messageId or the given path).
    /// </summary>
    public static Outcome<FilterPreview> Preview(string condition, JsonElement actionsJson, JsonElement payload)
    {
        var actions = DestinationFilterJson.ReadActions(actionsJson);
        if (actions.Problem is { } badActions)
        {
            return badActions;
        }

        var filter = new DestinationFilter { If = condition, Actions = actions.Value! };
        if (CheckFilter(filter) is { } invalid)
        {
            return invalid;
        }

        var result = DestinationFilterSet.Compile([filter]).Apply(payload);
        return new FilterPreview(payload, result.IsDropped ? null : result.Event);
    }

    /// <summary>The validator's first error, naming the field at fault.</summary>
    private static Problem? CheckFilter(DestinationFilter filter) =>
        DestinationFilterValidator.Validate(filter) is { Count: > 0 } errors
            ? Problem.Invalid(errors[0].Message, errors[0].Field)
            : null;

    private async Task<Outcome<DestinationFilterEntity>> LoadFilterAsync(
        Principal caller, string destinationId, string filterId, AccessLevel needed, string action, bool tracked, CancellationToken cancellationToken)
    {
        var (_, problem) = await LoadAsync(caller, destinationId, needed, action, tracked: false, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var query = tracked ? db.DestinationFilters : db.DestinationFilters.AsNoTracking();
        var filter = await query.FirstOrDefaultAsync(f => f.Id == filterId && f.DestinationId == destinationId, cancellationToken);
        if (filter is null)
        {
            return Problem.NotFound("Filter");
        }

        return filter;
    }

    private void RecordFilter(Principal caller, string type, DestinationFilterEntity filter, object? before = null, object? after = null) =>
        audit.Record(caller.WorkspaceId, Actor.Of(caller), type, AuditResourceTypes.DestinationFilter, filter.Id, filter.Title, before, after);

    private static object FilterSnapshot(DestinationFilterEntity filter) => new
    {
        id = filter.Id,
        destinationId = filter.DestinationId,
        sourceId = filter.SourceId,
        title = filter.Title,
        description = filter.Description,
        @if = filter.If,
        actions = JsonSerializer.Deserialize<JsonElement>(filter.ActionsJson),
        enabled = filter.Enabled,
    };
}
