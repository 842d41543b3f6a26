using Junction.Protocols.Processing;
using Junction.Protocols.Transformations;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Junction.Workspace.Sources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Junction.Protocols.ControlPlane;

/// <summary>
/// Transformations, which belong to their source: reading one needs read access to its source, creating, changing or
/// deleting one Source Admin on it (on both sources when one moves to another). Each is checked whole by the
/// Protocols engine (<see cref="TransformationCompiler.Problem"/>) before it is saved, enabled or not.
/// </summary>
internal sealed partial class ProtocolsService
{
    public const int MaxFqlLength = 10_000;

    /// <summary>The workspace's transformations on the sources the caller may read, oldest first; the others are left out, not refused.</summary>
    public async Task<Page<TransformationView>> ListTransformationsAsync(Principal caller, int offset, int count, CancellationToken cancellationToken)
    {
        var query = db.Transformations.AsNoTracking().Where(t => t.WorkspaceId == caller.WorkspaceId);
        if (!caller.SeesAll(ResourceKind.Source))
        {
            var readable = sources.InWorkspace(caller.WorkspaceId).Where(s => caller.Can(AccessLevel.Read, s)).Select(s => s.Id).ToList();
            query = query.Where(t => readable.Contains(t.SourceId));
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).Skip(offset).Take(count).ToListAsync(cancellationToken);
        return new Page<TransformationView>(rows.Select(TransformationViewOf).ToList(), total);
    }

    public async Task<Outcome<TransformationView>> FindTransformationAsync(Principal caller, string transformationId, CancellationToken cancellationToken)
    {
        var (row, problem) = await LoadTransformationAsync(caller, transformationId, AccessLevel.Read, "Reading", tracked: false, cancellationToken);
        return problem ?? (Outcome<TransformationView>)TransformationViewOf(row!);
    }

    public async Task<Outcome<TransformationView>> CreateTransformationAsync(Principal caller, NewTransformation input, CancellationToken cancellationToken)
    {
        if (SourceAccess.Check(caller, AccessLevel.Write, sources.FindById(input.SourceId), "Adding a transformation to") is { } denied)
        {
            return denied with { Field = denied.Kind == ProblemKind.NotFound ? "sourceId" : null };
        }

        var definition = new TransformationDefinition(
            Ids.New("tfm"),
            input.Name.Trim(),
            input.SourceId,
            Blank(input.DestinationMetadataId),
            input.Enabled,
            input.If,
            input.Drop,
            Blank(input.NewEventName),
            input.PropertyRenames ?? [],
            input.PropertyValueTransformations ?? [],
            input.FqlDefinedProperties ?? []);
        if (CheckTransformation(definition) is { } invalid)
        {
            return invalid;
        }

        var now = time.GetUtcNow();
        var row = new TransformationEntity
        {
            Id = definition.Id,
            WorkspaceId = caller.WorkspaceId,
            SourceId = definition.SourceId,
            Name = definition.Name,
            If = definition.If,
            CreatedAt = now,
            UpdatedAt = now,
        };
        TransformationRows.Write(definition, row);
        db.Transformations.Add(row);
        RecordTransformation(caller, "Transformation Created", row, after: definition);
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        LogTransformationCreated(logger, row.Id, row.SourceId);
        return TransformationViewOf(row);
    }

