using System.Text.RegularExpressions;
using Junction.Workspace.Access;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Junction.Workspace.Sources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Junction.Workspace.Labels;

/// <summary>A label as callers see it: <c>key:value</c> and an optional description.</summary>
internal sealed record LabelView(string Key, string Value, string? Description)
{
    public Label Label => new(Key, Value);

    public override string ToString() => Key + ":" + Value;
}

/// <summary>
/// Labels (<c>key:value</c>) of a workspace and the labels on its sources. Workspace Owners create and delete labels;
/// a label in use (on a source or in a permission) cannot be deleted. Whoever administers a source (Source Admin on
/// it) sets its labels, at most one value per key. Source labels take part in access decisions, so every change is
/// published to <see cref="SourceDirectory"/> at once.
/// </summary>
internal sealed partial class LabelService(
    JunctionDbContext db,
    SourceDirectory directory,
    AuditTrail audit,
    ILogger<LabelService> logger)
{
    public const int MaxPartLength = 64;
    public const int MaxDescriptionLength = 500;

    /// <summary>Every label of the caller's workspace; any member may list them (they are needed to label sources).</summary>
    public async Task<IReadOnlyList<LabelView>> ListAsync(Principal caller, CancellationToken cancellationToken) =>
        await db.Labels.AsNoTracking()
            .Where(l => l.WorkspaceId == caller.WorkspaceId)
            .OrderBy(l => l.Key).ThenBy(l => l.Value)
            .Select(l => new LabelView(l.Key, l.Value, l.Description))
            .ToListAsync(cancellationToken);

    public async Task<Outcome<LabelView>> CreateAsync(Principal caller, LabelView input, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Creating labels");
        }

        if ((CheckPart(input.Key, "label.key") ?? CheckPart(input.Value, "label.value")) is { } bad)
        {
            return bad;
        }

        var description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        if (description is { Length: > MaxDescriptionLength })
        {
            return Problem.Invalid($"label.description must be at most {MaxDescriptionLength} characters.", "label.description");
        }

        if (await ExistsAsync(caller.WorkspaceId, input.Key, input.Value, cancellationToken))
        {
            return Exists(input);
        }

        var label = new LabelEntity { WorkspaceId = caller.WorkspaceId, Key = input.Key, Value = input.Value, Description = description };
        db.Labels.Add(label);
        var view = new LabelView(label.Key, label.Value, label.Description);
        Record(caller, "Label Created", view, after: view);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Lost a race with another request creating the same label: answer what the check above would have.
            if (await ExistsAsync(caller.WorkspaceId, input.Key, input.Value, CancellationToken.None))
            {
                return Exists(input);
            }

            throw;
        }

        LogCreated(logger, view.ToString(), caller.WorkspaceId);
        return view;
    }

    /// <summary>Deletes a label that nothing uses; a label on a source or in a permission is refused with a conflict.</summary>
    public async Task<Outcome<LabelView>> DeleteAsync(Principal caller, string key, string value, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Deleting labels");
        }

        var workspaceId = caller.WorkspaceId;
        var label = await db.Labels.FirstOrDefaultAsync(l => l.WorkspaceId == workspaceId && l.Key == key && l.Value == value, cancellationToken);
        if (label is null)
        {
            return Problem.NotFound("Label");
        }

        var sources = await db.SourceLabels
            .Where(l => l.Key == key && l.Value == value && db.Sources.Any(s => s.Id == l.SourceId && s.WorkspaceId == workspaceId))
            .CountAsync(cancellationToken);
        var permissions = await db.Permissions
            .Where(p => p.WorkspaceId == workspaceId && p.Labels.Any(l => l.Key == key && l.Value == value))
            .CountAsync(cancellationToken);
        var view = new LabelView(label.Key, label.Value, label.Description);
        if (sources + permissions > 0)
        {
            return Problem.Conflict(
                $"Label {view} is in use on {sources} source(s) and in {permissions} permission(s), and a label in use cannot be "
                + "deleted: take it off those sources and permissions first.",
                "label");
        }

        db.Labels.Remove(label);
        Record(caller, "Label Deleted", view, before: view);
        await db.SaveChangesAsync(cancellationToken);
        LogDeleted(logger, view.ToString(), workspaceId);
        return view;
    }

    /// <summary>Adds labels to a source; a label whose key the source already has replaces that key's value.</summary>
    public Task<Outcome<IReadOnlyList<LabelView>>> AddToSourceAsync(
        Principal caller, string sourceId, IReadOnlyList<Label> labels, CancellationToken cancellationToken) =>
        ChangeSourceLabelsAsync(caller, sourceId, labels, replace: false, cancellationToken);

    /// <summary>Makes <paramref name="labels"/> the source's labels, exactly.</summary>
    public Task<Outcome<IReadOnlyList<LabelView>>> ReplaceOnSourceAsync(
        Principal caller, string sourceId, IReadOnlyList<Label> labels, CancellationToken cancellationToken) =>
        ChangeSourceLabelsAsync(caller, sourceId, labels, replace: true, cancellationToken);

    /// <summary>Checks one part of a label: a letter, then letters, digits and hyphens.</summary>
    public static Problem? CheckPart(string text, string field) =>
        text.Length <= MaxPartLength && PartPattern().IsMatch(text)
            ? null
            : Problem.Invalid(
                $"{field} must start with a letter and contain only letters, digits and hyphens (at most {MaxPartLength}); \"{text}\" does not.",
                field);

    /// <summary>The descriptions of a workspace's labels, to show with labels read elsewhere (on sources, in permissions).</summary>
    public static async Task<Dictionary<Label, string?>> DescriptionsAsync(
        JunctionDbContext db, string workspaceId, CancellationToken cancellationToken) =>
        (await db.Labels.AsNoTracking().Where(l => l.WorkspaceId == workspaceId).ToListAsync(cancellationToken))
            .ToDictionary(l => new Label(l.Key, l.Value), l => l.Description);

    private async Task<Outcome<IReadOnlyList<LabelView>>> ChangeSourceLabelsAsync(
        Principal caller, string sourceId, IReadOnlyList<Label> labels, bool replace, CancellationToken cancellationToken)
    {
        if (SourceAccess.Check(caller, AccessLevel.Write, directory.FindById(sourceId), "Labelling") is { } denied)
        {
            return denied;
        }

        var workspaceId = caller.WorkspaceId;
        var descriptions = await DescriptionsAsync(db, workspaceId, cancellationToken);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
        {
            if (!keys.Add(labels[i].Key))
            {
                return Problem.Invalid(
                    $"labels[{i}]: a source holds one value per label key, and \"{labels[i].Key}\" is given more than once.", $"labels[{i}]");
            }

            if (!descriptions.ContainsKey(labels[i]))
            {
                return Problem.Invalid(
                    $"labels[{i}]: there is no label {labels[i]} in this workspace; a Workspace Owner creates it first (POST /labels).",
                    $"labels[{i}]");
            }
        }

        var source = await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sourceId && s.WorkspaceId == workspaceId, cancellationToken);
        if (source is null)
        {
            return Problem.NotFound("Source");
        }

        var current = await db.SourceLabels.Where(l => l.SourceId == sourceId).ToListAsync(cancellationToken);
        var before = Strings(current);
        foreach (var existing in current.Where(l => replace && !keys.Contains(l.Key)))
        {
            db.SourceLabels.Remove(existing);
        }

        foreach (var label in labels)
        {
            if (current.FirstOrDefault(l => l.Key == label.Key) is { } existing)
            {
                existing.Value = label.Value;
            }
            else
            {
                db.SourceLabels.Add(new SourceLabelEntity { SourceId = sourceId, Key = label.Key, Value = label.Value });
            }
        }

        var after = replace
            ? labels.ToList()
            : current.Select(l => new Label(l.Key, l.Value)).Where(l => !keys.Contains(l.Key)).Concat(labels).ToList();
        audit.Record(workspaceId, Actor.Of(caller), "Source Modified", AuditResourceTypes.Source, source.Id, source.Name ?? source.Slug,
            new { labels = before }, new { labels = after.Select(l => l.ToString()).Order(StringComparer.Ordinal).ToList() });
        await db.SaveChangesAsync(cancellationToken);
        await directory.RefreshAsync(CancellationToken.None);
        return after
            .OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => new LabelView(l.Key, l.Value, descriptions.GetValueOrDefault(l)))
            .ToList();
    }

    private static List<string> Strings(IEnumerable<SourceLabelEntity> labels) =>
        labels.Select(l => l.Key + ":" + l.Value).Order(StringComparer.Ordinal).ToList();

    private Task<bool> ExistsAsync(string workspaceId, string key, string value, CancellationToken cancellationToken) =>
        db.Labels.AnyAsync(l => l.WorkspaceId == workspaceId && l.Key == key && l.Value == value, cancellationToken);

    private static Problem Exists(LabelView label) =>
        Problem.Conflict($"This workspace already has the label {label}.", "label");

    private void Record(Principal caller, string type, LabelView label, object? before = null, object? after = null) =>
        audit.Record(caller.WorkspaceId, Actor.Of(caller), type, AuditResourceTypes.Label, label.ToString(), label.ToString(), before, after);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PartPattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "Created label {Label} in workspace {WorkspaceId}.")]
    private static partial void LogCreated(ILogger logger, string label, string workspaceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted label {Label} from workspace {WorkspaceId}.")]
    private static partial void LogDeleted(ILogger logger, string label, string workspaceId);
}
