using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Junction.Destinations.Framework;
using Junction.Workspace.PublicApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Destinations.ControlPlane;

/// <summary>
/// The destinations catalog in the Public API: <c>GET /catalog/destinations</c> (paginated, under
/// <c>destinationsCatalog</c>) and <c>GET /catalog/destinations/{id}</c> (under <c>destinationMetadata</c>), in
/// Segment's DestinationMetadataV1 shape. Any member may read it.
/// </summary>
internal static class DestinationCatalogApi
{
    public static RouteGroupBuilder MapDestinationCatalogApi(this RouteGroupBuilder api)
    {
        api.MapGet("/catalog/destinations", List).AllowMembers();
        api.MapGet("/catalog/destinations/{destinationMetadataId}", Get).AllowMembers();
        return api;
    }

    private static IResult List(HttpRequest request, DestinationCatalog catalog)
    {
        if (!Pagination.TryRead(request, out var page, out var error))
        {
            return error!;
        }

        var items = catalog.All.Skip(page.Offset).Take(page.Count).Select(d => DestinationMetadataV1.From(d.Definition, request)).ToList();
        return ApiResults.Data(new { destinationsCatalog = items, pagination = page.Output(catalog.All.Count) });
    }

    private static IResult Get(HttpRequest request, string destinationMetadataId, DestinationCatalog catalog) =>
        catalog.Find(destinationMetadataId) is { } destination
            ? ApiResults.Data(new { destinationMetadata = DestinationMetadataV1.From(destination.Definition, request) })
            : ApiResults.NotFound("Destinations catalog entry");
}

/// <summary>
/// A catalog destination as the Public API shows it (Segment's <c>DestinationMetadataV1</c>): its settings as
/// <c>options</c>, its Destination Actions (a classic destination has none) and the presets a new instance starts with.
/// Every Junction destination runs in cloud mode on the server, so the platforms and components say so.
/// </summary>
internal sealed record DestinationMetadataV1(
    string Id,
    string Name,
    string Description,
    string Slug,
    DestinationLogosV1 Logos,
    IReadOnlyList<DestinationOptionV1> Options,
    string Status,
    IReadOnlyList<string> PreviousNames,
    IReadOnlyList<string> Categories,
    string Website,
    IReadOnlyList<object> Components,
    DestinationFeaturesV1 SupportedFeatures,
    DestinationMethodsV1 SupportedMethods,
    DestinationPlatformsV1 SupportedPlatforms,
    IReadOnlyList<DestinationActionV1> Actions,
    IReadOnlyList<DestinationPresetV1> Presets)
{
    public static DestinationMetadataV1 From(DestinationDefinition definition, HttpRequest request) => new(
        definition.Id,
        definition.Name,
        definition.Description,
        definition.Slug,
        new DestinationLogosV1(DestinationLogos.UrlFor(request, definition)),
        definition.Settings.Select(DestinationOptionV1.From).ToList(),
        "PUBLIC",
        [],
        definition.Categories,
        definition.Website,
        [],
        new DestinationFeaturesV1("MULTIPLE", "NONE"),
        DestinationMethodsV1.From(definition),
        new DestinationPlatformsV1(Browser: false, Server: true, Mobile: false),
        definition.Actions.Where(a => !a.Classic).Select(DestinationActionV1.From).ToList(),
        definition.Presets.Select(p => DestinationPresetV1.From(definition, p)).ToList());
}

/// <summary>Logo URLs; Junction draws one logo per destination, so only <c>default</c> is set.</summary>
internal sealed record DestinationLogosV1(string Default);

