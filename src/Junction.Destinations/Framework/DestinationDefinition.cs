using System.Text.Json.Nodes;
using Junction.Workspace.Catalog;

namespace Junction.Destinations.Framework;

/// <summary>
/// What the catalog says of a destination: who it is, the settings it needs, and the actions it can perform. A
/// destination's code builds one of these once; the catalog API, the app's forms and the fan-out all read it.
/// </summary>
/// <param name="Id">The catalog id, Segment's where Segment has one (the Public API's <c>metadataId</c>).</param>
/// <param name="Slug">A stable lower-case name (<c>actions-amplitude</c>); also the logo's file name.</param>
/// <param name="Name">The name shown in the catalog (<c>Amplitude (Actions)</c>).</param>
/// <param name="Description">One or two sentences on what the tool does and what Junction sends it.</param>
/// <param name="Categories">The catalog's categories, main first (<see cref="DestinationCategories"/>).</param>
/// <param name="Website">The tool's home page.</param>
/// <param name="Badge">How its logo is drawn: initials on a rounded square in the tool's colour.</param>
/// <param name="Settings">The destination-wide settings (API keys, region), in the order a form shows them.</param>
/// <param name="Actions">
/// What the destination can do with an event. A classic destination (no mappings) has one action with
/// <see cref="ActionDefinition.Classic"/> set, which receives the whole event of every supported type.
/// </param>
/// <param name="Presets">The subscriptions a new instance starts with (Segment's "presets").</param>
/// <param name="DefaultBaseUrl">
/// The tool's API address; every request goes to a path under the base URL, which an instance's
/// <see cref="BaseUrlSetting"/> overrides (proxies, regions, tests).
/// </param>
/// <param name="IntegrationNames">
/// Other names an event's <c>integrations</c> object may use for this destination (names are case-sensitive); its
/// <see cref="Name"/> always counts.
/// </param>
internal sealed record DestinationDefinition(
    string Id,
    string Slug,
    string Name,
    string Description,
    IReadOnlyList<string> Categories,
    string Website,
    SourceBadge Badge,
    IReadOnlyList<SettingDefinition> Settings,
    IReadOnlyList<ActionDefinition> Actions,
    IReadOnlyList<Preset> Presets,
    string DefaultBaseUrl,
    IReadOnlyList<string>? IntegrationNames = null)
{
    /// <summary>The setting every destination accepts that replaces <see cref="DefaultBaseUrl"/>.</summary>
    public const string BaseUrlSetting = "baseUrl";

    /// <summary>Whether this destination maps events (Destination Actions) rather than receiving them whole.</summary>
    public bool HasMappings => Actions.Any(a => !a.Classic);

    public ActionDefinition? FindAction(string actionIdOrSlug) =>
        Actions.FirstOrDefault(a => string.Equals(a.Id, actionIdOrSlug, StringComparison.Ordinal)
            || string.Equals(a.Slug, actionIdOrSlug, StringComparison.Ordinal));
}

/// <summary>The catalog's destination categories, in the order the app lists them.</summary>
internal static class DestinationCategories
{
    public const string Analytics = "Analytics";
    public const string Advertising = "Advertising";
    public const string EmailMarketing = "Email Marketing";
    public const string LiveChat = "Live Chat";
    public const string Crm = "CRM";
    public const string Marketing = "Marketing Automation";
    public const string Raw = "Raw Data";
    public const string Other = "Other";

    public static readonly IReadOnlyList<string> Order = [Analytics, Advertising, EmailMarketing, Marketing, Crm, LiveChat, Raw, Other];
}

/// <summary>The type of a setting or an action field, as Segment's catalog names them.</summary>
internal enum FieldType
{
    String,
    Text,
    Password,
    Number,
    Integer,
    Boolean,
    Datetime,
    Object,
    Select,
}

/// <summary>One destination-wide setting.</summary>
/// <param name="Key">The key in the instance's settings object (<c>apiKey</c>).</param>
/// <param name="Label">The form's label.</param>
/// <param name="Description">What it is and where to find it.</param>
/// <param name="Type">Its type; <see cref="FieldType.Password"/> marks a secret, encrypted at rest and masked on read.</param>
/// <param name="Required">Whether an enabled instance must have it.</param>
/// <param name="Default">The value a new instance starts with, if any.</param>
/// <param name="Choices">For <see cref="FieldType.Select"/>: the allowed values with their labels.</param>
internal sealed record SettingDefinition(
    string Key,
    string Label,
    string Description,
    FieldType Type,
    bool Required = false,
    JsonNode? Default = null,
    IReadOnlyList<Choice>? Choices = null)
{
    public bool Secret => Type == FieldType.Password;
}

