using System.Text;
using Junction.Protocols.Processing;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Junction.Workspace.Sources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Junction.Protocols.ControlPlane;

/// <summary>
/// Tracking plans with their rules, rule history and sources, sources' schema controls, transformations and the
/// workspace's naming conventions, for the Public API and the web app alike: every rule about them lives here. Each
/// operation takes the caller's <see cref="Principal"/> and is scoped to its workspace (another workspace's plan,
/// transformation or source is not found), checked with <see cref="ProtocolsAccess"/>, validated (rule schemas and
/// transformations by the Protocols engine), recorded in the audit trail in the same save as the change, and then
/// published to <see cref="ProtocolsDirectory"/> for the processor.
/// </summary>
internal sealed partial class ProtocolsService(
    JunctionDbContext db,
    ProtocolsDirectory directory,
    ISourceLookup sources,
    SourceService sourceService,
    AuditTrail audit,
    IServiceProvider services,
    TimeProvider time,
    ILogger<ProtocolsService> logger)
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 2000;
    public const int MaxSlugLength = 100;

    /// <summary>The resource type of tracking plans in the audit trail.</summary>
    public const string PlanResourceType = "TRACKING_PLAN";

    /// <summary>The resource type of transformations in the audit trail.</summary>
    public const string TransformationResourceType = "TRANSFORMATION";

    /// <summary>
    /// The workspace's tracking plans, oldest first; <paramref name="type"/> narrows them to one of Segment's plan types
    /// (only <c>LIVE</c> plans exist here). Needs Tracking Plan Read-only or Admin.
    /// </summary>
    public async Task<Outcome<Page<TrackingPlanView>>> ListPlansAsync(
        Principal caller, string? type, int offset, int count, CancellationToken cancellationToken)
    {
        if (ProtocolsAccess.CheckPlans(caller, AccessLevel.Read, "Reading tracking plans") is { } denied)
        {
            return denied;
        }

        if (type is not null && !TrackingPlanTypes.All.Contains(type, StringComparer.Ordinal))
        {
            return Problem.Invalid($"type must be one of {string.Join(", ", TrackingPlanTypes.All)}.", "type");
        }

        var query = db.TrackingPlans.AsNoTracking().Where(p => p.WorkspaceId == caller.WorkspaceId);
        if (type is not null)
        {
            query = query.Where(p => p.Type == type);
        }

        var total = await query.CountAsync(cancellationToken);
        var page = await query.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).Skip(offset).Take(count).ToListAsync(cancellationToken);
        return new Page<TrackingPlanView>(page.Select(View).ToList(), total);
    }

    public async Task<Outcome<TrackingPlanView>> FindPlanAsync(Principal caller, string trackingPlanId, CancellationToken cancellationToken)
    {
        var (plan, problem) = await LoadPlanAsync(caller, trackingPlanId, AccessLevel.Read, "Reading", tracked: false, cancellationToken);
        return problem ?? (Outcome<TrackingPlanView>)View(plan!);
    }

    /// <summary>Creates an empty <c>LIVE</c> plan, with a slug made from its name and unique in the workspace.</summary>
    public async Task<Outcome<TrackingPlanView>> CreatePlanAsync(Principal caller, NewTrackingPlan input, CancellationToken cancellationToken)
    {
        if (ProtocolsAccess.CheckPlans(caller, AccessLevel.Write, "Creating a tracking plan") is { } denied)
        {
            return denied;
        }

        if (input.Type != TrackingPlanTypes.Live)
        {
            return TrackingPlanTypes.All.Contains(input.Type, StringComparer.Ordinal)
                ? Problem.Invalid($"type {input.Type} is not supported: Junction makes LIVE tracking plans only.", "type")
                : Problem.Invalid($"type must be one of {string.Join(", ", TrackingPlanTypes.All)}.", "type");
        }

        var name = input.Name.Trim();
        if ((CheckName(name) ?? CheckDescription(input.Description)) is { } invalid)
        {
            return invalid;
        }

        var now = time.GetUtcNow();
        var plan = new TrackingPlanEntity
        {
            Id = Ids.New("tp"),
            WorkspaceId = caller.WorkspaceId,
            Name = name,
            Slug = await UniqueSlugAsync(caller.WorkspaceId, name, cancellationToken),
            Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim(),
            Type = TrackingPlanTypes.Live,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.TrackingPlans.Add(plan);
        RecordPlan(caller, "Tracking Plan Created", plan, after: Snapshot(plan));
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        LogPlanCreated(logger, plan.Id, caller.WorkspaceId);
        return View(plan);
    }

    /// <summary>Renames a plan or changes its description (an empty one removes it). The slug stays as it was made.</summary>
    public async Task<Outcome<TrackingPlanView>> UpdatePlanAsync(
        Principal caller, string trackingPlanId, TrackingPlanChanges changes, CancellationToken cancellationToken)
    {
        var (plan, problem) = await LoadPlanAsync(caller, trackingPlanId, AccessLevel.Write, "Changing", tracked: true, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var name = changes.Name?.Trim();
        if (((name is null ? null : CheckName(name)) ?? CheckDescription(changes.Description)) is { } invalid)
        {
            return invalid;
        }

        var before = Snapshot(plan!);
        plan!.Name = name ?? plan.Name;
        if (changes.Description is not null)
        {
            plan.Description = string.IsNullOrWhiteSpace(changes.Description) ? null : changes.Description.Trim();
        }

        plan.UpdatedAt = time.GetUtcNow();
        RecordPlan(caller, "Tracking Plan Modified", plan, before, Snapshot(plan));
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        return View(plan);
    }

    /// <summary>
    /// Deletes a plan with its rules and their history; its sources are disconnected (their events are no longer
    /// checked). A deleted plan cannot be recovered, as in Segment.
    /// </summary>
    public async Task<Outcome<TrackingPlanView>> DeletePlanAsync(Principal caller, string trackingPlanId, CancellationToken cancellationToken)
    {
        var (plan, problem) = await LoadPlanAsync(caller, trackingPlanId, AccessLevel.Write, "Deleting", tracked: true, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var view = View(plan!);
        var connected = await db.TrackingPlanSources.Where(c => c.TrackingPlanId == plan!.Id).Select(c => c.SourceId).ToListAsync(cancellationToken);
        var ruleCount = await db.TrackingPlanRules.CountAsync(r => r.TrackingPlanId == plan!.Id, cancellationToken);
        RecordPlan(caller, "Tracking Plan Deleted", plan!, before: new { plan = Snapshot(plan!), rules = ruleCount, sources = connected });
        db.TrackingPlans.Remove(plan!);
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        LogPlanDeleted(logger, plan!.Id, caller.WorkspaceId);
        return view;
    }

    public static Problem? CheckName(string name) =>
        name.Length is > 0 and <= MaxNameLength
            ? null
            : Problem.Invalid($"name must be 1 to {MaxNameLength} characters and not only spaces.", "name");

    private static Problem? CheckDescription(string? description) =>
        description is null || description.Length <= MaxDescriptionLength
            ? null
            : Problem.Invalid($"description must be at most {MaxDescriptionLength} characters.", "description");

    /// <summary>A slug made from a name (<c>Web plan</c> → <c>web-plan</c>), with <c>-2</c>, <c>-3</c>… added when the workspace has it already.</summary>
    private async Task<string> UniqueSlugAsync(string workspaceId, string name, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                text.Append(c);
            }
            else if (text.Length > 0 && text[^1] != '-')
            {
                text.Append('-');
            }
        }

        var stem = text.ToString().Trim('-');
        stem = stem.Length == 0 ? "tracking-plan" : stem[..Math.Min(stem.Length, MaxSlugLength - 4)].TrimEnd('-');
        var taken = await db.TrackingPlans.Where(p => p.WorkspaceId == workspaceId && p.Slug.StartsWith(stem))
            .Select(p => p.Slug).ToListAsync(cancellationToken);
        var slug = stem;
        for (var n = 2; taken.Contains(slug, StringComparer.Ordinal); n++)
        {
            slug = $"{stem}-{n}";
        }

        return slug;
    }

    private static TrackingPlanView View(TrackingPlanEntity plan) =>
        new(plan.Id, plan.WorkspaceId, plan.Name, plan.Slug, plan.Description, plan.Type, plan.CreatedAt, plan.UpdatedAt);

    /// <summary>
    /// Loads a plan of the caller's workspace after checking the caller's access to it: not found (unknown, or another
    /// workspace's), forbidden, or the plan.
    /// </summary>
    private async Task<(TrackingPlanEntity? Plan, Problem? Problem)> LoadPlanAsync(
        Principal caller, string trackingPlanId, AccessLevel needed, string action, bool tracked, CancellationToken cancellationToken)
    {
        var query = tracked ? db.TrackingPlans : db.TrackingPlans.AsNoTracking();
        var plan = await query.FirstOrDefaultAsync(p => p.Id == trackingPlanId && p.WorkspaceId == caller.WorkspaceId, cancellationToken);
        if (plan is null)
        {
            return (null, Problem.NotFound("Tracking plan"));
        }

        var info = new TrackingPlanInfo(plan.Id, plan.WorkspaceId, plan.Name);
        return ProtocolsAccess.CheckPlan(caller, needed, info, action) is { } problem ? (null, problem) : (plan, null);
    }

    private void RecordPlan(Principal caller, string type, TrackingPlanEntity plan, object? before = null, object? after = null) =>
        audit.Record(caller.WorkspaceId, Actor.Of(caller), type, PlanResourceType, plan.Id, plan.Name, before, after);

    private static object Snapshot(TrackingPlanEntity plan) => new { id = plan.Id, name = plan.Name, slug = plan.Slug, description = plan.Description, type = plan.Type };

    /// <summary>Rebuilds the processor's snapshot. The change is already saved, so this is not abandoned when the caller goes away.</summary>
    private Task PublishAsync() => directory.RefreshAsync(CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created tracking plan {TrackingPlanId} in workspace {WorkspaceId}.")]
    private static partial void LogPlanCreated(ILogger logger, string trackingPlanId, string workspaceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted tracking plan {TrackingPlanId} from workspace {WorkspaceId}.")]
    private static partial void LogPlanDeleted(ILogger logger, string trackingPlanId, string workspaceId);
}
