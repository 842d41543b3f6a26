using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Destinations.Framework;
using Junction.Mapping;
using Junction.Subscriptions;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;

namespace Junction.Destinations.ControlPlane;

/// <summary>A new subscription: an action, a trigger and a mapping (the action's default mapping when none is given).</summary>
internal sealed record NewSubscription(string Name, string ActionId, string Trigger, bool Enabled, JsonElement? Mapping = null);

/// <summary>A partial change to a subscription: members left null are not changed. A given mapping replaces the whole mapping.</summary>
internal sealed record SubscriptionChanges(string? Name = null, string? Trigger = null, bool? Enabled = null, JsonElement? Mapping = null);

/// <summary>A subscription with the slug of its action.</summary>
internal sealed record SubscriptionView(DestinationSubscriptionEntity Subscription, string ActionSlug);

internal sealed partial class DestinationService
{
    /// <summary>Segment allows 50 mappings per Actions destination.</summary>
    public const int MaxSubscriptionsPerDestination = 50;

    public async Task<Outcome<Page<SubscriptionView>>> ListSubscriptionsAsync(
        Principal caller, string destinationId, int offset, int count, CancellationToken cancellationToken)
    {
        var (destination, problem) = await LoadAsync(caller, destinationId, AccessLevel.Read, "Reading", tracked: false, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var query = db.DestinationSubscriptions.AsNoTracking().Where(s => s.DestinationId == destinationId);
        var total = await query.CountAsync(cancellationToken);
        var page = await query.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).Skip(offset).Take(count).ToListAsync(cancellationToken);
        var definition = Definition(destination!.CatalogId);
        return new Page<SubscriptionView>(page.Select(s => SubscriptionViewOf(definition, s)).ToList(), total);
    }

