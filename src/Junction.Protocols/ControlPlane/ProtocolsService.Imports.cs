using Junction.Protocols.Observation;
using Junction.Protocols.Plans;
using Junction.Protocols.Processing;
using Junction.Protocols.Templates;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Protocols.ControlPlane;

/// <summary>
/// Adding ready-made rules to a plan: from what a source has sent (its observed schema) or from one of Segment's spec
/// templates. Only rules the plan does not have yet are added (a rule of the same type and key, of any version, is
/// left as the plan has it), so that importing again never undoes a rule someone tightened.
/// </summary>
internal sealed partial class ProtocolsService
{
    /// <summary>
    /// Adds a rule for every event the source sent within <paramref name="window"/> (every event seen when null),
    /// leaving out events archived or blocked in the schema view. Needs Tracking Plan Admin and read access to the source.
    /// </summary>
    public async Task<Outcome<RulesAdded>> ImportSchemaAsync(
        Principal caller, string trackingPlanId, string sourceId, TimeSpan? window, CancellationToken cancellationToken)
    {
        var (plan, problem) = await LoadPlanAsync(caller, trackingPlanId, AccessLevel.Write, "Changing", tracked: true, cancellationToken);
        var source = sources.FindById(sourceId);
        if ((problem ?? ProtocolsAccess.CheckImport(caller, new TrackingPlanInfo(trackingPlanId, caller.WorkspaceId, plan?.Name ?? ""), source)) is { } denied)
        {
            return denied;
        }

        if (services.GetService<ISchemaInventory>() is not { } inventory)
        {
            return Problem.Conflict("This server does not observe schemas, so there is no observed schema to import.", "sourceId");
        }

        var since = window is { } span ? time.GetUtcNow() - span : DateTimeOffset.MinValue;
        var events = (await inventory.ListAsync(sourceId, cancellationToken))
            .Where(e => !e.IsArchived && !e.IsBlocked && e.LastSeen >= since)
            .OrderBy(e => e.Type, StringComparer.Ordinal).ThenBy(e => e.Name, StringComparer.Ordinal);
        return await AddMissingRulesAsync(caller, plan!, ObservedSchemaRules.From(events), cancellationToken);
    }

    /// <summary>Adds the rules of one of Segment's spec templates (<see cref="SpecTemplates.All"/>) that the plan does not have.</summary>
    public async Task<Outcome<RulesAdded>> AddTemplateAsync(Principal caller, string trackingPlanId, string templateId, CancellationToken cancellationToken)
    {
        var (plan, problem) = await LoadPlanAsync(caller, trackingPlanId, AccessLevel.Write, "Changing", tracked: true, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (SpecTemplates.Find(templateId) is not { } template)
        {
            return new Problem(
                ProblemKind.NotFound,
                $"There is no spec template \"{templateId}\"; GET /protocols/templates lists them ({string.Join(", ", SpecTemplates.All.Select(t => t.Id))}).",
                "templateId");
        }

        return await AddMissingRulesAsync(caller, plan!, template.Rules, cancellationToken);
    }

    /// <summary>Adds the rules whose type and key the plan does not have; the others are reported as skipped.</summary>
    private async Task<Outcome<RulesAdded>> AddMissingRulesAsync(
        Principal caller, TrackingPlanEntity plan, IReadOnlyList<PlanRule> rules, CancellationToken cancellationToken)
    {
        var existing = await db.TrackingPlanRules.Where(r => r.TrackingPlanId == plan.Id).ToListAsync(cancellationToken);
        var present = existing.Select(r => (r.Type, r.Key)).ToHashSet();
        var operations = new List<RuleOperation>();
        var skipped = new List<string>();
        foreach (var rule in rules)
        {
            var identity = new RuleIdentity(rule.Type, rule.Key ?? "", rule.Version);
            if (!present.Add((RuleTypes.Name(rule.Type), identity.Key)))
            {
                skipped.Add($"{Describe(identity)}: the plan has this rule already");
            }
            else if (PlanCompiler.Problem(rule) is { } unusable)
            {
                skipped.Add($"{Describe(identity)}: {unusable}");
            }
            else
            {
                operations.Add(new RuleOperation(RuleChange.Created, null, identity, identity, StoredSchema(rule.JsonSchema)));
            }
        }

        if (existing.Count + operations.Count > MaxRulesPerPlan)
        {
            return Problem.Invalid(
                $"Adding {operations.Count} rules would make the plan hold more than {MaxRulesPerPlan} rules.", "rules");
        }

        var applied = await ApplyAsync(caller, plan, operations, cancellationToken);
        return applied.Problem is { } failed ? failed : new RulesAdded(applied.Value!.Created, skipped);
    }
}