/// <summary>
/// A destination-wide setting (Segment's <c>IntegrationOptionBeta</c>), with <c>choices</c> added for select
/// settings so that a form can offer them.
/// </summary>
internal sealed record DestinationOptionV1(
    string Name,
    string Type,
    bool Required,
    string Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonNode? DefaultValue,
    string Label,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ChoiceV1>? Choices)
{
    public static DestinationOptionV1 From(SettingDefinition setting) => new(
        setting.Key,
        OptionType(setting.Type),
        setting.Required,
        setting.Description,
        setting.Default?.DeepClone(),
        setting.Label,
        setting.Choices?.Select(c => new ChoiceV1(c.Label, c.Value)).ToList());

    /// <summary>Segment's option type names (lower case: <c>string</c>, <c>password</c>, <c>select</c>, …).</summary>
    private static string OptionType(FieldType type) => type switch
    {
        FieldType.Integer => "number",
        FieldType.Object => "map",
        _ => type.ToString().ToLowerInvariant(),
    };
}

internal sealed record ChoiceV1(string Label, string Value);

internal sealed record DestinationFeaturesV1(string CloudModeInstances, string DeviceModeInstances);

/// <summary>The event types a destination takes: a classic destination's own list; an Actions destination, any type its triggers choose.</summary>
internal sealed record DestinationMethodsV1(bool Pageview, bool Identify, bool Alias, bool Track, bool Group)
{
    public static DestinationMethodsV1 From(DestinationDefinition definition)
    {
        var classic = definition.Actions.FirstOrDefault(a => a.Classic);
        if (definition.HasMappings || classic?.ClassicTypes is null)
        {
            return new(true, true, true, true, true);
        }

        var types = classic.ClassicTypes;
        bool Has(string type) => types.Contains(type, StringComparer.Ordinal);
        return new(Has("page"), Has("identify"), Has("alias"), Has("track"), Has("group"));
    }
}

internal sealed record DestinationPlatformsV1(bool Browser, bool Server, bool Mobile);

/// <summary>A Destination Action (Segment's <c>DestinationMetadataActionV1</c>).</summary>
internal sealed record DestinationActionV1(
    string Id,
    string Slug,
    string Name,
    string Description,
    string Platform,
    bool Hidden,
    string? DefaultTrigger,
    IReadOnlyList<DestinationActionFieldV1> Fields)
{
    public static DestinationActionV1 From(ActionDefinition action) => new(
        action.Id,
        action.Slug,
        action.Name,
        action.Description,
        "CLOUD",
        Hidden: false,
        action.DefaultTrigger,
        action.Fields.Select((f, i) => DestinationActionFieldV1.From(action, f, i)).ToList());
}

/// <summary>
/// One field of an action's mapping (Segment's <c>DestinationMetadataActionFieldV1</c>). A select field is shown as
/// <c>STRING</c> with its <c>choices</c>, as Segment does.
/// </summary>
internal sealed record DestinationActionFieldV1(
    string Id,
    int SortOrder,
    string FieldKey,
    string Label,
    string Type,
    string Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonNode? DefaultValue,
    bool Required,
    bool Multiple,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ChoiceV1>? Choices,
    bool Dynamic,
    bool AllowNull)
{
    public static DestinationActionFieldV1 From(ActionDefinition action, ActionField field, int index) => new(
        action.Id + "." + field.Key,
        index,
        field.Key,
        field.Label,
        field.Type == FieldType.Select ? "STRING" : field.Type.ToString().ToUpperInvariant(),
        field.Description,
        field.Default?.DeepClone(),
        field.Required,
        field.Multiple,
        field.Choices?.Select(c => new ChoiceV1(c.Label, c.Value)).ToList(),
        Dynamic: false,
        AllowNull: false);
}

/// <summary>A subscription a new instance starts with (Segment's <c>DestinationMetadataSubscriptionPresetV1</c>).</summary>
internal sealed record DestinationPresetV1(string ActionId, string Name, JsonObject Fields, string Trigger)
{
    public static DestinationPresetV1 From(DestinationDefinition definition, Preset preset) => new(
        preset.ActionId,
        preset.Name,
        PresetMapping(definition, preset),
        preset.Trigger);

    /// <summary>The preset's own mapping, or its action's default mapping.</summary>
    public static JsonObject PresetMapping(DestinationDefinition definition, Preset preset) =>
        preset.Mapping?.DeepClone().AsObject() ?? definition.FindAction(preset.ActionId)?.DefaultMapping() ?? [];
}
