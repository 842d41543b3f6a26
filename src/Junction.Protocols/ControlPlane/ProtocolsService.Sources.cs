using Junction.Protocols.Processing;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Data;
using Junction.Workspace.Sources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Junction.Protocols.ControlPlane;

/// <summary>Sources connected to tracking plans: connecting, disconnecting and listing. A source has at most one plan.</summary>
internal sealed partial class ProtocolsService
{
    /// <summary>
    /// Connects a source to a plan: from then on its events are checked against the plan. Connecting it again changes
    /// nothing; a source connected to another plan is refused (disconnect it there first), as a source has one plan.
    /// </summary>
    public async Task<Outcome<string>> ConnectSourceAsync(Principal caller, string trackingPlanId, string sourceId, CancellationToken cancellationToken)
    {
        var (plan, problem) = await LoadConnectableAsync(caller, trackingPlanId, sourceId, "Connecting", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var current = await db.TrackingPlanSources.AsNoTracking().FirstOrDefaultAsync(c => c.SourceId == sourceId, cancellationToken);
        if (current is not null)
        {
            if (current.TrackingPlanId == plan!.Id)
            {
                return "SUCCESS";
            }

            var other = await db.TrackingPlans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == current.TrackingPlanId, cancellationToken);
            return Problem.Conflict(
                $"Source {sourceId} is already connected to tracking plan \"{other?.Name}\" ({current.TrackingPlanId}), and a source has one "
                + "tracking plan: remove it from that plan first.",
                "sourceId");
        }

        db.TrackingPlanSources.Add(new TrackingPlanSourceEntity { SourceId = sourceId, TrackingPlanId = plan!.Id, ConnectedAt = time.GetUtcNow() });
        RecordPlan(caller, "Tracking Plan Source Connected", plan, after: new { sourceId, sourceSlug = sources.FindById(sourceId)?.Slug });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return Problem.Conflict($"Source {sourceId} was connected to a tracking plan by another request at the same moment.", "sourceId");
        }

        await PublishAsync();
        LogSourceConnected(logger, sourceId, plan.Id);
        return "SUCCESS";
    }

    /// <summary>Disconnects a source from a plan: its events are no longer checked. Not found when it is not connected to this plan.</summary>
    public async Task<Outcome<string>> DisconnectSourceAsync(Principal caller, string trackingPlanId, string sourceId, CancellationToken cancellationToken)
    {
        var (plan, problem) = await LoadConnectableAsync(caller, trackingPlanId, sourceId, "Disconnecting", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var connection = await db.TrackingPlanSources.FirstOrDefaultAsync(c => c.SourceId == sourceId && c.TrackingPlanId == plan!.Id, cancellationToken);
        if (connection is null)
        {
            return new Problem(ProblemKind.NotFound, $"Source {sourceId} is not connected to tracking plan {plan!.Id}.", "sourceId");
        }

        db.TrackingPlanSources.Remove(connection);
        RecordPlan(caller, "Tracking Plan Source Disconnected", plan!, before: new { sourceId, sourceSlug = sources.FindById(sourceId)?.Slug });
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        LogSourceDisconnected(logger, sourceId, plan!.Id);
        return "SUCCESS";
    }

    /// <summary>The sources connected to a plan that the caller may read (the others are left out), oldest connection first.</summary>
    public async Task<Outcome<Page<SourceView>>> ListPlanSourcesAsync(
        Principal caller, string trackingPlanId, int offset, int count, CancellationToken cancellationToken)
    {
        var (plan, problem) = await LoadPlanAsync(caller, trackingPlanId, AccessLevel.Read, "Reading", tracked: false, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var connected = await db.TrackingPlanSources.AsNoTracking()
            .Where(c => c.TrackingPlanId == plan!.Id)
            .OrderBy(c => c.ConnectedAt).ThenBy(c => c.SourceId)
            .Select(c => c.SourceId)
            .ToListAsync(cancellationToken);
        return await sourceService.ListReadableAsync(caller, connected, offset, count, cancellationToken);
    }

    /// <summary>The plan a source is connected to (none when it has none); needs read access to the source and to tracking plans.</summary>
    public async Task<Outcome<SourcePlanView>> PlanOfSourceAsync(Principal caller, string sourceId, CancellationToken cancellationToken)
    {
        if ((SourceAccess.Check(caller, AccessLevel.Read, sources.FindById(sourceId), "Reading")
             ?? ProtocolsAccess.CheckPlans(caller, AccessLevel.Read, "Reading the tracking plan of a source")) is { } denied)
        {
            return denied;
        }

        var plan = await db.TrackingPlanSources.AsNoTracking()
            .Where(c => c.SourceId == sourceId)
            .Join(db.TrackingPlans.AsNoTracking(), c => c.TrackingPlanId, p => p.Id, (_, p) => p)
            .FirstOrDefaultAsync(p => p.WorkspaceId == caller.WorkspaceId, cancellationToken);
        return new SourcePlanView(sourceId, plan is null ? null : View(plan));
    }

    /// <summary>Loads the plan for connecting or disconnecting a source, after checking access to both.</summary>
    private async Task<(TrackingPlanEntity? Plan, Problem? Problem)> LoadConnectableAsync(
        Principal caller, string trackingPlanId, string sourceId, string action, CancellationToken cancellationToken)
    {
        var plan = await db.TrackingPlans.AsNoTracking()
            .FirstOrDefaultAsync(p => p.Id == trackingPlanId && p.WorkspaceId == caller.WorkspaceId, cancellationToken);
        var info = plan is null ? null : new TrackingPlanInfo(plan.Id, plan.WorkspaceId, plan.Name);
        var problem = ProtocolsAccess.CheckConnect(caller, info, sources.FindById(sourceId), action);
        return problem is null ? (plan, null) : (null, problem);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected source {SourceId} to tracking plan {TrackingPlanId}.")]
    private static partial void LogSourceConnected(ILogger logger, string sourceId, string trackingPlanId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Disconnected source {SourceId} from tracking plan {TrackingPlanId}.")]
    private static partial void LogSourceDisconnected(ILogger logger, string sourceId, string trackingPlanId);
}
