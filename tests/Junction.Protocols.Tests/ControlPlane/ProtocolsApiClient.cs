using System.Text.Json;
using Junction.Protocols.Observation;
using Junction.Protocols.Processing;
using Junction.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Protocols.Tests.ControlPlane;

/// <summary>
/// What the Protocols control-plane tests add to <see cref="PublicApiJson"/> and <see cref="RoleTokens"/>: a whole
/// server (with a fake schema inventory when a test needs observed events), plans and rules made through the API,
/// tokens holding roles on chosen sources, and rule schemas in Segment's shape.
/// </summary>
internal static class ProtocolsApiClient
{
    /// <summary>Starts a server; with <paramref name="inventory"/>, the schema view's data comes from it.</summary>
    public static Task<JunctionTestServer> StartAsync(FakeSchemaInventory? inventory = null) =>
        JunctionTestServer.StartAsync(configure: builder =>
        {
            if (inventory is not null)
            {
                builder.Services.AddSingleton<ISchemaInventory>(inventory);
            }
        });

    public static ProtocolsDirectory Directory(this JunctionTestServer server) => server.Services.GetRequiredService<ProtocolsDirectory>();

    /// <summary>Creates a plan through the API and answers its id.</summary>
    public static async Task<string> CreatePlanAsync(this HttpClient client, string name = "Web plan")
    {
        var data = await client.PostJsonAsync("tracking-plans", $$"""{"name":"{{name}}","type":"LIVE"}""").DataAsync(201);
        return data.GetProperty("trackingPlan").GetProperty("id").GetString()!;
    }

    /// <summary>Replaces a plan's rules through the API.</summary>
    public static async Task PutRulesAsync(this HttpClient client, string planId, params string[] rules) =>
        Assert.Equal("SUCCESS", (await client.PutJsonAsync($"tracking-plans/{planId}/rules", $$"""{"rules":[{{string.Join(",", rules)}}]}""").DataAsync())
            .GetProperty("status").GetString());

    /// <summary>The plan's rules, as the API lists them (one page of up to 1,000).</summary>
    public static async Task<List<JsonElement>> RulesAsync(this HttpClient client, string planId) =>
        (await client.GetAsync($"tracking-plans/{planId}/rules?pagination[count]=1000").DataAsync()).GetProperty("rules").EnumerateArray().ToList();

    /// <summary>A TRACK rule in Segment's shape whose properties are <paramref name="properties"/> (name → type), none required unless listed.</summary>
    public static string Track(string key, int version = 1, string properties = """{"order_id":{"type":"string"}}""", string required = "[]") =>
        $$"""{"type":"TRACK","key":"{{key}}","version":{{version}},"jsonSchema":{{TrackSchema(properties, required)}}}""";

    public static string TrackSchema(string properties = """{"order_id":{"type":"string"}}""", string required = "[]") =>
        $$$"""{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"properties":{"type":"object","properties":{{{properties}}},"required":{{{required}}}}},"required":["properties"]}""";

    /// <summary>An IDENTIFY (or GROUP) rule whose traits are <paramref name="traits"/>.</summary>
    public static string Traits(string type = "IDENTIFY", string traits = """{"email":{"type":"string"}}""", int version = 1) =>
        $$$"""{"type":"{{{type}}}","version":{{{version}}},"jsonSchema":{{{TraitsSchema(traits)}}}}""";

    public static string TraitsSchema(string traits = """{"email":{"type":"string"}}""") =>
        """{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"traits":{"type":"object","properties":"""
        + traits + "}}}";

    /// <summary>
    /// A client for the default workspace whose token holds each role given: <c>(roleId, null)</c> on the whole
    /// workspace, or <c>(roleId, [sourceIds])</c> on those sources.
    /// </summary>
    public static Task<HttpClient> ClientWithRolesAsync(this JunctionTestServer server, params (string RoleId, string[]? SourceIds)[] roles) =>
        server.CreateApiClientWithPermissionsAsync([.. roles.Select(r => (r.RoleId, "SOURCE", (IReadOnlyList<string>?)r.SourceIds))]);
}

/// <summary>A schema inventory holding a fixed list of observed events per source; the flag setters are not used by these tests.</summary>
internal sealed class FakeSchemaInventory : ISchemaInventory
{
    public Dictionary<string, List<ObservedEvent>> Events { get; } = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<ObservedEvent>> ListAsync(string sourceId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ObservedEvent>>(Events.GetValueOrDefault(sourceId) ?? []);

    public Task SetEventBlockedAsync(string sourceId, string type, string name, bool blocked, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task SetEventArchivedAsync(string sourceId, string type, string name, bool archived, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task SetPropertyBlockedAsync(string sourceId, string type, string name, string path, bool blocked, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}
