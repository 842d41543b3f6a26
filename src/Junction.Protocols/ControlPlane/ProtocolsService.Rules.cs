using System.Text.Encodings.Web;
using System.Text.Json;
using Junction.Protocols.Plans;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;

namespace Junction.Protocols.ControlPlane;

/// <summary>
/// A plan's rules: listing, replacing all (PUT), upserting with renames (PATCH), removing, and the history of each
/// rule. Every change is checked whole before anything is written: a rule the Protocols engine cannot use is refused
/// with a problem naming it (<c>rules[3].jsonSchema</c>), and then nothing changes. Each rule created, changed, renamed
/// or removed gets a revision in its history, with who did it and when.
/// </summary>
internal sealed partial class ProtocolsService
{
    /// <summary>Segment accepts fewer than 2,000 rules in a plan's import; Junction holds a plan to that.</summary>
    public const int MaxRulesPerPlan = 2000;

    public const int MaxKeyLength = 500;

    private static readonly JsonSerializerOptions SchemaJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A plan's rules by type, key and version. Needs Tracking Plan Read-only or Admin.</summary>
    public async Task<Outcome<Page<RuleView>>> ListRulesAsync(
        Principal caller, string trackingPlanId, int offset, int count, CancellationToken cancellationToken)
    {
        var (plan, problem) = await LoadPlanAsync(caller, trackingPlanId, AccessLevel.Read, "Reading", tracked: false, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var query = db.TrackingPlanRules.AsNoTracking().Where(r => r.TrackingPlanId == plan!.Id);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(r => r.Type).ThenBy(r => r.Key).ThenBy(r => r.Version).Skip(offset).Take(count).ToListAsync(cancellationToken);
        return new Page<RuleView>(rows.Select(RuleViewOf).ToList(), total);
    }

    /// <summary>
    /// Makes the plan's rules exactly <paramref name="rules"/>: rules not listed are removed, listed ones are created or
    /// get the given schema. A rule whose schema does not change keeps its history as it is.
    /// </summary>
    public async Task<Outcome<RulesChange>> ReplaceRulesAsync(
        Principal caller, string trackingPlanId, IReadOnlyList<RuleInput> rules, CancellationToken cancellationToken)
    {
        var (plan, problem) = await LoadPlanAsync(caller, trackingPlanId, AccessLevel.Write, "Changing", tracked: true, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (rules.Count > MaxRulesPerPlan)
        {
            return Problem.Invalid($"rules: a tracking plan holds at most {MaxRulesPerPlan} rules; {rules.Count} were sent.", "rules");
        }

        var existing = await db.TrackingPlanRules.Where(r => r.TrackingPlanId == plan!.Id).ToListAsync(cancellationToken);
        var byIdentity = existing.ToDictionary(Identity);
        var desired = new Dictionary<RuleIdentity, (int Index, string Schema)>();
        var operations = new List<RuleOperation>();
        for (var i = 0; i < rules.Count; i++)
        {
            var input = rules[i];
            if (CheckRule(input, i) is { } invalid)
            {
                return invalid;
            }

            var identity = new RuleIdentity(input.Type, input.Key ?? "", input.Version);
            if (desired.TryGetValue(identity, out var earlier))
            {
                return Problem.Invalid($"rules[{i}] names the same rule as rules[{earlier.Index}]: {Describe(identity)}.", $"rules[{i}]");
            }

            if (!RuleTypes.HasVersions(input.Type) && OtherVersion(desired.Keys, identity) is { } other)
            {
                return OneVersionOnly(i, identity, other);
            }

            var schema = StoredSchema(input.JsonSchema);
            desired[identity] = (i, schema);
            if (!byIdentity.TryGetValue(identity, out var current))
            {
                operations.Add(new RuleOperation(RuleChange.Created, null, identity, identity, schema));
            }
            else if (current.JsonSchema != schema)
            {
                operations.Add(new RuleOperation(RuleChange.Updated, current, identity, identity, schema));
            }
        }

        operations.AddRange(existing.Where(r => !desired.ContainsKey(Identity(r)))
            .Select(r => new RuleOperation(RuleChange.Deleted, r, Identity(r), Identity(r), r.JsonSchema)));
        return await ApplyAsync(caller, plan!, operations, cancellationToken);
    }

    /// <summary>
    /// Creates or changes the given rules and leaves the others as they are. A rule with <see cref="RuleInput.NewKey"/>
    /// is renamed (its history follows it); for a rule the plan does not have, the new key names the rule created.
    /// </summary>
    public async Task<Outcome<RulesChange>> UpsertRulesAsync(
        Principal caller, string trackingPlanId, IReadOnlyList<RuleInput> rules, CancellationToken cancellationToken)
    {
        var (plan, problem) = await LoadPlanAsync(caller, trackingPlanId, AccessLevel.Write, "Changing", tracked: true, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var existing = await db.TrackingPlanRules.Where(r => r.TrackingPlanId == plan!.Id).ToListAsync(cancellationToken);

        // What the plan would hold after each input, so that every check sees the inputs before it.
        var state = existing.ToDictionary(Identity, r => (Rule: (TrackingPlanRuleEntity?)r, r.JsonSchema));
        var touched = new Dictionary<RuleIdentity, int>();
        var operations = new List<RuleOperation>();
        for (var i = 0; i < rules.Count; i++)
        {
            var input = rules[i];
            if (CheckRule(input, i) is { } invalid)
            {
                return invalid;
            }

            var identity = new RuleIdentity(input.Type, input.Key ?? "", input.Version);
            var target = identity with { Key = input.NewKey ?? identity.Key };
            if (touched.TryGetValue(identity, out var earlier) || touched.TryGetValue(target, out earlier))
            {
                return Problem.Invalid($"rules[{i}] names the same rule as rules[{earlier}]: {Describe(identity)}.", $"rules[{i}]");
            }

            touched[identity] = i;
            touched[target] = i;
            if (target != identity && state.ContainsKey(target))
            {
                return Problem.Conflict($"rules[{i}].newKey: the plan already has {Describe(target)}; remove it or choose another key.", $"rules[{i}].newKey");
            }

            var schema = StoredSchema(input.JsonSchema);
            if (state.TryGetValue(identity, out var slot))
            {
                state.Remove(identity);
                state[target] = (slot.Rule, schema);
                if (target != identity || slot.JsonSchema != schema)
                {
                    var change = target != identity ? RuleChange.Renamed : RuleChange.Updated;
                    operations.Add(new RuleOperation(change, slot.Rule, identity, target, schema));
                }
            }
            else
            {
                state[target] = (null, schema);
                operations.Add(new RuleOperation(RuleChange.Created, null, target, target, schema));
            }

            if (!RuleTypes.HasVersions(input.Type) && OtherVersion(state.Keys, target) is { } other)
            {
                return OneVersionOnly(i, target, other);
            }
        }

        if (state.Count > MaxRulesPerPlan)
        {
            return Problem.Invalid($"rules: a tracking plan holds at most {MaxRulesPerPlan} rules; this change would make {state.Count}.", "rules");
        }

        return await ApplyAsync(caller, plan!, operations, cancellationToken);
    }

    /// <summary>Removes the named rules; names of rules the plan does not have are ignored.</summary>
    public async Task<Outcome<RulesChange>> DeleteRulesAsync(
        Principal caller, string trackingPlanId, IReadOnlyList<RuleRef> rules, CancellationToken cancellationToken)
    {
        var (plan, problem) = await LoadPlanAsync(caller, trackingPlanId, AccessLevel.Write, "Changing", tracked: true, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var named = rules.Select(r => new RuleIdentity(r.Type, r.Key ?? "", r.Version)).ToHashSet();
        var existing = await db.TrackingPlanRules.Where(r => r.TrackingPlanId == plan!.Id).ToListAsync(cancellationToken);
        var operations = existing.Where(r => named.Contains(Identity(r)))
            .Select(r => new RuleOperation(RuleChange.Deleted, r, Identity(r), Identity(r), r.JsonSchema))
            .ToList();
        return await ApplyAsync(caller, plan!, operations, cancellationToken);
    }

    /// <summary>
    /// The history of a rule, newest change first: every revision of the rules that have (or had) this type and key,
    /// of every version or of <paramref name="version"/> only. A rule renamed keeps its history under its new key, and
    /// the revisions made before the rename are found under the old key too. Not found when there is no such history.
    /// </summary>
    public async Task<Outcome<Page<RuleRevisionView>>> RuleHistoryAsync(
        Principal caller, string trackingPlanId, RuleType type, string? key, int? version, int offset, int count, CancellationToken cancellationToken)
    {
        var (plan, problem) = await LoadPlanAsync(caller, trackingPlanId, AccessLevel.Read, "Reading", tracked: false, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var typeName = RuleTypes.Name(type);
        var stored = key ?? "";
        var current = db.TrackingPlanRules.Where(r => r.TrackingPlanId == plan!.Id && r.Type == typeName && r.Key == stored
            && (version == null || r.Version == version)).Select(r => r.Id);
        var query = db.TrackingPlanRuleRevisions.AsNoTracking().Where(r => r.TrackingPlanId == plan!.Id
            && ((r.Type == typeName && r.Key == stored && (version == null || r.Version == version)) || current.Contains(r.RuleId)));
        var total = await query.CountAsync(cancellationToken);
        if (total == 0)
        {
            var named = RuleTypes.Name(type) + (key is null ? "" : $" \"{key}\"") + (version is null ? "" : $" v{version}");
            return new Problem(ProblemKind.NotFound, $"The plan has no rule {named}, now or in its history.");
        }

        var rows = await query.OrderByDescending(r => r.ChangedAt).ThenByDescending(r => r.Revision).Skip(offset).Take(count).ToListAsync(cancellationToken);
        return new Page<RuleRevisionView>(rows.Select(RevisionViewOf).ToList(), total);
    }

    /// <summary>
    /// Structural checks of one input rule (key and new key for its type, version, schema an object), then the
    /// Protocols engine's verdict on its schema; each problem names the input (<c>rules[3].jsonSchema</c>) and the rule.
    /// </summary>
    private static Problem? CheckRule(RuleInput input, int index)
    {
        var field = $"rules[{index}]";
        var key = input.Key ?? "";
        var described = RuleTypes.Describe(input.Type, input.Key, input.Version);
        if (!RuleTypes.HasKey(input.Type) && key.Length > 0)
        {
            return Problem.Invalid($"{field}.key: {RuleTypes.Name(input.Type)} rules have no key; leave it out.", $"{field}.key");
        }

        if (input.Type == RuleType.Track && key.Length == 0)
        {
            return Problem.Invalid($"{field}.key is required for TRACK rules: the exact event name.", $"{field}.key");
        }

        if (key.Length > MaxKeyLength)
        {
            return Problem.Invalid($"{field}.key must be at most {MaxKeyLength} characters.", $"{field}.key");
        }

        if (input.NewKey is { } newKey
            && (!RuleTypes.HasKey(input.Type) || (input.Type == RuleType.Track && newKey.Length == 0) || newKey.Length > MaxKeyLength))
        {
            return Problem.Invalid(
                RuleTypes.HasKey(input.Type)
                    ? $"{field}.newKey must be 1 to {MaxKeyLength} characters."
                    : $"{field}.newKey: {RuleTypes.Name(input.Type)} rules have no key to rename.",
                $"{field}.newKey");
        }

        if (input.Version < 1)
        {
            return Problem.Invalid($"{field}.version must be a whole number from 1.", $"{field}.version");
        }

        if (input.JsonSchema.ValueKind != JsonValueKind.Object)
        {
            return Problem.Invalid($"{field}.jsonSchema must be a JSON Schema object ({described}).", $"{field}.jsonSchema");
        }

        var rule = new PlanRule(input.Type, input.NewKey ?? input.Key, input.Version, input.JsonSchema);
        return PlanCompiler.Problem(rule) is { } problem
            ? Problem.Invalid($"{field}.jsonSchema ({described}): {problem}", $"{field}.jsonSchema")
            : null;
    }

    /// <summary>Another version of the same type and key among <paramref name="identities"/>, or null.</summary>
    private static int? OtherVersion(IEnumerable<RuleIdentity> identities, RuleIdentity identity) =>
        identities.Where(i => i.Type == identity.Type && i.Key == identity.Key && i.Version != identity.Version)
            .Select(i => (int?)i.Version)
            .FirstOrDefault();

    private static Problem OneVersionOnly(int index, RuleIdentity identity, int other) =>
        Problem.Invalid(
            $"rules[{index}].version: {RuleTypes.Name(identity.Type)} rules have one version, and the plan would hold version {other} "
            + $"of {Describe(identity with { Version = other })} too; change that rule instead.",
            $"rules[{index}].version");

    /// <summary>
    /// Writes the operations with a revision each, updates the plan's change time, records one audit entry and saves
    /// once. Two changes of the same plan at the same instant can collide on a revision number: the second is
    /// answered with a conflict to send again.
    /// </summary>
    private async Task<Outcome<RulesChange>> ApplyAsync(
        Principal caller, TrackingPlanEntity plan, List<RuleOperation> operations, CancellationToken cancellationToken)
    {
        if (operations.Count == 0)
        {
            return new RulesChange([], [], []);
        }

        var now = time.GetUtcNow();
        var ruleIds = operations.Where(o => o.Rule is not null).Select(o => o.Rule!.Id).ToList();
        var revisions = await db.TrackingPlanRuleRevisions
            .Where(r => r.TrackingPlanId == plan.Id && ruleIds.Contains(r.RuleId))
            .GroupBy(r => r.RuleId)
            .Select(g => new { RuleId = g.Key, Last = g.Max(r => r.Revision) })
            .ToDictionaryAsync(r => r.RuleId, r => r.Last, StringComparer.Ordinal, cancellationToken);
        var actor = Actor.Of(caller);
        var created = new List<string>();
        var updated = new List<string>();
        var deleted = new List<string>();

        // Removals and renames first, so that a key freed by one can be taken by another in the same save.
        foreach (var operation in operations.OrderBy(o => o.Change == RuleChange.Deleted ? 0 : o.Change == RuleChange.Renamed ? 1 : 2))
        {
            var rule = operation.Rule;
            switch (operation.Change)
            {
                case RuleChange.Created:
                    rule = new TrackingPlanRuleEntity
                    {
                        Id = Ids.New("tpr"),
                        TrackingPlanId = plan.Id,
                        Type = RuleTypes.Name(operation.To.Type),
                        Key = operation.To.Key,
                        Version = operation.To.Version,
                        JsonSchema = operation.Schema,
                        CreatedAt = now,
                        UpdatedAt = now,
                    };
                    db.TrackingPlanRules.Add(rule);
                    created.Add(Describe(operation.To));
                    break;
                case RuleChange.Deleted:
                    db.TrackingPlanRules.Remove(rule!);
                    deleted.Add(Describe(operation.From));
                    break;
                default:
                    rule!.Key = operation.To.Key;
                    rule.JsonSchema = operation.Schema;
                    rule.UpdatedAt = now;
                    updated.Add(operation.Change == RuleChange.Renamed ? $"{Describe(operation.From)} → \"{operation.To.Key}\"" : Describe(operation.To));
                    break;
            }

            var revision = revisions.GetValueOrDefault(rule!.Id) + 1;
            revisions[rule.Id] = revision;
            db.TrackingPlanRuleRevisions.Add(new TrackingPlanRuleRevisionEntity
            {
                Id = Ids.New("tprv"),
                TrackingPlanId = plan.Id,
                RuleId = rule.Id,
                Revision = revision,
                Change = operation.Change.ToString().ToUpperInvariant(),
                Type = RuleTypes.Name(operation.To.Type),
                Key = operation.To.Key,
                PreviousKey = operation.Change == RuleChange.Renamed ? operation.From.Key : null,
                Version = operation.To.Version,
                JsonSchema = operation.Schema,
                ChangedAt = now,
                ActorKind = actor.Kind,
                ActorId = actor.Id,
                ActorName = actor.Name,
            });
        }

        plan.UpdatedAt = now;
        var change = new RulesChange(created, updated, deleted);
        RecordPlan(caller, "Tracking Plan Rules Modified", plan, after: new { created, updated, deleted });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return Problem.Conflict("The plan's rules were changed by another request at the same moment; send this change again.", "rules");
        }

        await PublishAsync();
        return change;
    }

    private static RuleIdentity Identity(TrackingPlanRuleEntity rule) =>
        new(RuleTypes.Parse(rule.Type) ?? RuleType.Common, rule.Key, rule.Version);

    private static string Describe(RuleIdentity identity) => RuleTypes.Describe(identity.Type, identity.Key, identity.Version);

    /// <summary>The schema as stored: compact JSON, so that the same schema sent again with other spacing is not a change.</summary>
    private static string StoredSchema(JsonElement schema) => JsonSerializer.Serialize(schema, SchemaJson);

    private static RuleView RuleViewOf(TrackingPlanRuleEntity rule) => new(
        rule.Id,
        RuleTypes.Parse(rule.Type) ?? RuleType.Common,
        rule.Key.Length == 0 ? null : rule.Key,
        rule.Version,
        JsonSerializer.Deserialize<JsonElement>(rule.JsonSchema),
        rule.CreatedAt,
        rule.UpdatedAt,
        rule.DeprecatedAt);

    private static RuleRevisionView RevisionViewOf(TrackingPlanRuleRevisionEntity revision) => new(
        revision.RuleId,
        revision.Revision,
        revision.Change,
        RuleTypes.Parse(revision.Type) ?? RuleType.Common,
        revision.Key.Length == 0 ? null : revision.Key,
        revision.PreviousKey,
        revision.Version,
        JsonSerializer.Deserialize<JsonElement>(revision.JsonSchema),
        revision.ChangedAt,
        revision.ActorKind.ToString().ToUpperInvariant(),
        revision.ActorId,
        revision.ActorName);

    /// <summary>A rule's identity in a plan: type, key (empty for none) and version.</summary>
    private readonly record struct RuleIdentity(RuleType Type, string Key, int Version);

    private enum RuleChange
    {
        Created,
        Updated,
        Renamed,
        Deleted,
    }

    /// <summary>One change to write: the rule (null when created), its identity before and after, and the schema it has afterwards.</summary>
    private sealed record RuleOperation(RuleChange Change, TrackingPlanRuleEntity? Rule, RuleIdentity From, RuleIdentity To, string Schema);
}
