using Junction.Protocols.Controls;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Junction.Workspace.Sources;
using Microsoft.EntityFrameworkCore;

namespace Junction.Protocols.ControlPlane;

/// <summary>
/// A source's schema controls (Segment's Schema Configuration): reading them needs read access to the source,
/// changing them Source Admin on it. Forwarding blocked events or violations writes events into another source, so
/// the target must be another source of the workspace on which the caller is Source Admin too.
/// </summary>
internal sealed partial class ProtocolsService
{
    /// <summary>A source's controls; a source never configured has the defaults, which allow everything.</summary>
    public async Task<Outcome<SchemaSettingsView>> GetSchemaSettingsAsync(Principal caller, string sourceId, CancellationToken cancellationToken)
    {
        var source = sources.FindById(sourceId);
        if (SourceAccess.Check(caller, AccessLevel.Read, source, "Reading") is { } denied)
        {
            return denied;
        }

        var row = await db.SourceSchemaSettings.AsNoTracking().FirstOrDefaultAsync(s => s.SourceId == sourceId, cancellationToken);
        return new SchemaSettingsView(sourceId, row is null ? SourceSchemaSettings.Default : Settings(row, source!));
    }

    /// <summary>
    /// Changes a source's controls: each member given replaces the stored one; a forwarding target given as null
    /// turns that forwarding off.
    /// </summary>
    public async Task<Outcome<SchemaSettingsView>> UpdateSchemaSettingsAsync(
        Principal caller, string sourceId, SchemaSettingsChanges changes, CancellationToken cancellationToken)
    {
        var source = sources.FindById(sourceId);
        if (SourceAccess.Check(caller, AccessLevel.Write, source, "Changing the schema settings of") is { } denied)
        {
            return denied;
        }

        if ((CheckTarget(caller, source!, changes.ForwardingBlockedEventsTo, "forwardingBlockedEventsTo")
             ?? CheckTarget(caller, source!, changes.ForwardingViolationsTo, "forwardingViolationsTo")) is { } badTarget)
        {
            return badTarget;
        }

        var row = await db.SourceSchemaSettings.FirstOrDefaultAsync(s => s.SourceId == sourceId, cancellationToken);
        if (row is null)
        {
            row = new SourceSchemaSettingsEntity { SourceId = sourceId };
            db.SourceSchemaSettings.Add(row);
        }

        var before = Settings(row, source!);
        var track = changes.Track;
        var identify = changes.Identify;
        var group = changes.Group;
        var after = new SourceSchemaSettings(
            new TrackControls(
                track?.AllowUnplannedEvents ?? before.Track.AllowUnplannedEvents,
                track?.AllowUnplannedEventProperties ?? before.Track.AllowUnplannedEventProperties,
                track?.AllowEventOnViolations ?? before.Track.AllowEventOnViolations,
                track?.AllowPropertiesOnViolations ?? before.Track.AllowPropertiesOnViolations,
                track?.CommonEventOnViolations ?? before.Track.CommonEventOnViolations),
            Merge(before.Identify, identify),
            Merge(before.Group, group),
            changes.ForwardingBlockedEventsTo is { } blocked ? blocked.SourceId : before.ForwardingBlockedEventsTo,
            changes.ForwardingViolationsTo is { } violations ? violations.SourceId : before.ForwardingViolationsTo);
        SchemaSettingsRows.Write(after, row);
        row.UpdatedAt = time.GetUtcNow();
        audit.Record(caller.WorkspaceId, Actor.Of(caller), "Source Schema Settings Modified", "SOURCE", source!.Id, source.Name ?? source.Slug,
            SchemaSettingsV1.From(new SchemaSettingsView(sourceId, before)).Settings, SchemaSettingsV1.From(new SchemaSettingsView(sourceId, after)).Settings);
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        return new SchemaSettingsView(sourceId, after);
    }

    private static TraitsControls Merge(TraitsControls current, TraitsControlsChanges? changes) => new(
        changes?.AllowUnplannedTraits ?? current.AllowUnplannedTraits,
        changes?.AllowTraitsOnViolations ?? current.AllowTraitsOnViolations,
        changes?.CommonEventOnViolations ?? current.CommonEventOnViolations);

    /// <summary>The stored controls, with a forwarding target that is no longer a source of the workspace read as none.</summary>
    private SourceSchemaSettings Settings(SourceSchemaSettingsEntity row, SourceInfo source)
    {
        var workspaces = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var target in new[] { row.ForwardingBlockedEventsTo, row.ForwardingViolationsTo })
        {
            if (target is not null && sources.FindById(target) is { } found)
            {
                workspaces[found.Id] = found.WorkspaceId;
            }
        }

        return SchemaSettingsRows.ToSettings(row, source.WorkspaceId, workspaces);
    }

    private Problem? CheckTarget(Principal caller, SourceInfo source, Forwarding? forwarding, string field)
    {
        if (forwarding?.SourceId is not { } targetId)
        {
            return null;
        }

        if (targetId == source.Id)
        {
            return Problem.Invalid($"{field}: a source cannot forward to itself; choose another source (Segment recommends one made for this).", field);
        }

        var target = sources.FindById(targetId);
        if (target is null || target.WorkspaceId != caller.WorkspaceId)
        {
            return Problem.Invalid($"{field}: there is no source {targetId} in this workspace.", field);
        }

        return caller.Can(AccessLevel.Write, target)
            ? null
            : Problem.Forbidden(
                $"{field}: forwarding events into source \"{target.Slug}\" ({target.Id}) needs "
                + $"{Denials.RoleNames(ResourceKind.Source, AccessLevel.Write)} on it, which the caller does not have.");
    }
}
