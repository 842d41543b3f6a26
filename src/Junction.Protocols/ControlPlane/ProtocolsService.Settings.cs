using Junction.Protocols.Naming;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;

namespace Junction.Protocols.ControlPlane;

/// <summary>A workspace's Protocols settings: the naming conventions the schema view checks names against.</summary>
internal sealed record ProtocolsSettingsView(EventNamingConvention EventNamingConvention, PropertyNamingConvention PropertyNamingConvention);

/// <summary>A change to the naming conventions; null members are not changed.</summary>
internal sealed record ProtocolsSettingsChanges(EventNamingConvention? EventNamingConvention = null, PropertyNamingConvention? PropertyNamingConvention = null);

/// <summary>
/// The workspace's naming conventions. Any member may read them (the schema view shows every reader the findings);
/// changing them needs Tracking Plan Admin, as they are part of the data standards a tracking plan sets.
/// </summary>
internal sealed partial class ProtocolsService
{
    /// <summary>The workspace's conventions; a workspace never configured has Segment's recommendations.</summary>
    public async Task<ProtocolsSettingsView> GetProtocolsSettingsAsync(Principal caller, CancellationToken cancellationToken)
    {
        var row = await db.ProtocolsSettings.AsNoTracking().FirstOrDefaultAsync(s => s.WorkspaceId == caller.WorkspaceId, cancellationToken);
        return SettingsView(row);
    }

    public async Task<Outcome<ProtocolsSettingsView>> UpdateProtocolsSettingsAsync(
        Principal caller, ProtocolsSettingsChanges changes, CancellationToken cancellationToken)
    {
        if (ProtocolsAccess.CheckPlans(caller, AccessLevel.Write, "Changing the naming conventions") is { } denied)
        {
            return denied;
        }

        var row = await db.ProtocolsSettings.FirstOrDefaultAsync(s => s.WorkspaceId == caller.WorkspaceId, cancellationToken);
        var before = SettingsView(row);
        var after = new ProtocolsSettingsView(
            changes.EventNamingConvention ?? before.EventNamingConvention,
            changes.PropertyNamingConvention ?? before.PropertyNamingConvention);
        if (row is null)
        {
            row = new ProtocolsSettingsEntity { WorkspaceId = caller.WorkspaceId, EventNamingConvention = "", PropertyNamingConvention = "" };
            db.ProtocolsSettings.Add(row);
        }

        row.EventNamingConvention = NamingConventions.Name(after.EventNamingConvention);
        row.PropertyNamingConvention = NamingConventions.Name(after.PropertyNamingConvention);
        row.UpdatedAt = time.GetUtcNow();
        audit.Record(caller.WorkspaceId, Actor.Of(caller), "Protocols Settings Modified", "WORKSPACE", caller.WorkspaceId, "Naming conventions",
            SettingsSnapshot(before), SettingsSnapshot(after));
        await db.SaveChangesAsync(cancellationToken);
        return after;
    }

    private static ProtocolsSettingsView SettingsView(ProtocolsSettingsEntity? row)
    {
        var eventConvention = NamingConventions.TryParseEvent(row?.EventNamingConvention, out var e) ? e : NamingConventions.DefaultEvent;
        var propertyConvention = NamingConventions.TryParseProperty(row?.PropertyNamingConvention, out var p) ? p : NamingConventions.DefaultProperty;
        return new ProtocolsSettingsView(eventConvention, propertyConvention);
    }

    private static object SettingsSnapshot(ProtocolsSettingsView view) => new
    {
        eventNamingConvention = NamingConventions.Name(view.EventNamingConvention),
        propertyNamingConvention = NamingConventions.Name(view.PropertyNamingConvention),
    };
}
