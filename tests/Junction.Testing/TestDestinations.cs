using System.Text.Json.Nodes;
using Junction.Destinations.Catalog;
using Junction.Destinations.ControlPlane;
using Junction.Destinations.Framework;
using Junction.Workspace.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Testing;

/// <summary>
/// Destinations that exist only in tests, added to the catalog after the built-in ones, so that control-plane tests
/// do not depend on any real destination's settings: "Probe (Actions)" has a required secret, a select, a number and
/// two actions with a preset; "Probe Classic" has no mappings.
/// </summary>
public static class TestDestinations
{
    public const string ActionsId = "probe-actions-0001";
    public const string ActionsSlug = "probe-actions";
    public const string ClassicId = "probe-classic-0001";
    public const string TrackActionId = "probeTrack";
    public const string IdentifyActionId = "probeIdentify";

    /// <summary>Adds the test destinations to the server's catalog; pass it as <c>configure</c> to <see cref="JunctionTestServer.StartAsync"/>.</summary>
    public static void Register(WebApplicationBuilder builder) =>
        builder.Services.AddSingleton(new DestinationCatalog([.. BuiltInDestinations.All, new Probe(ActionsDefinition), new Probe(ClassicDefinition)]));

    internal static DestinationDefinition ActionsDefinition { get; } = new(
        ActionsId,
        ActionsSlug,
        "Probe (Actions)",
        "A destination that only tests use.",
        [DestinationCategories.Analytics],
        "https://example.com/probe",
        new SourceBadge("PR", "#123456"),
        [
            new SettingDefinition("apiKey", "API Key", "The probe's secret key.", FieldType.Password, Required: true),
            new SettingDefinition("region", "Region", "Where the probe lives.", FieldType.Select, Default: JsonValue.Create("us"),
                Choices: [new Choice("us", "United States"), new Choice("eu", "Europe")]),
            new SettingDefinition("batchSize", "Batch size", "How many events per request.", FieldType.Integer),
        ],
        [
            new ActionDefinition(TrackActionId, "trackEvent", "Track Event", "Sends a track event.", "type = \"track\"",
            [
                new ActionField("event_name", "Event name", "The event's name.", FieldType.String, Required: true,
                    Default: new JsonObject { ["@path"] = "$.event" }),
                new ActionField("user_id", "User ID", "The user.", FieldType.String, Default: new JsonObject { ["@path"] = "$.userId" }),
            ], MaxBatchSize: 10),
            new ActionDefinition(IdentifyActionId, "identifyUser", "Identify User", "Sends traits.", "type = \"identify\"",
            [
                new ActionField("traits", "Traits", "The user's traits.", FieldType.Object, Default: new JsonObject { ["@path"] = "$.traits" }),
            ]),
        ],
        [new Preset("Track Calls", TrackActionId, "type = \"track\"")],
        "https://probe.example.com");

    internal static DestinationDefinition ClassicDefinition { get; } = new(
        ClassicId,
        "probe-classic",
        "Probe Classic",
        "A classic destination that only tests use.",
        [DestinationCategories.Raw],
        "https://example.com/probe-classic",
        new SourceBadge("PC", "#654321"),
        [new SettingDefinition("endpoint", "Endpoint", "Where events go.", FieldType.String)],
        [new ActionDefinition("send", "send", "Send", "Sends the whole event.", null, [], Classic: true, ClassicTypes: ["track", "identify"])],
        [],
        "https://probe-classic.example.com");

    private sealed class Probe(DestinationDefinition definition) : IDestination
    {
        public DestinationDefinition Definition => definition;

        public ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken) =>
            ValueTask.FromResult(SendResult.Ok());
    }
}
