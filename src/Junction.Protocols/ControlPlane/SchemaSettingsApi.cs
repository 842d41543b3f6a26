using System.Text.Json;
using Junction.Protocols.Controls;
using Junction.Workspace.Access;
using Junction.Workspace.PublicApi;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Protocols.ControlPlane;

/// <summary>
/// A source's schema controls at Segment's path (<c>/sources/{sourceId}/settings</c>) and in its shapes. A PATCH
/// changes the members it sends: within <c>track</c>, <c>identify</c> and <c>group</c>, each field sent; a forwarding
/// target sent as a source id sets it, sent as null or an empty string turns that forwarding off, and left out keeps
/// it as it is.
/// </summary>
internal static class SchemaSettingsApi
{
    public static RouteGroupBuilder MapSchemaSettingsRoutes(this RouteGroupBuilder api)
    {
        api.MapGet("/sources/{sourceId}/settings", GetAsync).RequireSource(AccessLevel.Read);
        api.MapPatch("/sources/{sourceId}/settings", UpdateAsync).RequireSource(AccessLevel.Write);
        return api;
    }

    private static async Task<IResult> GetAsync(HttpContext http, string sourceId, ProtocolsService protocols)
    {
        var outcome = await protocols.GetSchemaSettingsAsync(http.GetApiCaller().Principal, sourceId, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(SchemaSettingsV1.From(outcome.Value!));
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string sourceId, ProtocolsService protocols)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var track = fields.Object("track") is { } t
            ? new TrackControlsChanges(
                Flag(fields, t, "track", "allowUnplannedEvents"),
                Flag(fields, t, "track", "allowUnplannedEventProperties"),
                Flag(fields, t, "track", "allowEventOnViolations"),
                Flag(fields, t, "track", "allowPropertiesOnViolations"),
                Action(fields, t, "track", traits: false))
            : null;
        var identify = Traits(fields, "identify");
        var group = Traits(fields, "group");
        var blocked = Target(fields, read.Body, "forwardingBlockedEventsTo");
        var violations = Target(fields, read.Body, "forwardingViolationsTo");
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        var changes = new SchemaSettingsChanges(track, identify, group, blocked, violations);
        var outcome = await protocols.UpdateSchemaSettingsAsync(http.GetApiCaller().Principal, sourceId, changes, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(SchemaSettingsV1.From(outcome.Value!));
    }

    private static TraitsControlsChanges? Traits(JsonFields fields, string group) =>
        fields.Object(group) is { } value
            ? new TraitsControlsChanges(
                Flag(fields, value, group, "allowUnplannedTraits"),
                Flag(fields, value, group, "allowTraitsOnViolations"),
                Action(fields, value, group, traits: true))
            : null;

    private static bool? Flag(JsonFields fields, JsonElement group, string groupName, string name)
    {
        if (!group.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        fields.Fail($"{groupName}.{name}", $"{groupName}.{name} must be true or false, not {JsonFields.Describe(value.ValueKind)}.");
        return null;
    }

    private static CommonViolationAction? Action(JsonFields fields, JsonElement group, string groupName, bool traits)
    {
        if (!group.TryGetProperty("commonEventOnViolations", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && SchemaSettingsRows.Parse(value.GetString()!, traits) is { } action)
        {
            return action;
        }

        var omit = traits ? "OMIT_TRAITS" : "OMIT_PROPERTIES";
        fields.Fail($"{groupName}.commonEventOnViolations", $"{groupName}.commonEventOnViolations must be ALLOW, BLOCK or {omit}.");
        return null;
    }

    private static Forwarding? Target(JsonFields fields, JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value))
        {
            return null;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return new Forwarding(null);
            case JsonValueKind.String:
                var id = value.GetString()!.Trim();
                return new Forwarding(id.Length == 0 ? null : id);
            default:
                fields.Fail(name, $"{name} must be a source id, or null to forward nowhere, not {JsonFields.Describe(value.ValueKind)}.");
                return null;
        }
    }
}
