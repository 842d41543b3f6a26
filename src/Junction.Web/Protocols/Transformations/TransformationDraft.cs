using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Protocols.ControlPlane;
using Junction.Protocols.Transformations;

namespace Junction.Web.Protocols.Transformations;

/// <summary>A property rename as the form edits it.</summary>
internal sealed class RenameDraft
{
    public string OldName { get; set; } = "";

    public string NewName { get; set; } = "";
}

/// <summary>A static value as the form edits it: the paths it sets (separated by commas) and the value.</summary>
internal sealed class ValueDraft
{
    public string Paths { get; set; } = "";

    public string Value { get; set; } = "";
}

/// <summary>A property set from an FQL expression, as the form edits it.</summary>
internal sealed class FqlPropertyDraft
{
    public string Fql { get; set; } = "";

    public string PropertyName { get; set; } = "";
}

/// <summary>What a transformation did to the preview's event.</summary>
internal sealed record TransformationPreview(TransformOutcome? Outcome, string? Event, string? Problem);

/// <summary>
/// A transformation as its form edits it (Segment's <c>TransformationV1</c>: a source, an optional destination, an FQL
/// condition, a new event name, property renames, static values and FQL-defined properties), turned into what the
/// service takes, and run on a sample event for the preview with the Protocols engine's own compiler, as the processor
/// runs it. Empty rows are left out.
/// </summary>
internal sealed class TransformationDraft
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string Name { get; set; } = "";

    public string SourceId { get; set; } = "";

    /// <summary>The catalog id of the one destination it applies to, or empty for every destination (applied at the source).</summary>
    public string DestinationMetadataId { get; set; } = "";

    public bool Enabled { get; set; } = true;

    public string If { get; set; } = "all";

    public string NewEventName { get; set; } = "";

    public List<RenameDraft> Renames { get; } = [];

    public List<ValueDraft> Values { get; } = [];

    public List<FqlPropertyDraft> FqlProperties { get; } = [];

    public static TransformationDraft From(TransformationDefinition definition)
    {
        var draft = new TransformationDraft
        {
            Name = definition.Name,
            SourceId = definition.SourceId,
            DestinationMetadataId = definition.DestinationMetadataId ?? "",
            Enabled = definition.Enabled,
            If = definition.If,
            NewEventName = definition.NewEventName ?? "",
        };
        draft.Renames.AddRange(definition.PropertyRenames.Select(r => new RenameDraft { OldName = r.OldName, NewName = r.NewName }));
        draft.Values.AddRange(definition.PropertyValueTransformations.Select(v => new ValueDraft { Paths = string.Join(", ", v.PropertyPaths), Value = v.PropertyValue }));
        draft.FqlProperties.AddRange(definition.FqlDefinedProperties.Select(f => new FqlPropertyDraft { Fql = f.Fql, PropertyName = f.PropertyName }));
        return draft;
    }

    public IReadOnlyList<PropertyRename> PropertyRenames =>
        Renames.Where(r => r.OldName.Trim().Length > 0 || r.NewName.Trim().Length > 0).Select(r => new PropertyRename(r.OldName.Trim(), r.NewName.Trim())).ToList();

    public IReadOnlyList<PropertyValueTransformation> PropertyValues =>
        Values.Where(v => v.Paths.Trim().Length > 0)
            .Select(v => new PropertyValueTransformation(v.Paths.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), v.Value))
            .ToList();

    public IReadOnlyList<FqlDefinedProperty> FqlDefined =>
        FqlProperties.Where(f => f.Fql.Trim().Length > 0 || f.PropertyName.Trim().Length > 0).Select(f => new FqlDefinedProperty(f.Fql.Trim(), f.PropertyName.Trim())).ToList();

    /// <summary>The transformation as the engine sees it, under <paramref name="id"/>.</summary>
    public TransformationDefinition ToDefinition(string id) => new(
        id, Name.Trim(), SourceId, Blank(DestinationMetadataId), Enabled, If, false, Blank(NewEventName), PropertyRenames, PropertyValues, FqlDefined);

    public NewTransformation ToNew() => new(
        Name, SourceId, Blank(DestinationMetadataId), Enabled, If, false, Blank(NewEventName), PropertyRenames, PropertyValues, FqlDefined);

    /// <summary>The whole form as a change: every member given; an empty destination or event name removes it.</summary>
    public TransformationChanges ToChanges() => new(
        Name, SourceId, DestinationMetadataId, Enabled, If, false, NewEventName, PropertyRenames, PropertyValues, FqlDefined);

    /// <summary>Runs the transformation on <paramref name="eventJson"/> as the processor would, whether it is enabled or not.</summary>
    public TransformationPreview Preview(string eventJson)
    {
        JsonObject? @event;
        try
        {
            @event = JsonNode.Parse(eventJson) as JsonObject;
        }
        catch (JsonException ex)
        {
            return new TransformationPreview(null, null, $"The sample event is not valid JSON: {ex.Message}");
        }

        if (@event is null)
        {
            return new TransformationPreview(null, null, "The sample event must be a JSON object.");
        }

        var definition = ToDefinition("preview") with { Enabled = true };
        if (TransformationCompiler.Problem(definition) is { } problem)
        {
            return new TransformationPreview(null, null, problem);
        }

        var outcome = TransformationCompiler.Compile(definition).Apply(@event);
        return new TransformationPreview(outcome, @event.ToJsonString(Indented), null);
    }

    private static string? Blank(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
