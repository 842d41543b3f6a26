using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Protocols.Transformations;
using Junction.Testing;

namespace Junction.Protocols.Tests.ControlPlane;

/// <summary>
/// Transformations through the Public API: Segment's <c>TransformationV1</c> shape field by field, partial updates,
/// problems found by the Protocols engine or by the control plane named, the fields Junction does not apply refused,
/// and the processor's directory compiling enabled transformations by scope.
/// </summary>
public sealed class TransformationsApiTests : IAsyncLifetime
{
    private JunctionTestServer _server = null!;
    private HttpClient _api = null!;
    private string _source = "";

    public async ValueTask InitializeAsync()
    {
        _server = await ProtocolsApiClient.StartAsync();
        _api = await _server.CreateApiClientAsync();
        (_source, _) = await _server.CreateSourceAsync("web");
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ACreatedTransformationHasSegmentsShapeAndReadsBackTheSame()
    {
        var created = (await _api.PostJsonAsync("transformations", Body()).DataAsync(201)).GetProperty("transformation");

        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("tfm_", id, StringComparison.Ordinal);
        Assert.Equal(
            ["id", "name", "sourceId", "enabled", "if", "drop", "newEventName", "propertyRenames", "propertyValueTransformations", "fqlDefinedProperties"],
            created.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("Fix order event", _source, true, "event = 'completed_order'", false, "Order Completed"),
            (created.GetProperty("name").GetString(), created.GetProperty("sourceId").GetString(), created.GetProperty("enabled").GetBoolean(),
             created.GetProperty("if").GetString(), created.GetProperty("drop").GetBoolean(), created.GetProperty("newEventName").GetString()));
        Assert.Equal("""[{"oldName":"orderId","newName":"order_id"}]""", created.GetProperty("propertyRenames").GetRawText());
        Assert.Equal("""[{"propertyPaths":["properties.currency"],"propertyValue":"USD"}]""", created.GetProperty("propertyValueTransformations").GetRawText());
        Assert.Equal("[]", created.GetProperty("fqlDefinedProperties").GetRawText());

        var read = (await _api.GetAsync($"transformations/{id}").DataAsync()).GetProperty("transformation");
        Assert.Equal(created.ToString(), read.ToString());
        var list = await _api.GetAsync("transformations").DataAsync();
        Assert.Equal(created.ToString(), Assert.Single(list.GetProperty("transformations").EnumerateArray()).ToString());
        Assert.Equal(1, list.GetProperty("pagination").GetProperty("totalEntries").GetInt32());
    }

    [Fact]
    public async Task TheDirectoryCompilesEnabledTransformationsBySourceAndDestinationScope()
    {
        var sourceScoped = await CreateAsync(Body());
        var destinationScoped = await CreateAsync(Body(name: "For Slack", destination: "slack-actions", newEventName: null,
            renames: """[{"oldName":"email","newName":"user_email"}]"""));
        await CreateAsync(Body(name: "Off", enabled: false));

        var protocols = _server.Directory().ForSource(_source)!;
        var compiled = Assert.Single(protocols.SourceTransformations);
        Assert.Equal(sourceScoped, compiled.Definition.Id);
        var forSlack = Assert.Single(protocols.DestinationTransformations["slack-actions"]);
        Assert.Equal(destinationScoped, forSlack.Definition.Id);
        Assert.Single(protocols.DestinationTransformations);

        var @event = JsonNode.Parse("""{"type":"track","event":"completed_order","properties":{"orderId":"o-1","currency":"EUR"}}""")!.AsObject();
        Assert.Equal(TransformOutcome.Changed, compiled.Apply(@event));
        Assert.Equal("Order Completed", @event["event"]!.GetValue<string>());
        Assert.Equal("""{"currency":"USD","order_id":"o-1"}""", SortedProperties(@event));

        await _api.PatchJsonAsync($"transformations/{sourceScoped}", """{"enabled":false}""").DataAsync();
        Assert.Empty(_server.Directory().ForSource(_source)!.SourceTransformations);
        await _api.DeleteAsync($"transformations/{destinationScoped}").DataAsync();
        Assert.Null(_server.Directory().ForSource(_source));
    }

    [Fact]
    public async Task APatchChangesWhatItSendsAndAnEmptyStringRemovesAnOptionalField()
    {
        var id = await CreateAsync(Body(destination: "slack-actions"));

        var changed = (await _api.PatchJsonAsync($"transformations/{id}", """
            {"name":"Renamed","destinationMetadataId":"","newEventName":"","propertyRenames":[],"fqlDefinedProperties":[{"fql":"lowercase(properties.email)","propertyName":"properties.email_lower"}],"propertyValueTransformations":[]}
            """).DataAsync()).GetProperty("transformation");

        Assert.Equal(("Renamed", "event = 'completed_order'", true), (changed.GetProperty("name").GetString(), changed.GetProperty("if").GetString(),
            changed.GetProperty("enabled").GetBoolean()));
        Assert.False(changed.TryGetProperty("destinationMetadataId", out _));
        Assert.False(changed.TryGetProperty("newEventName", out _));
        Assert.Equal("[]", changed.GetProperty("propertyRenames").GetRawText());
        Assert.Equal("""[{"fql":"lowercase(properties.email)","propertyName":"properties.email_lower"}]""", changed.GetProperty("fqlDefinedProperties").GetRawText());
        Assert.Single(_server.Directory().ForSource(_source)!.SourceTransformations);
    }

    [Theory]
    [InlineData("name")]
    [InlineData("sourceId")]
    [InlineData("enabled")]
    [InlineData("if")]
    public async Task ARequiredFieldLeftOutIsNamed(string field)
    {
        var body = JsonNode.Parse(Body())!.AsObject();
        body.Remove(field);

        var error = await _api.PostJsonAsync("transformations", body.ToJsonString()).ErrorAsync(422);

        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Empty((await _api.GetAsync("transformations").DataAsync()).GetProperty("transformations").EnumerateArray());
    }

    [Theory]
    [InlineData("propertyRenames", """[{"oldName":"a"}]""", "propertyRenames[0].newName")]
    [InlineData("propertyRenames", """["a"]""", "propertyRenames[0]")]
    [InlineData("propertyValueTransformations", """[{"propertyPaths":"properties.a","propertyValue":"x"}]""", "propertyValueTransformations[0].propertyPaths")]
    [InlineData("fqlDefinedProperties", """[{"fql":"lowercase(properties.a)"}]""", "fqlDefinedProperties[0].propertyName")]
    [InlineData("allowProperties", """["properties.a"]""", "allowProperties")]
    [InlineData("hashPropertiesConfiguration", """{"algorithm":"sha256","paths":["properties.email"]}""", "hashPropertiesConfiguration")]
    [InlineData("if", "\"   \"", "if")]
    [InlineData("name", "\"\"", "name")]
    public async Task AMalformedFieldIsRefusedWith422NamingIt(string name, string value, string field)
    {
        var body = JsonNode.Parse(Body())!.AsObject();
        body[name] = JsonNode.Parse(value);

        var error = await _api.PostJsonAsync("transformations", body.ToJsonString()).ErrorAsync(422);

        Assert.Equal(field, error.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("if", "\"event = \"")]
    [InlineData("propertyRenames", """[{"oldName":"userId","newName":"user_id"}]""")]
    [InlineData("propertyRenames", """[{"oldName":"properties.a","newName":"properties.b"},{"oldName":"properties.a","newName":"properties.c"}]""")]
    public async Task WhatTheEngineCannotApplyIsRefusedWithItsProblem(string name, string value)
    {
        var body = JsonNode.Parse(Body())!.AsObject();
        body[name] = JsonNode.Parse(value);
        var definition = new TransformationDefinition(
            "x", "x", _source, null, true, body["if"]!.GetValue<string>(), false, "Order Completed",
            JsonSerializer.Deserialize<List<PropertyRename>>(body["propertyRenames"]!.ToJsonString(), JsonSerializerOptions.Web)!,
            [new PropertyValueTransformation(["properties.currency"], "USD")],
            []);

        var error = await _api.PostJsonAsync("transformations", body.ToJsonString()).ErrorAsync(422);

        Assert.Equal("input-validation", error.GetProperty("type").GetString());
        Assert.Equal(TransformationCompiler.Problem(definition), error.GetProperty("message").GetString());
        Assert.Empty((await _api.GetAsync("transformations").DataAsync()).GetProperty("transformations").EnumerateArray());
    }

    [Fact]
    public async Task AnUpdateTheEngineRefusesLeavesTheTransformationAsItWas()
    {
        var id = await CreateAsync(Body());
        var before = (await _api.GetAsync($"transformations/{id}").DataAsync()).ToString();

        await _api.PatchJsonAsync($"transformations/{id}", """{"name":"New","if":"event = "}""").ErrorAsync(422);

        Assert.Equal(before, (await _api.GetAsync($"transformations/{id}").DataAsync()).ToString());
    }

    [Fact]
    public async Task ASourceOfAnotherWorkspaceIsNotFoundAndSoIsAnotherWorkspacesTransformation()
    {
        var (otherOwner, foreignSource) = await _server.AddOtherWorkspaceAsync();
        var id = await CreateAsync(Body());

        var error = await _api.PostJsonAsync("transformations", Body(source: foreignSource)).ErrorAsync(404);
        Assert.Equal("sourceId", error.GetProperty("field").GetString());
        await otherOwner.GetAsync($"transformations/{id}").ErrorAsync(404);
        await otherOwner.PatchJsonAsync($"transformations/{id}", """{"name":"Mine now"}""").ErrorAsync(404);
        await otherOwner.DeleteAsync($"transformations/{id}").ErrorAsync(404);
        Assert.Empty((await otherOwner.GetAsync("transformations").DataAsync()).GetProperty("transformations").EnumerateArray());
        var moved = await _api.PatchJsonAsync($"transformations/{id}", $$"""{"sourceId":"{{foreignSource}}"}""").ErrorAsync(404);
        Assert.Equal("sourceId", moved.GetProperty("field").GetString());
    }

    [Fact]
    public async Task ChangesAreInTheAuditTrail()
    {
        var id = await CreateAsync(Body());
        await _api.PatchJsonAsync($"transformations/{id}", """{"enabled":false}""").DataAsync();
        await _api.DeleteAsync($"transformations/{id}").DataAsync();

        var events = (await _api.GetAsync($"audit-events?resourceId={id}").DataAsync()).GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["Transformation Deleted", "Transformation Modified", "Transformation Created"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.All(events, e => Assert.Equal("TRANSFORMATION", e.GetProperty("resourceType").GetString()));
    }

    private async Task<string> CreateAsync(string body) =>
        (await _api.PostJsonAsync("transformations", body).DataAsync(201)).GetProperty("transformation").GetProperty("id").GetString()!;

    private string Body(
        string name = "Fix order event",
        string? source = null,
        string? destination = null,
        bool enabled = true,
        string? newEventName = "Order Completed",
        string renames = """[{"oldName":"orderId","newName":"order_id"}]""")
    {
        var body = new JsonObject
        {
            ["name"] = name,
            ["sourceId"] = source ?? _source,
            ["enabled"] = enabled,
            ["if"] = "event = 'completed_order'",
            ["propertyRenames"] = JsonNode.Parse(renames),
            ["propertyValueTransformations"] = JsonNode.Parse("""[{"propertyPaths":["properties.currency"],"propertyValue":"USD"}]"""),
        };
        if (destination is not null)
        {
            body["destinationMetadataId"] = destination;
        }

        if (newEventName is not null)
        {
            body["newEventName"] = newEventName;
        }

        return body.ToJsonString();
    }

    private static string SortedProperties(JsonObject @event) =>
        new JsonObject(@event["properties"]!.AsObject().OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))).ToJsonString();
}
