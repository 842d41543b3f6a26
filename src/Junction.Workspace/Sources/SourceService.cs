using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Junction.Workspace.Catalog;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Junction.Workspace.Sources;

/// <summary>What a new source is made of. Without a name, the name is made from the slug.</summary>
internal sealed record NewSource(string Slug, string CatalogId, bool Enabled = true, string? Name = null, JsonElement? Settings = null);

/// <summary>A partial change to a source: members left null are not changed.</summary>
internal sealed record SourceChanges(string? Name = null, bool? Enabled = null, string? Slug = null, JsonElement? Settings = null);

/// <summary>One page of a workspace's sources, in slug order, and how many sources the workspace has.</summary>
internal sealed record SourcePage(IReadOnlyList<SourceEntity> Sources, int TotalEntries);

/// <summary>
/// Sources and their write keys, for the Public API and the web app alike: every rule about them lives here. Every
/// operation is scoped to one workspace (another workspace's source is simply not found), and every change is saved
/// and then published to <see cref="SourceDirectory"/>, so that the Tracking API sees it at once.
/// </summary>
internal sealed partial class SourceService(
    JunctionDbContext db,
    SourceDirectory directory,
    TimeProvider time,
    ILogger<SourceService> logger)
{
    public const int MaxSlugLength = 100;
    public const int MaxNameLength = 200;
    public const int WriteKeyLength = 32;

    public async Task<SourcePage> ListAsync(string workspaceId, int offset, int count, CancellationToken cancellationToken)
    {
        var inWorkspace = db.Sources.AsNoTracking().Where(s => s.WorkspaceId == workspaceId);
        var total = await inWorkspace.CountAsync(cancellationToken);
        var page = await WithWriteKeys(inWorkspace).OrderBy(s => s.Slug).Skip(offset).Take(count).ToListAsync(cancellationToken);
        return new SourcePage(page, total);
    }

    public Task<SourceEntity?> FindAsync(string workspaceId, string sourceId, CancellationToken cancellationToken) =>
        WithWriteKeys(db.Sources.AsNoTracking())
            .FirstOrDefaultAsync(s => s.Id == sourceId && s.WorkspaceId == workspaceId, cancellationToken);

    /// <summary>Creates an enabled (or disabled) source with one new write key.</summary>
    public async Task<Outcome<SourceEntity>> CreateAsync(string workspaceId, NewSource input, CancellationToken cancellationToken)
    {
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
        if (await TrySaveAsync(source, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await PublishAsync();
        LogCreated(logger, source.Id, source.Slug, workspaceId);
        return source;
    }

    /// <summary>
    /// Changes a source's name, slug, enabled flag or settings. Settings are merged at the top level, as in a JSON
    /// merge patch: each given key replaces the stored one, and a key given as null is removed.
    /// </summary>
    public async Task<Outcome<SourceEntity>> UpdateAsync(
        string workspaceId, string sourceId, SourceChanges changes, CancellationToken cancellationToken)
    {
        var source = await LoadForChangeAsync(workspaceId, sourceId, cancellationToken);
        if (source is null)
        {
            return Problem.NotFound("Source");
        }

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

        if (await TrySaveAsync(source, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await PublishAsync();
        return source;
    }

    /// <summary>Deletes a source and its write keys; answers false when the workspace has no such source.</summary>
    public async Task<bool> DeleteAsync(string workspaceId, string sourceId, CancellationToken cancellationToken)
    {
        var source = await LoadForChangeAsync(workspaceId, sourceId, cancellationToken);
        if (source is null)
        {
            return false;
        }

        db.Sources.Remove(source);
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        LogDeleted(logger, source.Id, source.Slug, workspaceId);
        return true;
    }

    /// <summary>Adds a new write key to a source; its existing keys keep working.</summary>
    public async Task<Outcome<SourceEntity>> AddWriteKeyAsync(string workspaceId, string sourceId, CancellationToken cancellationToken)
    {
        var source = await LoadForChangeAsync(workspaceId, sourceId, cancellationToken);
        if (source is null)
        {
            return Problem.NotFound("Source");
        }

        // Tracking the key also appends it to source.WriteKeys (EF Core fixes up the loaded navigation).
        db.WriteKeys.Add(NewWriteKey(source.Id, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        LogWriteKeyAdded(logger, source.Id, source.WriteKeys.Count);
        return source;
    }

    /// <summary>
    /// Removes one write key from a source, after which events sent with it are refused. A source keeps at least one
    /// key: removing the last one is refused, so that rotating means adding the new key first.
    /// </summary>
    public async Task<Outcome<SourceEntity>> RemoveWriteKeyAsync(
        string workspaceId, string sourceId, string writeKey, CancellationToken cancellationToken)
    {
        var source = await LoadForChangeAsync(workspaceId, sourceId, cancellationToken);
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
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        LogWriteKeyRemoved(logger, source.Id, source.WriteKeys.Count);
        return source;
    }

    /// <summary>The name a source gets when none is given: its slug's words, capitalised (<c>my-website</c> → <c>My Website</c>).</summary>
    public static string NameFromSlug(string slug) =>
        string.Join(' ', slug.Split('-', StringSplitOptions.RemoveEmptyEntries)
            .Select(word => char.ToUpperInvariant(word[0]) + word[1..]));

    private static Problem? CheckSlug(string slug) =>
        slug.Length <= MaxSlugLength && SlugPattern().IsMatch(slug)
            ? null
            : Problem.Invalid(
                $"slug must be 1 to {MaxSlugLength} lower-case letters, digits and dashes, starting and ending with a letter "
                + $"or digit (for example \"my-website\"); \"{slug}\" is not.",
                "slug");

    private static Problem? CheckName(string name) =>
        name.Length is > 0 and <= MaxNameLength
            ? null
            : Problem.Invalid($"name must be 1 to {MaxNameLength} characters and not only spaces.", "name");

    private static Problem SlugConflict(string slug) =>
        Problem.Conflict($"This workspace already has a source with slug \"{slug}\"; choose another slug.", "slug");

    private static WriteKeyEntity NewWriteKey(string sourceId, DateTimeOffset now) =>
        new() { Key = Ids.Random(WriteKeyLength), SourceId = sourceId, CreatedAt = now };

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
