using System.Text.Json.Nodes;

namespace Junction.Destinations.Framework;

/// <summary>
/// One configured destination as the data plane sees it: a catalog destination connected to a source, with its
/// settings (secrets decrypted), its subscriptions and its filters, all compiled. Immutable: a change to the
/// configuration makes a new instance.
/// </summary>
/// <param name="Id">The destination's id (the Public API's destination id).</param>
/// <param name="WorkspaceId">Its workspace.</param>
/// <param name="SourceId">The source whose events it receives.</param>
/// <param name="Name">Its name in the workspace.</param>
/// <param name="Destination">The catalog destination that sends.</param>
/// <param name="Enabled">Whether events are fanned out to it.</param>
/// <param name="Settings">Its settings, secrets decrypted.</param>
/// <param name="Subscriptions">Its enabled subscriptions (for a classic destination, one implicit subscription of its classic action).</param>
/// <param name="Filters">Its destination filters, compiled (disabled ones left out).</param>
/// <param name="Version">Changes whenever the configuration changes (for caches keyed by instance).</param>
internal sealed record DestinationInstance(
    string Id,
    string WorkspaceId,
    string SourceId,
    string Name,
    IDestination Destination,
    bool Enabled,
    JsonObject Settings,
    IReadOnlyList<CompiledSubscription> Subscriptions,
    Junction.Fql.DestinationFilterSet Filters,
    long Version)
{
    public DestinationDefinition Definition => Destination.Definition;

    /// <summary>The API address to send to: the instance's <see cref="DestinationDefinition.BaseUrlSetting"/> or the default.</summary>
    public string BaseUrl =>
        (Settings[DestinationDefinition.BaseUrlSetting] is JsonValue value && value.TryGetValue<string>(out var url) && url.Length > 0
            ? url
            : Definition.DefaultBaseUrl).TrimEnd('/');
}

/// <summary>A subscription ready to run: its action, its trigger (null for a classic action: every supported event) and its mapping.</summary>
internal sealed record CompiledSubscription(
    string Id,
    string Name,
    ActionDefinition Action,
    Junction.Subscriptions.Trigger? Trigger,
    Junction.Mapping.CompiledMapping? Mapping);

/// <summary>
/// The current destinations of every source, for the fan-out and the router. Implemented over the control plane's
/// database with a cache that is replaced whenever a destination, subscription or filter changes.
/// </summary>
internal interface IDestinationDirectory
{
    /// <summary>The enabled destinations connected to a source (an empty list when there are none). Cheap: called per event.</summary>
    IReadOnlyList<DestinationInstance> ForSource(string sourceId);

    /// <summary>Every destination, enabled or not, with its current configuration.</summary>
    IReadOnlyList<DestinationInstance> All();

    /// <summary>One destination by id, or null.</summary>
    DestinationInstance? Find(string destinationId);

    /// <summary>Completes (once) when the configuration next changes; wait on it to pick up changes.</summary>
    Task Changed { get; }
}
