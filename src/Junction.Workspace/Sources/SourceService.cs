using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Junction.Workspace.Access;
using Junction.Workspace.Audit;
using Junction.Workspace.Catalog;
using Junction.Workspace.Data;
using Junction.Workspace.Labels;
using Junction.Workspace.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Junction.Workspace.Sources;

/// <summary>What a new source is made of. Without a name, the name is made from the slug.</summary>
internal sealed record NewSource(string Slug, string CatalogId, bool Enabled = true, string? Name = null, JsonElement? Settings = null);

/// <summary>A partial change to a source: members left null are not changed.</summary>
internal sealed record SourceChanges(string? Name = null, bool? Enabled = null, string? Slug = null, JsonElement? Settings = null);

/// <summary>
/// A source as one caller may see it: <see cref="WriteKeys"/> is empty unless the caller may change the source
/// (Source Admin on it, or Workspace Owner), and <see cref="Access"/> says how much the caller may do with it.
/// </summary>
internal sealed record SourceView(
    string Id,
    string WorkspaceId,
    string Slug,
    string? Name,
    string CatalogId,
    bool Enabled,
    string SettingsJson,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> WriteKeys,
    IReadOnlyList<LabelView> Labels,
    AccessLevel Access);

/// <summary>
/// Sources and their write keys, for the Public API and the web app alike: every rule about them lives here,
/// including who may do what. Every operation is scoped to the caller's workspace (another workspace's source is
/// simply not found), checked against the caller's roles, recorded in the audit trail in the same save as the change,
/// and then published to <see cref="SourceDirectory"/>, so that the Tracking API sees it at once.
/// </summary>
internal sealed partial class SourceService(
    JunctionDbContext db,
    SourceDirectory directory,
    AuditTrail audit,
    TimeProvider time,
    ILogger<SourceService> logger)
{
    public const int MaxSlugLength = 100;
    public const int MaxNameLength = 200;
    public const int WriteKeyLength = 32;

    /// <summary>The sources of the caller's workspace that the caller may read; the others are left out, not refused.</summary>
    public async Task<Page<SourceView>> ListAsync(Principal caller, int offset, int count, CancellationToken cancellationToken)
    {
        var inWorkspace = db.Sources.AsNoTracking().Where(s => s.WorkspaceId == caller.WorkspaceId);
        if (!caller.SeesAll(ResourceKind.Source))
        {
            var readable = directory.InWorkspace(caller.WorkspaceId)
                .Where(s => caller.Can(AccessLevel.Read, s))
                .Select(s => s.Id)
                .ToList();
            inWorkspace = inWorkspace.Where(s => readable.Contains(s.Id));
        }

        var total = await inWorkspace.CountAsync(cancellationToken);
        var page = await WithWriteKeys(inWorkspace).OrderBy(s => s.Slug).Skip(offset).Take(count).ToListAsync(cancellationToken);
        return new Page<SourceView>(await ViewsAsync(caller, page, cancellationToken), total);
    }

    /// <summary>
    /// A page of the given sources, in the order given, that the caller may read; the others are left out, not refused.
    /// For what is connected to something else: a warehouse's sources, a tracking plan's.
    /// </summary>
    public async Task<Page<SourceView>> ListReadableAsync(
        Principal caller, IReadOnlyList<string> sourceIds, int offset, int count, CancellationToken cancellationToken)
    {
        var readable = sourceIds
            .Select(directory.FindById)
            .Where(s => s is not null && s.WorkspaceId == caller.WorkspaceId && caller.Can(AccessLevel.Read, s))
            .Select(s => s!.Id)
            .ToList();
        var ids = readable.Skip(offset).Take(count).ToList();
        var rows = (await WithWriteKeys(db.Sources.AsNoTracking())
                .Where(s => ids.Contains(s.Id) && s.WorkspaceId == caller.WorkspaceId)
                .ToListAsync(cancellationToken))
            .ToDictionary(s => s.Id, StringComparer.Ordinal);
        var page = ids.Where(rows.ContainsKey).Select(id => rows[id]).ToList();
        return new Page<SourceView>(await ViewsAsync(caller, page, cancellationToken), readable.Count);
    }

    public async Task<Outcome<SourceView>> FindAsync(Principal caller, string sourceId, CancellationToken cancellationToken)
    {
        if (SourceAccess.Check(caller, AccessLevel.Read, directory.FindById(sourceId), "Reading") is { } denied)
        {
            return denied;
        }

        var source = await WithWriteKeys(db.Sources.AsNoTracking())
            .FirstOrDefaultAsync(s => s.Id == sourceId && s.WorkspaceId == caller.WorkspaceId, cancellationToken);
        return source is null ? Problem.NotFound("Source") : (await ViewsAsync(caller, [source], cancellationToken))[0];
    }

    /// <summary>
    /// Creates an enabled (or disabled) source with one new write key. It needs Source Admin on all sources (or
    /// Workspace Owner), as in Segment.
    /// </summary>
    public async Task<Outcome<SourceView>> CreateAsync(Principal caller, NewSource input, CancellationToken cancellationToken)
    {
        if (SourceAccess.CheckCreate(caller) is { } denied)
        {
            return denied;
        }

        var workspaceId = caller.WorkspaceId;
        if (CheckSlug(input.Slug) is { } badSlug)
        {
            return badSlug;
        }

        if (SourceCatalog.Find(input.CatalogId) is null)
        {
            return Problem.Invalid(
                $"metadataId \"{input.CatalogId}\" is not in the sources catalog; GET /catalog/sources lists the ids.", "metadataId");
        }

        var name = input.Name?.Trim() ?? NameFromSlug(input.Slug);
        if (CheckName(name) is { } badName)
        {
            return badName;
        }

        if (await SlugTakenAsync(workspaceId, input.Slug, exceptSourceId: null, cancellationToken))
        {
            return SlugConflict(input.Slug);
        }

        var now = time.GetUtcNow();
        var source = new SourceEntity
        {
            Id = Ids.New("src"),
            WorkspaceId = workspaceId,
            Slug = input.Slug,
            Name = name,
            CatalogId = input.CatalogId,
            Enabled = input.Enabled,
            SettingsJson = input.Settings is { } settings ? JsonSerializer.Serialize(settings) : "{}",
            CreatedAt = now,
        };
        source.WriteKeys.Add(NewWriteKey(source.Id, now));
        db.Sources.Add(source);
        Record(caller, "Source Created", source, after: Snapshot(source));
        if (await TrySaveAsync(source, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await PublishAsync();
        LogCreated(logger, source.Id, source.Slug, workspaceId);
        return (await ViewsAsync(caller, [source], cancellationToken))[0];
    }

    /// <summary>
    /// Changes a source's name, slug, enabled flag or settings. Settings are merged at the top level, as in a JSON
    /// merge patch: each given key replaces the stored one, and a key given as null is removed.
    /// </summary>
    public async Task<Outcome<SourceView>> UpdateAsync(
        Principal caller, string sourceId, SourceChanges changes, CancellationToken cancellationToken)
    {
        if (SourceAccess.Check(caller, AccessLevel.Write, directory.FindById(sourceId), "Changing") is { } denied)
        {
            return denied;
        }

        var workspaceId = caller.WorkspaceId;
        var source = await LoadForChangeAsync(workspaceId, sourceId, cancellationToken);
        if (source is null)
        {
            return Problem.NotFound("Source");
        }

        var before = Snapshot(source);
        if (changes.Slug is { } slug && slug != source.Slug)
        {
            if (CheckSlug(slug) is { } badSlug)
            {
                return badSlug;
            }

            if (await SlugTakenAsync(workspaceId, slug, source.Id, cancellationToken))
            {
                return SlugConflict(slug);
            }

            source.Slug = slug;
        }

        if (changes.Name is { } name)
        {
            if (CheckName(name.Trim()) is { } badName)
            {
                return badName;
            }

            source.Name = name.Trim();
        }

        if (changes.Enabled is { } enabled)
        {
            source.Enabled = enabled;
        }

        if (changes.Settings is { } settings)
        {
            source.SettingsJson = MergeSettings(source.SettingsJson, settings);
        }

        Record(caller, "Source Modified", source, before, Snapshot(source));
        if (await TrySaveAsync(source, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await PublishAsync();
        return (await ViewsAsync(caller, [source], cancellationToken))[0];
    }

    /// <summary>
    /// Deletes a source with its write keys and labels, and takes it out of every permission that names it (a permission
    /// left naming nothing is removed, so that it never widens to every source). Answers the source as it was.
    /// </summary>
    public async Task<Outcome<SourceView>> DeleteAsync(Principal caller, string sourceId, CancellationToken cancellationToken)
    {
        if (SourceAccess.Check(caller, AccessLevel.Write, directory.FindById(sourceId), "Deleting") is { } denied)
        {
            return denied;
        }

        var workspaceId = caller.WorkspaceId;
        var source = await LoadForChangeAsync(workspaceId, sourceId, cancellationToken);
        if (source is null)
        {
            return Problem.NotFound("Source");
        }

        var view = (await ViewsAsync(caller, [source], cancellationToken))[0];
        var naming = await db.Permissions
            .Where(p => p.WorkspaceId == workspaceId && p.Resources.Any(r => r.Type == "SOURCE" && r.ResourceId == sourceId))
            .Include(p => p.Resources)
            .ToListAsync(cancellationToken);
        foreach (var permission in naming)
        {
            foreach (var resource in permission.Resources.Where(r => r.Type == "SOURCE" && r.ResourceId == sourceId).ToList())
            {
                permission.Resources.Remove(resource);
                db.Remove(resource);
            }

            if (permission.Resources.Count == 0)
            {
                db.Permissions.Remove(permission);
            }
        }

        Record(caller, "Source Deleted", source, before: Snapshot(source));
        db.Sources.Remove(source);
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        LogDeleted(logger, source.Id, source.Slug, workspaceId);
        return view;
    }

    /// <summary>Adds a new write key to a source; its existing keys keep working.</summary>
    public async Task<Outcome<SourceView>> AddWriteKeyAsync(Principal caller, string sourceId, CancellationToken cancellationToken)
    {
        if (SourceAccess.Check(caller, AccessLevel.Write, directory.FindById(sourceId), "Changing") is { } denied)
        {
            return denied;
        }

        var source = await LoadForChangeAsync(caller.WorkspaceId, sourceId, cancellationToken);
        if (source is null)
        {
            return Problem.NotFound("Source");
        }

        // Tracking the key also appends it to source.WriteKeys (EF Core fixes up the loaded navigation).
        var key = NewWriteKey(source.Id, time.GetUtcNow());
        db.WriteKeys.Add(key);
        Record(caller, "Write Key Created", source, after: new { writeKey = SecretProtector.Mask(key.Key), writeKeys = source.WriteKeys.Count });
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        LogWriteKeyAdded(logger, source.Id, source.WriteKeys.Count);
        return (await ViewsAsync(caller, [source], cancellationToken))[0];
    }

    /// <summary>
    /// Removes one write key from a source, after which events sent with it are refused. A source keeps at least one
    /// key: removing the last one is refused, so that rotating means adding the new key first.
    /// </summary>
    public async Task<Outcome<SourceView>> RemoveWriteKeyAsync(
        Principal caller, string sourceId, string writeKey, CancellationToken cancellationToken)
    {
        if (SourceAccess.Check(caller, AccessLevel.Write, directory.FindById(sourceId), "Changing") is { } denied)
        {
            return denied;
        }

        var source = await LoadForChangeAsync(caller.WorkspaceId, sourceId, cancellationToken);
        if (source is null)
        {
            return Problem.NotFound("Source");
        }

        var key = source.WriteKeys.FirstOrDefault(k => k.Key == writeKey);
        if (key is null)
        {
            return Problem.NotFound("Write key");
        }

        if (source.WriteKeys.Count == 1)
        {
            return Problem.Invalid(
                "This is the source's only write key and a source keeps at least one: add a new key with "
                + $"POST /sources/{source.Id}/writekey first, then remove this one.",
                "writeKey");
        }

        source.WriteKeys.Remove(key);
        db.WriteKeys.Remove(key);
        Record(caller, "Write Key Removed", source,
            before: new { writeKey = SecretProtector.Mask(key.Key), writeKeys = source.WriteKeys.Count + 1 },
            after: new { writeKeys = source.WriteKeys.Count });
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        LogWriteKeyRemoved(logger, source.Id, source.WriteKeys.Count);
        return (await ViewsAsync(caller, [source], cancellationToken))[0];
    }

    /// <summary>The name a source gets when none is given: its slug's words, capitalised (<c>my-website</c> → <c>My Website</c>).</summary>
    public static string NameFromSlug(string slug) =>
        string.Join(' ', slug.Split('-', StringSplitOptions.RemoveEmptyEntries)
            .Select(word => char.ToUpperInvariant(word[0]) + word[1..]));

    /// <summary>Checks a slug against the rules every source slug follows; the web app checks as the person types.</summary>
    public static Problem? CheckSlug(string slug) =>
        slug.Length <= MaxSlugLength && SlugPattern().IsMatch(slug)
            ? null
            : Problem.Invalid(
                $"slug must be 1 to {MaxSlugLength} lower-case letters, digits and dashes, starting and ending with a letter "
                + $"or digit (for example \"my-website\"); \"{slug}\" is not.",
                "slug");

    /// <summary>Checks a (trimmed) source name against the rules every source name follows.</summary>
    public static Problem? CheckName(string name) =>
        name.Length is > 0 and <= MaxNameLength
            ? null
            : Problem.Invalid($"name must be 1 to {MaxNameLength} characters and not only spaces.", "name");

    private static Problem SlugConflict(string slug) =>
        Problem.Conflict($"This workspace already has a source with slug \"{slug}\"; choose another slug.", "slug");

    private static WriteKeyEntity NewWriteKey(string sourceId, DateTimeOffset now) =>
        new() { Key = Ids.Random(WriteKeyLength), SourceId = sourceId, CreatedAt = now };

    /// <summary>
    /// The sources as the caller sees them, with their labels. How much the caller may do with each is decided from the
    /// labels just read, by the same <see cref="Principal"/> rules as everywhere else.
    /// </summary>
    private async Task<IReadOnlyList<SourceView>> ViewsAsync(
        Principal caller, IReadOnlyList<SourceEntity> sources, CancellationToken cancellationToken)
    {
        var ids = sources.Select(s => s.Id).ToList();
        var onSources = await db.SourceLabels.AsNoTracking().Where(l => ids.Contains(l.SourceId)).ToListAsync(cancellationToken);
        var descriptions = onSources.Count == 0
            ? []
            : await LabelService.DescriptionsAsync(db, caller.WorkspaceId, cancellationToken);
        var labels = onSources.ToLookup(l => l.SourceId, StringComparer.Ordinal);
        return sources.Select(source =>
        {
            var own = labels[source.Id].OrderBy(l => l.Key, StringComparer.Ordinal).ToList();
            var access = caller.AccessTo(ResourceKind.Source, source.Id, own.Select(l => new Label(l.Key, l.Value)).ToList());
            return new SourceView(
                source.Id,
                source.WorkspaceId,
                source.Slug,
                source.Name,
                source.CatalogId,
                source.Enabled,
                source.SettingsJson,
                source.CreatedAt,
                access >= AccessLevel.Write ? source.WriteKeys.Select(k => k.Key).ToList() : [],
                own.Select(l => new LabelView(l.Key, l.Value, descriptions.GetValueOrDefault(new Label(l.Key, l.Value)))).ToList(),
                access);
        }).ToList();
    }

    private void Record(Principal caller, string type, SourceEntity source, object? before = null, object? after = null) =>
        audit.Record(caller.WorkspaceId, Actor.Of(caller), type, AuditResourceTypes.Source, source.Id, source.Name ?? source.Slug, before, after);

    /// <summary>What the audit trail keeps of a source: never its write keys.</summary>
    private static object Snapshot(SourceEntity source) => new
    {
        id = source.Id,
        slug = source.Slug,
        name = source.Name,
        enabled = source.Enabled,
        metadataId = source.CatalogId,
        settings = JsonSerializer.Deserialize<JsonElement>(source.SettingsJson),
    };

    private static IQueryable<SourceEntity> WithWriteKeys(IQueryable<SourceEntity> sources) =>
        sources.Include(s => s.WriteKeys.OrderBy(k => k.CreatedAt).ThenBy(k => k.Key));

    private static string MergeSettings(string storedJson, JsonElement changes)
    {
        var settings = JsonNode.Parse(storedJson) as JsonObject ?? [];
        foreach (var change in changes.EnumerateObject())
        {
            if (change.Value.ValueKind == JsonValueKind.Null)
            {
                settings.Remove(change.Name);
            }
            else
            {
                settings[change.Name] = JsonNode.Parse(change.Value.GetRawText());
            }
        }

        return settings.ToJsonString();
    }

    /// <summary>
    /// Rebuilds the snapshot the Tracking API reads. The change is already saved, so publishing it is not abandoned
    /// when the caller goes away.
    /// </summary>
    private Task PublishAsync() => directory.RefreshAsync(CancellationToken.None);

    private Task<SourceEntity?> LoadForChangeAsync(string workspaceId, string sourceId, CancellationToken cancellationToken) =>
        WithWriteKeys(db.Sources).FirstOrDefaultAsync(s => s.Id == sourceId && s.WorkspaceId == workspaceId, cancellationToken);

    private Task<bool> SlugTakenAsync(string workspaceId, string slug, string? exceptSourceId, CancellationToken cancellationToken) =>
        db.Sources.AnyAsync(s => s.WorkspaceId == workspaceId && s.Slug == slug && s.Id != exceptSourceId, cancellationToken);

    /// <summary>Saves, turning a lost race for a slug (the unique index) into the same conflict the check answers.</summary>
    private async Task<Problem?> TrySaveAsync(SourceEntity source, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException)
        {
            if (await SlugTakenAsync(source.WorkspaceId, source.Slug, source.Id, cancellationToken))
            {
                return SlugConflict(source.Slug);
            }

            throw;
        }
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "Created source {SourceId} ({Slug}) in workspace {WorkspaceId}.")]
    private static partial void LogCreated(ILogger logger, string sourceId, string slug, string workspaceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted source {SourceId} ({Slug}) from workspace {WorkspaceId}.")]
    private static partial void LogDeleted(ILogger logger, string sourceId, string slug, string workspaceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Added a write key to source {SourceId}; it now has {Count}.")]
    private static partial void LogWriteKeyAdded(ILogger logger, string sourceId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed a write key from source {SourceId}; it now has {Count}.")]
    private static partial void LogWriteKeyRemoved(ILogger logger, string sourceId, int count);
}
