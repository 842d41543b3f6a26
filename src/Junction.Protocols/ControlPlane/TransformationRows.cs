using System.Text.Encodings.Web;
using System.Text.Json;
using Junction.Protocols.Transformations;
using Junction.Workspace.Data;

namespace Junction.Protocols.ControlPlane;

/// <summary>
/// Converts between a stored transformation and the engine's <see cref="TransformationDefinition"/>: the lists are
/// stored as JSON arrays in Segment's shapes (<c>[{"oldName","newName"}]</c>…), read back the same way by the control
/// plane and the directory.
/// </summary>
internal static class TransformationRows
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static TransformationDefinition ToDefinition(TransformationEntity row) => new(
        row.Id,
        row.Name,
        row.SourceId,
        row.DestinationMetadataId,
        row.Enabled,
        row.If,
        row.Drop,
        row.NewEventName,
        Read<PropertyRename>(row.PropertyRenamesJson),
        Read<PropertyValueTransformation>(row.PropertyValueTransformationsJson),
        Read<FqlDefinedProperty>(row.FqlDefinedPropertiesJson));

    /// <summary>Writes a definition's fields into a row (its id, workspace and times are the caller's).</summary>
    public static void Write(TransformationDefinition definition, TransformationEntity row)
    {
        row.Name = definition.Name;
        row.SourceId = definition.SourceId;
        row.DestinationMetadataId = definition.DestinationMetadataId;
        row.Enabled = definition.Enabled;
        row.If = definition.If;
        row.Drop = definition.Drop;
        row.NewEventName = definition.NewEventName;
        row.PropertyRenamesJson = JsonSerializer.Serialize(definition.PropertyRenames, Json);
        row.PropertyValueTransformationsJson = JsonSerializer.Serialize(definition.PropertyValueTransformations, Json);
        row.FqlDefinedPropertiesJson = JsonSerializer.Serialize(definition.FqlDefinedProperties, Json);
    }

    private static List<T> Read<T>(string json) => JsonSerializer.Deserialize<List<T>>(json, Json) ?? [];
}
