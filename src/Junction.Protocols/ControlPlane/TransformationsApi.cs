using System.Text.Json;
using Junction.Protocols.Transformations;
using Junction.Workspace.Access;
using Junction.Workspace.PublicApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Protocols.ControlPlane;

/// <summary>
/// Transformations in the Public API, at Segment's paths and in its shape (<c>TransformationV1</c>): list (the ones on
/// sources the caller may read), create (201), get, update, delete. Segment's <c>allowProperties</c> and
/// <c>hashPropertiesConfiguration</c> are refused with a clear message: Junction does not apply them.
/// </summary>
internal static class TransformationsApi
{
    public static RouteGroupBuilder MapTransformationsRoutes(this RouteGroupBuilder api)
    {
        api.MapGet("/transformations", ListAsync).FilteredByAccess("the transformations of the sources the caller may read");
        api.MapPost("/transformations", CreateAsync).RequireSomeSourceAdmin("Creating a transformation");
        api.MapGet("/transformations/{transformationId}", GetAsync).RequireTransformation(AccessLevel.Read);
        api.MapPatch("/transformations/{transformationId}", UpdateAsync).RequireTransformation(AccessLevel.Write);
        api.MapDelete("/transformations/{transformationId}", DeleteAsync).RequireTransformation(AccessLevel.Write);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, ProtocolsService protocols)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        var result = await protocols.ListTransformationsAsync(http.GetApiCaller().Principal, page.Offset, page.Count, http.RequestAborted);
        return ApiResults.Data(new
        {
            transformations = result.Items.Select(TransformationV1.From).ToList(),
            pagination = page.Output(result.TotalEntries),
        });
    }

    private static async Task<IResult> CreateAsync(HttpContext http, ProtocolsService protocols)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var name = fields.String("name", required: true);
        var sourceId = fields.String("sourceId", required: true);
        var destinationMetadataId = fields.String("destinationMetadataId");
        var enabled = fields.Boolean("enabled", required: true);
        var condition = fields.String("if", required: true);
        var drop = fields.Boolean("drop");
        var newEventName = fields.String("newEventName");
        var lists = ReadLists(fields);
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        var input = new NewTransformation(
            name!, sourceId!, destinationMetadataId, enabled!.Value, condition!, drop ?? false, newEventName,
            lists.Renames, lists.Values, lists.Fql);
        var outcome = await protocols.CreateTransformationAsync(http.GetApiCaller().Principal, input, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Created(new { transformation = TransformationV1.From(outcome.Value!) });
    }

    private static async Task<IResult> GetAsync(HttpContext http, string transformationId, ProtocolsService protocols)
    {
        var outcome = await protocols.FindTransformationAsync(http.GetApiCaller().Principal, transformationId, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new { transformation = TransformationV1.From(outcome.Value!) });
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string transformationId, ProtocolsService protocols)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var name = fields.String("name");
        var sourceId = fields.String("sourceId");
        var destinationMetadataId = fields.String("destinationMetadataId");
        var enabled = fields.Boolean("enabled");
        var condition = fields.String("if");
        var drop = fields.Boolean("drop");
        var newEventName = fields.String("newEventName");
        var lists = ReadLists(fields);
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        var changes = new TransformationChanges(
            name, sourceId, destinationMetadataId, enabled, condition, drop, newEventName, lists.Renames, lists.Values, lists.Fql);
        var outcome = await protocols.UpdateTransformationAsync(http.GetApiCaller().Principal, transformationId, changes, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new { transformation = TransformationV1.From(outcome.Value!) });
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string transformationId, ProtocolsService protocols)
    {
        var outcome = await protocols.DeleteTransformationAsync(http.GetApiCaller().Principal, transformationId, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(new { status = "SUCCESS" });
    }

    /// <summary>The three lists in Segment's shapes (null when not sent), refusing the two fields Junction does not apply.</summary>
    private static (List<PropertyRename>? Renames, List<PropertyValueTransformation>? Values, List<FqlDefinedProperty>? Fql) ReadLists(JsonFields fields)
    {
        var renames = ReadItems(fields, "propertyRenames", (item, field) =>
            Text(fields, item, field, "oldName") is { } oldName && Text(fields, item, field, "newName") is { } newName
                ? new PropertyRename(oldName, newName)
                : null);
        var values = ReadItems(fields, "propertyValueTransformations", (item, field) =>
            Paths(fields, item, field) is { } paths && Text(fields, item, field, "propertyValue") is { } value
                ? new PropertyValueTransformation(paths, value)
                : null);
        var fql = ReadItems(fields, "fqlDefinedProperties", (item, field) =>
            Text(fields, item, field, "fql") is { } expression && Text(fields, item, field, "propertyName") is { } propertyName
                ? new FqlDefinedProperty(expression, propertyName)
                : null);
        if (fields.Array("allowProperties") is { } allow && allow.GetArrayLength() > 0)
        {
            fields.Fail("allowProperties", "allowProperties is not supported by Junction: use propertyRenames, propertyValueTransformations or a destination filter.");
        }

        if (fields.Object("hashPropertiesConfiguration") is not null)
        {
            fields.Fail("hashPropertiesConfiguration", "hashPropertiesConfiguration is not supported by Junction.");
        }

        return (renames, values, fql);
    }

    private static List<T>? ReadItems<T>(JsonFields fields, string name, Func<JsonElement, string, T?> read)
        where T : class
    {
        if (fields.Array(name) is not { } array)
        {
            return null;
        }

        var items = new List<T>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var field = $"{name}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                fields.Fail(field, $"{field} must be an object, not {JsonFields.Describe(item.ValueKind)}.");
            }
            else if (read(item, field) is { } value)
            {
                items.Add(value);
            }
        }

        return items;
    }

    private static string? Text(JsonFields fields, JsonElement item, string field, string name)
    {
        if (item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        fields.Fail($"{field}.{name}", $"{field}.{name} is required and must be a string.");
        return null;
    }

    private static List<string>? Paths(JsonFields fields, JsonElement item, string field)
    {
        if (item.TryGetProperty("propertyPaths", out var value) && value.ValueKind == JsonValueKind.Array
            && value.EnumerateArray().All(p => p.ValueKind == JsonValueKind.String))
        {
            return value.EnumerateArray().Select(p => p.GetString()!).ToList();
        }

        fields.Fail($"{field}.propertyPaths", $"{field}.propertyPaths is required and must be an array of strings.");
        return null;
    }
}
