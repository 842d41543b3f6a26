using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Destinations.Framework;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Junction.Workspace.Sources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Junction.Destinations.ControlPlane;

/// <summary>What a new destination is made of. Without a name, it is named after its catalog entry.</summary>
internal sealed record NewDestination(string SourceId, string CatalogId, bool Enabled = false, string? Name = null, JsonElement? Settings = null);

/// <summary>A partial change to a destination: members left null are not changed.</summary>
internal sealed record DestinationChanges(string? Name = null, bool? Enabled = null, JsonElement? Settings = null);

/// <summary>A destination as callers see it: its settings with every secret masked.</summary>
internal sealed record DestinationView(
    string Id,
    string WorkspaceId,
    string SourceId,
    DestinationDefinition Definition,
    string Name,
    bool Enabled,
    JsonObject Settings,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>
/// Destinations, their subscriptions and their filters, for the Public API and the web app alike: every rule about
/// them lives here. Each operation is scoped to the caller's workspace (another workspace's destination is not
/// found), checked against the caller's access to the destination's source, validated against the catalog
/// definition and the trigger, mapping and filter engines, recorded in the audit trail in the same save as the
/// change (never with a secret), and then published to <see cref="DestinationDirectory"/> for the data plane.
/// </summary>
internal sealed partial class DestinationService(
    JunctionDbContext db,
    DestinationCatalog catalog,
    DestinationSettings settings,
    DestinationDirectory directory,
    ISourceLookup sources,
    AuditTrail audit,
    TimeProvider time,
    ILogger<DestinationService> logger)
{
    public const int MaxNameLength = 200;

    /// <summary>The destinations of the caller's workspace on sources the caller may read; the others are left out, not refused.</summary>
    public async Task<Page<DestinationView>> ListAsync(Principal caller, int offset, int count, CancellationToken cancellationToken)
    {
        var query = db.Destinations.AsNoTracking().Where(d => d.WorkspaceId == caller.WorkspaceId);
        if (!caller.SeesAll(ResourceKind.Source))
        {
            var readable = sources.InWorkspace(caller.WorkspaceId).Where(s => caller.Can(AccessLevel.Read, s)).Select(s => s.Id).ToList();
            query = query.Where(d => readable.Contains(d.SourceId));
        }

        return await PageAsync(query, offset, count, cancellationToken);
    }

    /// <summary>The destinations connected to one source (Segment's "connected destinations"); needs read access to the source.</summary>
    public async Task<Outcome<Page<DestinationView>>> ListForSourceAsync(
        Principal caller, string sourceId, int offset, int count, CancellationToken cancellationToken)
    {
        if (SourceAccess.Check(caller, AccessLevel.Read, sources.FindById(sourceId), "Reading") is { } denied)
        {
            return denied;
        }

        var query = db.Destinations.AsNoTracking().Where(d => d.WorkspaceId == caller.WorkspaceId && d.SourceId == sourceId);
        return await PageAsync(query, offset, count, cancellationToken);
    }

    public async Task<Outcome<DestinationView>> FindAsync(Principal caller, string destinationId, CancellationToken cancellationToken)
    {
        var (destination, problem) = await LoadAsync(caller, destinationId, AccessLevel.Read, "Reading", tracked: false, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return View(destination!);
    }

    /// <summary>
    /// Connects a catalog destination to a source. It starts with the catalog's default settings overlaid by the given
    /// ones, and (for an Actions destination) with the catalog's presets as enabled subscriptions, as in Segment.
    /// A destination is created disabled unless <c>enabled</c> is given; an enabled one needs its required settings.
    /// </summary>
    public async Task<Outcome<DestinationView>> CreateAsync(Principal caller, NewDestination input, CancellationToken cancellationToken)
    {
        var source = sources.FindById(input.SourceId);
        if (DestinationAccess.CheckCreate(caller, source) is { } denied)
        {
            return denied;
        }

        if (catalog.Find(input.CatalogId) is not { } code)
        {
            return Problem.Invalid(
                $"metadataId \"{input.CatalogId}\" is not in the destinations catalog; GET /catalog/destinations lists the ids.", "metadataId");
        }

        var definition = code.Definition;
        var name = input.Name?.Trim() ?? definition.Name;
        if (CheckName(name) is { } badName)
        {
            return badName;
        }

        var plain = DestinationSettings.ForNew(definition, input.Settings);
        if (plain.Problem is { } badSettings)
        {
            return badSettings;
        }

        if (input.Enabled && DestinationSettings.CheckRequired(definition, plain.Value!) is { } missing)
        {
            return missing;
        }

        var now = time.GetUtcNow();
        var destination = new DestinationEntity
        {
            Id = Ids.New("dst"),
            WorkspaceId = caller.WorkspaceId,
            SourceId = source!.Id,
            CatalogId = definition.Id,
            Name = name,
            Enabled = input.Enabled,
            SettingsJson = settings.Protect(definition, plain.Value!),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Destinations.Add(destination);
        var presets = definition.HasMappings ? definition.Presets : [];
        foreach (var preset in presets)
        {
            db.DestinationSubscriptions.Add(new DestinationSubscriptionEntity
            {
                Id = Ids.New("sub"),
                DestinationId = destination.Id,
                Name = preset.Name,
                ActionId = definition.FindAction(preset.ActionId)?.Id ?? preset.ActionId,
                Trigger = preset.Trigger,
                MappingJson = DestinationPresetV1.PresetMapping(definition, preset).ToJsonString(),
                Enabled = true,
                CreatedAt = now,
                UpdatedAt = now,
            });
        }

        Record(caller, "Destination Created", destination, after: Snapshot(destination, definition, plain.Value!, presets.Count));
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        LogCreated(logger, destination.Id, definition.Slug, destination.SourceId);
        return View(destination);
    }

    /// <summary>
    /// Changes a destination's name, enabled flag or settings. Settings are merged at the top level (a key given as
    /// null is removed); a secret sent back masked keeps the stored secret.
    /// </summary>
    public async Task<Outcome<DestinationView>> UpdateAsync(
        Principal caller, string destinationId, DestinationChanges changes, CancellationToken cancellationToken)
    {
        var (destination, problem) = await LoadAsync(caller, destinationId, AccessLevel.Write, "Changing", tracked: true, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var definition = Definition(destination!.CatalogId);
        var current = settings.Unprotect(destination.SettingsJson);
        var before = Snapshot(destination, definition, current);
        if (changes.Name is { } name)
        {
            if (CheckName(name.Trim()) is { } badName)
            {
                return badName;
            }

            destination.Name = name.Trim();
        }

        var plain = current;
        if (changes.Settings is { } given)
        {
            var merged = DestinationSettings.Merge(definition, current, given);
            if (merged.Problem is { } badSettings)
            {
                return badSettings;
            }

            plain = merged.Value!;
        }

        destination.Enabled = changes.Enabled ?? destination.Enabled;
        if (destination.Enabled && DestinationSettings.CheckRequired(definition, plain) is { } missing)
        {
            return missing;
        }

        destination.SettingsJson = settings.Protect(definition, plain);
        destination.UpdatedAt = time.GetUtcNow();
        Record(caller, "Destination Modified", destination, before, Snapshot(destination, definition, plain));
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        return View(destination);
    }

    /// <summary>Deletes a destination with its subscriptions and filters.</summary>
    public async Task<Outcome<DestinationView>> DeleteAsync(Principal caller, string destinationId, CancellationToken cancellationToken)
    {
        var (destination, problem) = await LoadAsync(caller, destinationId, AccessLevel.Write, "Deleting", tracked: true, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var view = View(destination!);
        Record(caller, "Destination Deleted", destination!, before: Snapshot(destination!, view.Definition, settings.Unprotect(destination!.SettingsJson)));
        db.Destinations.Remove(destination);
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        LogDeleted(logger, destination.Id, destination.SourceId);
        return view;
    }

    public static Problem? CheckName(string name) =>
        name.Length is > 0 and <= MaxNameLength
            ? null
            : Problem.Invalid($"name must be 1 to {MaxNameLength} characters and not only spaces.", "name");

    /// <summary>The definition of a stored destination, or a placeholder when its catalog entry is no longer listed.</summary>
    private DestinationDefinition Definition(string catalogId) =>
        catalog.Find(catalogId)?.Definition ?? DestinationCatalog.Unlisted(catalogId);

    private DestinationView View(DestinationEntity destination)
    {
        var definition = Definition(destination.CatalogId);
        return new DestinationView(
            destination.Id,
            destination.WorkspaceId,
            destination.SourceId,
            definition,
            destination.Name,
            destination.Enabled,
            DestinationSettings.Masked(definition, settings.Unprotect(destination.SettingsJson)),
            destination.CreatedAt,
            destination.UpdatedAt);
    }

    private async Task<Page<DestinationView>> PageAsync(IQueryable<DestinationEntity> query, int offset, int count, CancellationToken cancellationToken)
    {
        var total = await query.CountAsync(cancellationToken);
        var page = await query.OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).Skip(offset).Take(count).ToListAsync(cancellationToken);
        return new Page<DestinationView>(page.Select(View).ToList(), total);
    }

    /// <summary>
    /// Loads a destination of the caller's workspace after checking the caller's access to its source: not found
    /// (unknown, or another workspace's), forbidden, or the destination.
    /// </summary>
    private async Task<(DestinationEntity? Destination, Problem? Problem)> LoadAsync(
        Principal caller, string destinationId, AccessLevel needed, string action, bool tracked, CancellationToken cancellationToken)
    {
        var query = tracked ? db.Destinations : db.Destinations.AsNoTracking();
        var destination = await query.FirstOrDefaultAsync(d => d.Id == destinationId && d.WorkspaceId == caller.WorkspaceId, cancellationToken);
        if (destination is null)
        {
            return (null, Problem.NotFound("Destination"));
        }

        var info = new DestinationInfo(destination.Id, destination.WorkspaceId, destination.SourceId, destination.Name);
        return DestinationAccess.Check(caller, needed, info, sources.FindById(destination.SourceId), action) is { } problem
            ? (null, problem)
            : (destination, null);
    }

    private void Record(Principal caller, string type, DestinationEntity destination, object? before = null, object? after = null) =>
        audit.Record(caller.WorkspaceId, Actor.Of(caller), type, AuditResourceTypes.Destination, destination.Id, destination.Name, before, after);

    /// <summary>What the audit trail keeps of a destination: its settings with every secret masked.</summary>
    private static object Snapshot(DestinationEntity destination, DestinationDefinition definition, JsonObject plain, int? subscriptions = null) => new
    {
        id = destination.Id,
        name = destination.Name,
        enabled = destination.Enabled,
        sourceId = destination.SourceId,
        metadataId = destination.CatalogId,
        settings = DestinationSettings.Masked(definition, plain),
        subscriptions,
    };

    /// <summary>Rebuilds the data plane's snapshot. The change is already saved, so this is not abandoned when the caller goes away.</summary>
    private Task PublishAsync() => directory.RefreshAsync(CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created destination {DestinationId} ({Slug}) on source {SourceId}.")]
    private static partial void LogCreated(ILogger logger, string destinationId, string slug, string sourceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted destination {DestinationId} from source {SourceId}.")]
    private static partial void LogDeleted(ILogger logger, string destinationId, string sourceId);
}