    public async Task<Outcome<TransformationView>> UpdateTransformationAsync(
        Principal caller, string transformationId, TransformationChanges changes, CancellationToken cancellationToken)
    {
        var (row, problem) = await LoadTransformationAsync(caller, transformationId, AccessLevel.Write, "Changing", tracked: true, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (changes.SourceId is { } moved && moved != row!.SourceId
            && SourceAccess.Check(caller, AccessLevel.Write, sources.FindById(moved), "Moving a transformation to") is { } denied)
        {
            return denied with { Field = denied.Kind == ProblemKind.NotFound ? "sourceId" : null };
        }

        var before = TransformationRows.ToDefinition(row!);
        var after = before with
        {
            Name = changes.Name?.Trim() ?? before.Name,
            SourceId = changes.SourceId ?? before.SourceId,
            DestinationMetadataId = changes.DestinationMetadataId is null ? before.DestinationMetadataId : Blank(changes.DestinationMetadataId),
            Enabled = changes.Enabled ?? before.Enabled,
            If = changes.If ?? before.If,
            Drop = changes.Drop ?? before.Drop,
            NewEventName = changes.NewEventName is null ? before.NewEventName : Blank(changes.NewEventName),
            PropertyRenames = changes.PropertyRenames ?? before.PropertyRenames,
            PropertyValueTransformations = changes.PropertyValueTransformations ?? before.PropertyValueTransformations,
            FqlDefinedProperties = changes.FqlDefinedProperties ?? before.FqlDefinedProperties,
        };
        if (CheckTransformation(after) is { } invalid)
        {
            return invalid;
        }

        TransformationRows.Write(after, row!);
        row!.UpdatedAt = time.GetUtcNow();
        RecordTransformation(caller, "Transformation Modified", row, before, after);
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        return TransformationViewOf(row);
    }

    public async Task<Outcome<TransformationView>> DeleteTransformationAsync(Principal caller, string transformationId, CancellationToken cancellationToken)
    {
        var (row, problem) = await LoadTransformationAsync(caller, transformationId, AccessLevel.Write, "Deleting", tracked: true, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var view = TransformationViewOf(row!);
        RecordTransformation(caller, "Transformation Deleted", row!, before: view.Definition);
        db.Transformations.Remove(row!);
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        LogTransformationDeleted(logger, row!.Id, row.SourceId);
        return view;
    }

    /// <summary>The control plane's own checks (name, condition, lengths), then the Protocols engine's.</summary>
    private static Problem? CheckTransformation(TransformationDefinition definition)
    {
        if (definition.Name.Length is 0 or > MaxNameLength)
        {
            return Problem.Invalid($"name must be 1 to {MaxNameLength} characters and not only spaces.", "name");
        }

        if (string.IsNullOrWhiteSpace(definition.If) || definition.If.Length > MaxFqlLength)
        {
            return Problem.Invalid(
                $"if must be an FQL condition of at most {MaxFqlLength} characters, such as event = 'Order Completed' (\"all\" matches every event).", "if");
        }

        if (definition.NewEventName is { Length: > MaxKeyLength })
        {
            return Problem.Invalid($"newEventName must be at most {MaxKeyLength} characters.", "newEventName");
        }

        return TransformationCompiler.Problem(definition) is { } problem ? new Problem(ProblemKind.Invalid, problem) : null;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>
    /// Loads a transformation of the caller's workspace after checking the caller's access to its source: not found
    /// (unknown, another workspace's), forbidden, or the row.
    /// </summary>
    private async Task<(TransformationEntity? Row, Problem? Problem)> LoadTransformationAsync(
        Principal caller, string transformationId, AccessLevel needed, string action, bool tracked, CancellationToken cancellationToken)
    {
        var query = tracked ? db.Transformations : db.Transformations.AsNoTracking();
        var row = await query.FirstOrDefaultAsync(t => t.Id == transformationId && t.WorkspaceId == caller.WorkspaceId, cancellationToken);
        if (row is null)
        {
            return (null, Problem.NotFound("Transformation"));
        }

        var info = new TransformationInfo(row.Id, row.WorkspaceId, row.SourceId, row.Name);
        return ProtocolsAccess.CheckTransformation(caller, needed, info, sources.FindById(row.SourceId), action) is { } problem
            ? (null, problem)
            : (row, null);
    }

    private static TransformationView TransformationViewOf(TransformationEntity row) =>
        new(row.WorkspaceId, TransformationRows.ToDefinition(row), row.CreatedAt, row.UpdatedAt);

    private void RecordTransformation(Principal caller, string type, TransformationEntity row, object? before = null, object? after = null) =>
        audit.Record(caller.WorkspaceId, Actor.Of(caller), type, TransformationResourceType, row.Id, row.Name, before, after);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created transformation {TransformationId} on source {SourceId}.")]
    private static partial void LogTransformationCreated(ILogger logger, string transformationId, string sourceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted transformation {TransformationId} of source {SourceId}.")]
    private static partial void LogTransformationDeleted(ILogger logger, string transformationId, string sourceId);
}