/// <summary>An allowed value of a select setting or field.</summary>
internal sealed record Choice(string Value, string Label);

/// <summary>
/// One thing a destination does with an event (Segment's "action"): the fields its mapping fills, the trigger new
/// subscriptions start with, and how many mapped events one request may carry.
/// </summary>
/// <param name="Id">Stable id, unique within the destination (used by subscriptions' <c>actionId</c>).</param>
/// <param name="Slug">Segment's action slug (<c>logEventV2</c>).</param>
/// <param name="Name">The name shown in the app (<c>Log Event</c>).</param>
/// <param name="Description">What the action sends.</param>
/// <param name="DefaultTrigger">The trigger a new subscription of this action starts with (FQL subscription syntax), or null.</param>
/// <param name="Fields">The fields of its mapping, each with its default (usually a directive such as <c>{"@path":"$.userId"}</c>).</param>
/// <param name="MaxBatchSize">The most mapped events one send may carry (1: one request per event).</param>
/// <param name="BatchKeys">
/// Mapped fields whose values must be equal for events to share a batch (the webhook's <c>url</c>, <c>method</c>,
/// <c>headers</c>); empty when any events of the action may share one.
/// </param>
/// <param name="Classic">
/// A classic destination's only action: no mapping and no trigger; it receives the whole event of every type in
/// <see cref="ClassicTypes"/>.
/// </param>
/// <param name="ClassicTypes">For a classic action, the event types it accepts (<c>track</c>, <c>identify</c> …).</param>
internal sealed record ActionDefinition(
    string Id,
    string Slug,
    string Name,
    string Description,
    string? DefaultTrigger,
    IReadOnlyList<ActionField> Fields,
    int MaxBatchSize = 1,
    IReadOnlyList<string>? BatchKeys = null,
    bool Classic = false,
    IReadOnlyList<string>? ClassicTypes = null)
{
    /// <summary>Segment's mapping field that turns an action's batching on; an event whose mapping leaves it off travels alone.</summary>
    public const string EnableBatchingField = "enable_batching";

    /// <summary>Segment's mapping field for the most events one batched request carries.</summary>
    public const string BatchSizeField = "batch_size";

    /// <summary>
    /// The largest batch one mapped event may travel in, by its own mapping: for an action with Segment's
    /// <see cref="EnableBatchingField"/>, 1 unless the mapping turns it on; then at most the mapping's
    /// <see cref="BatchSizeField"/> when the action has one; never more than <see cref="MaxBatchSize"/>. An event that
    /// travels alone is sent at once, without waiting for others to share its request.
    /// </summary>
    public int BatchLimitOf(JsonObject payload)
    {
        var limit = Math.Max(1, MaxBatchSize);
        if (limit == 1)
        {
            return 1;
        }

        if (HasField(EnableBatchingField) && !payload.Flag(EnableBatchingField))
        {
            return 1;
        }

        return HasField(BatchSizeField) && payload.Number(BatchSizeField) is { } size && size >= 1
            ? (int)Math.Min(limit, Math.Floor(size))
            : limit;
    }

    private bool HasField(string key) => Fields.Any(f => string.Equals(f.Key, key, StringComparison.Ordinal));

    /// <summary>The mapping a new subscription starts with: every field's default.</summary>
    public JsonObject DefaultMapping()
    {
        var mapping = new JsonObject();
        foreach (var field in Fields)
        {
            if (field.Default is { } value)
            {
                mapping[field.Key] = value.DeepClone();
            }
        }

        return mapping;
    }
}

/// <summary>One field of an action's mapping.</summary>
/// <param name="Key">The key in the mapped payload (<c>user_id</c>).</param>
/// <param name="Label">The label in the mapping editor.</param>
/// <param name="Description">What the tool does with it.</param>
/// <param name="Type">Its type; the mapped value is checked (and numbers in strings converted) before sending.</param>
/// <param name="Required">Whether an event whose mapping leaves it empty is refused (a permanent failure).</param>
/// <param name="Default">The default mapping of the field: a value or a directive.</param>
/// <param name="Multiple">Whether it holds a list.</param>
/// <param name="Choices">For <see cref="FieldType.Select"/>: the allowed values.</param>
internal sealed record ActionField(
    string Key,
    string Label,
    string Description,
    FieldType Type,
    bool Required = false,
    JsonNode? Default = null,
    bool Multiple = false,
    IReadOnlyList<Choice>? Choices = null);

/// <summary>A subscription a new instance starts with: an action, a trigger, and the mapping (the action's default unless given).</summary>
internal sealed record Preset(string Name, string ActionId, string Trigger, JsonObject? Mapping = null);
