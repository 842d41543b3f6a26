using Junction.Workspace.Access;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;

namespace Junction.Workspace.Audit;

/// <summary>What to look for in the audit trail; members left null do not filter. Times are inclusive.</summary>
internal sealed record AuditFilter(
    string? Type = null,
    string? ActorId = null,
    string? ResourceType = null,
    string? ResourceId = null,
    DateTimeOffset? StartTime = null,
    DateTimeOffset? EndTime = null);

/// <summary>One audit entry, with the resource before and after the change as JSON (never a secret).</summary>
internal sealed record AuditEntry(
    string Id,
    DateTimeOffset Timestamp,
    string Type,
    ActorKind ActorKind,
    string ActorId,
    string ActorName,
    string ResourceType,
    string ResourceId,
    string ResourceName,
    string? BeforeJson,
    string? AfterJson);

internal sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, int TotalEntries);

/// <summary>Reads a workspace's audit trail, newest first, for Workspace Owners (the Public API and the web app alike).</summary>
internal sealed class AuditQuery(JunctionDbContext db)
{
    public async Task<Outcome<AuditPage>> ListAsync(
        Principal caller, AuditFilter filter, int offset, int count, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Reading the audit trail");
        }

        var entries = db.AuditEvents.AsNoTracking().Where(a => a.WorkspaceId == caller.WorkspaceId);
        if (filter.Type is { } type)
        {
            entries = entries.Where(a => a.Type == type);
        }

        if (filter.ActorId is { } actor)
        {
            entries = entries.Where(a => a.ActorId == actor);
        }

        if (filter.ResourceType is { } resourceType)
        {
            entries = entries.Where(a => a.ResourceType == resourceType);
        }

        if (filter.ResourceId is { } resourceId)
        {
            entries = entries.Where(a => a.ResourceId == resourceId);
        }

        if (filter.StartTime is { } start)
        {
            entries = entries.Where(a => a.Timestamp >= start);
        }

        if (filter.EndTime is { } end)
        {
            entries = entries.Where(a => a.Timestamp <= end);
        }

        var total = await entries.CountAsync(cancellationToken);
        var page = await entries
            .OrderByDescending(a => a.Timestamp).ThenByDescending(a => a.Id)
            .Skip(offset).Take(count)
            .Select(a => new AuditEntry(
                a.Id, a.Timestamp, a.Type, a.ActorKind, a.ActorId, a.ActorName, a.ResourceType, a.ResourceId, a.ResourceName,
                a.BeforeJson, a.AfterJson))
            .ToListAsync(cancellationToken);
        return new AuditPage(page, total);
    }

    /// <summary>The distinct entry types of a workspace, for a filter's choices.</summary>
    public async Task<Outcome<IReadOnlyList<string>>> TypesAsync(Principal caller, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Reading the audit trail");
        }

        IReadOnlyList<string> types = await db.AuditEvents.AsNoTracking()
            .Where(a => a.WorkspaceId == caller.WorkspaceId)
            .Select(a => a.Type).Distinct().OrderBy(t => t)
            .ToListAsync(cancellationToken);
        return new Outcome<IReadOnlyList<string>>(types, null);
    }

    /// <summary>
    /// The distinct actors of a workspace's entries (users by email, tokens by description, as they were named when they
    /// acted), for a filter's choices; people removed since and tokens revoked since are among them.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<Actor>>> ActorsAsync(Principal caller, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Reading the audit trail");
        }

        var actors = await db.AuditEvents.AsNoTracking()
            .Where(a => a.WorkspaceId == caller.WorkspaceId)
            .Select(a => new { a.ActorKind, a.ActorId, a.ActorName })
            .Distinct()
            .ToListAsync(cancellationToken);
        IReadOnlyList<Actor> distinct = actors
            .GroupBy(a => (a.ActorKind, a.ActorId))
            .Select(g => new Actor(g.Key.ActorKind, g.Key.ActorId, g.Select(a => a.ActorName).Min(StringComparer.Ordinal)!))
            .OrderBy(a => a.Kind).ThenBy(a => a.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new Outcome<IReadOnlyList<Actor>>(distinct, null);
    }
}
