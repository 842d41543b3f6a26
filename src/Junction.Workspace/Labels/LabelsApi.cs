using System.Text.Json;
using System.Text.Json.Serialization;
using Junction.Workspace.Access;
using Junction.Workspace.PublicApi;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Workspace.Labels;

/// <summary>
/// Labels in the Public API: <c>GET /labels</c> (any member), <c>POST /labels</c> and
/// <c>DELETE /labels/{key}/{value}</c> (Workspace Owners), and a source's labels, <c>POST</c> (add) and <c>PUT</c>
/// (replace) <c>/sources/{id}/labels</c> (Source Admin on that source).
/// </summary>
internal static class LabelsApi
{
    public static RouteGroupBuilder MapLabelsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/labels", ListAsync).AllowMembers();
        api.MapPost("/labels", CreateAsync).RequireOwner("Creating labels");
        api.MapDelete("/labels/{key}/{value}", DeleteAsync).RequireOwner("Deleting labels");
        api.MapPost("/sources/{sourceId}/labels", AddToSourceAsync).RequireSource(AccessLevel.Write);
        api.MapPut("/sources/{sourceId}/labels", ReplaceOnSourceAsync).RequireSource(AccessLevel.Write);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, LabelService labels)
    {
        var all = await labels.ListAsync(http.GetApiCaller().Principal, http.RequestAborted);
        return ApiResults.Data(new { labels = all.Select(LabelV1.From).ToList() });
    }

    private static async Task<IResult> CreateAsync(HttpContext http, LabelService labels)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var label = fields.Object("label", required: true);
        if (fields.Errors is { } missing)
        {
            return missing;
        }

        var inner = new JsonFields(label!.Value);
        var key = inner.String("key", required: true);
        var value = inner.String("value", required: true);
        var description = inner.String("description");
        if (inner.Errors is { } invalid)
        {
            return invalid;
        }

        var outcome = await labels.CreateAsync(http.GetApiCaller().Principal, new LabelView(key!, value!, description), http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Created(new { label = LabelV1.From(outcome.Value!) });
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string key, string value, LabelService labels)
    {
        var outcome = await labels.DeleteAsync(http.GetApiCaller().Principal, key, value, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(new { status = "SUCCESS" });
    }

    private static Task<IResult> AddToSourceAsync(HttpContext http, string sourceId, LabelService labels) =>
        ChangeSourceLabelsAsync(http, sourceId, labels, replace: false);

    private static Task<IResult> ReplaceOnSourceAsync(HttpContext http, string sourceId, LabelService labels) =>
        ChangeSourceLabelsAsync(http, sourceId, labels, replace: true);

    private static async Task<IResult> ChangeSourceLabelsAsync(HttpContext http, string sourceId, LabelService labels, bool replace)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var list = ReadLabels(fields, "labels", required: true);
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        var caller = http.GetApiCaller().Principal;
        var outcome = replace
            ? await labels.ReplaceOnSourceAsync(caller, sourceId, list, http.RequestAborted)
            : await labels.AddToSourceAsync(caller, sourceId, list, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new { labels = outcome.Value!.Select(LabelV1.From).ToList() });
    }

    /// <summary>
    /// Reads an array of <c>{key, value, description?}</c> objects (descriptions are ignored: a label's description
    /// belongs to the label), recording an error per bad item under <c>name[i]</c>.
    /// </summary>
    public static List<Label> ReadLabels(JsonFields fields, string name, bool required = false, JsonElement? array = null)
    {
        var labels = new List<Label>();
        if ((array ?? fields.Array(name, required)) is not { } items)
        {
            return labels;
        }

        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var field = $"{name}[{index++}]";
            if (item.ValueKind == JsonValueKind.Object
                && item.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String
                && item.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String)
            {
                labels.Add(new Label(key.GetString()!, value.GetString()!));
            }
            else
            {
                fields.Fail(field, $"{field} must be an object with string members key and value.");
            }
        }

        return labels;
    }
}

/// <summary>A label as the Public API shows it (Segment's <c>LabelV1</c>); a label without a description has none.</summary>
internal sealed record LabelV1(
    string Key,
    string Value,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description)
{
    public static LabelV1 From(LabelView label) => new(label.Key, label.Value, label.Description);
}