    public async Task<Outcome<SubscriptionView>> FindSubscriptionAsync(
        Principal caller, string destinationId, string subscriptionId, CancellationToken cancellationToken)
    {
        var (destination, subscription, problem) = await LoadSubscriptionAsync(
            caller, destinationId, subscriptionId, AccessLevel.Read, "Reading", tracked: false, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return SubscriptionViewOf(Definition(destination!.CatalogId), subscription!);
    }

    /// <summary>
    /// Adds a subscription to an Actions destination. The action must be one of the destination's, the trigger must
    /// parse (<see cref="Trigger.Parse"/>) and the mapping must compile (<see cref="CompiledMapping.Compile(JsonElement)"/>);
    /// otherwise their own error messages are answered.
    /// </summary>
    public async Task<Outcome<SubscriptionView>> CreateSubscriptionAsync(
        Principal caller, string destinationId, NewSubscription input, CancellationToken cancellationToken)
    {
        var (destination, problem) = await LoadAsync(caller, destinationId, AccessLevel.Write, "Changing", tracked: false, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var definition = Definition(destination!.CatalogId);
        if (!definition.HasMappings)
        {
            return Problem.Invalid(
                $"{definition.Name} is a classic destination: it receives every event whole and has no subscriptions (mappings).", "actionId");
        }

        var action = definition.FindAction(input.ActionId);
        if (action is null || action.Classic)
        {
            var ids = string.Join(", ", definition.Actions.Where(a => !a.Classic).Select(a => $"{a.Id} ({a.Name})"));
            return Problem.Invalid($"actionId \"{input.ActionId}\" is not an action of {definition.Name}; its actions are {ids}.", "actionId");
        }

        if (await db.DestinationSubscriptions.CountAsync(s => s.DestinationId == destinationId, cancellationToken) >= MaxSubscriptionsPerDestination)
        {
            return Problem.Invalid($"A destination has at most {MaxSubscriptionsPerDestination} subscriptions; remove one first.", "actionId");
        }

        var mapping = input.Mapping is { } given ? JsonNode.Parse(given.GetRawText())!.AsObject() : action.DefaultMapping();
        if ((CheckSubscriptionName(input.Name) ?? CheckTrigger(input.Trigger) ?? CheckMapping(mapping)) is { } invalid)
        {
            return invalid;
        }

        var now = time.GetUtcNow();
        var subscription = new DestinationSubscriptionEntity
        {
            Id = Ids.New("sub"),
            DestinationId = destinationId,
            Name = input.Name.Trim(),
            ActionId = action.Id,
            Trigger = input.Trigger,
            MappingJson = mapping.ToJsonString(),
            Enabled = input.Enabled,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.DestinationSubscriptions.Add(subscription);
        RecordSubscription(caller, "Destination Subscription Created", subscription, after: SubscriptionSnapshot(subscription));
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        return new SubscriptionView(subscription, action.Slug);
    }

    public async Task<Outcome<SubscriptionView>> UpdateSubscriptionAsync(
        Principal caller, string destinationId, string subscriptionId, SubscriptionChanges changes, CancellationToken cancellationToken)
    {
        var (destination, subscription, problem) = await LoadSubscriptionAsync(
            caller, destinationId, subscriptionId, AccessLevel.Write, "Changing", tracked: true, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var before = SubscriptionSnapshot(subscription!);
        var mapping = changes.Mapping is { } given ? JsonNode.Parse(given.GetRawText())!.AsObject() : null;
        var invalid = (changes.Name is { } name ? CheckSubscriptionName(name) : null)
            ?? (changes.Trigger is { } trigger ? CheckTrigger(trigger) : null)
            ?? (mapping is not null ? CheckMapping(mapping) : null);
        if (invalid is not null)
        {
            return invalid;
        }

        subscription!.Name = changes.Name?.Trim() ?? subscription.Name;
        subscription.Trigger = changes.Trigger ?? subscription.Trigger;
        subscription.Enabled = changes.Enabled ?? subscription.Enabled;
        subscription.MappingJson = mapping?.ToJsonString() ?? subscription.MappingJson;
        subscription.UpdatedAt = time.GetUtcNow();
        RecordSubscription(caller, "Destination Subscription Modified", subscription, before, SubscriptionSnapshot(subscription));
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        return SubscriptionViewOf(Definition(destination!.CatalogId), subscription);
    }

    public async Task<Outcome<SubscriptionView>> RemoveSubscriptionAsync(
        Principal caller, string destinationId, string subscriptionId, CancellationToken cancellationToken)
    {
        var (destination, subscription, problem) = await LoadSubscriptionAsync(
            caller, destinationId, subscriptionId, AccessLevel.Write, "Changing", tracked: true, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        RecordSubscription(caller, "Destination Subscription Deleted", subscription!, before: SubscriptionSnapshot(subscription!));
        db.DestinationSubscriptions.Remove(subscription!);
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        return SubscriptionViewOf(Definition(destination!.CatalogId), subscription!);
    }

    private static Problem? CheckSubscriptionName(string name) =>
        name.Trim().Length is > 0 and <= MaxNameLength
            ? null
            : Problem.Invalid($"name must be 1 to {MaxNameLength} characters and not only spaces.", "name");

    /// <summary>The trigger engine's own message, with the column it points at.</summary>
    private static Problem? CheckTrigger(string trigger) =>
        Trigger.Parse(trigger) is { IsValid: false, Error: { } error }
            ? Problem.Invalid($"trigger is not a valid subscription condition: {error}", "trigger")
            : null;

    /// <summary>The mapping engine's own messages, each naming the field at fault.</summary>
    private static Problem? CheckMapping(JsonObject mapping)
    {
        var compiled = CompiledMapping.Compile(JsonSerializer.SerializeToElement(mapping));
        return compiled.Succeeded
            ? null
            : Problem.Invalid("settings is not a valid mapping: " + string.Join("; ", compiled.Errors), "settings");
    }

    private static SubscriptionView SubscriptionViewOf(DestinationDefinition definition, DestinationSubscriptionEntity subscription) =>
        new(subscription, definition.FindAction(subscription.ActionId)?.Slug ?? subscription.ActionId);

    private async Task<(DestinationEntity? Destination, DestinationSubscriptionEntity? Subscription, Problem? Problem)> LoadSubscriptionAsync(
        Principal caller, string destinationId, string subscriptionId, AccessLevel needed, string action, bool tracked, CancellationToken cancellationToken)
    {
        var (destination, problem) = await LoadAsync(caller, destinationId, needed, action, tracked: false, cancellationToken);
        if (problem is not null)
        {
            return (null, null, problem);
        }

        var query = tracked ? db.DestinationSubscriptions : db.DestinationSubscriptions.AsNoTracking();
        var subscription = await query.FirstOrDefaultAsync(s => s.Id == subscriptionId && s.DestinationId == destinationId, cancellationToken);
        return subscription is null ? (null, null, Problem.NotFound("Subscription")) : (destination, subscription, null);
    }

    private void RecordSubscription(Principal caller, string type, DestinationSubscriptionEntity subscription, object? before = null, object? after = null) =>
        audit.Record(caller.WorkspaceId, Actor.Of(caller), type, AuditResourceTypes.DestinationSubscription, subscription.Id, subscription.Name, before, after);

    private static object SubscriptionSnapshot(DestinationSubscriptionEntity subscription) => new
    {
        id = subscription.Id,
        destinationId = subscription.DestinationId,
        name = subscription.Name,
        actionId = subscription.ActionId,
        trigger = subscription.Trigger,
        enabled = subscription.Enabled,
        settings = JsonSerializer.Deserialize<JsonElement>(subscription.MappingJson),
    };
}
