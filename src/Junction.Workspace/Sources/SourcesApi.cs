using System.Text.Json;
using Junction.Workspace.Catalog;
using Junction.Workspace.Data;
using Junction.Workspace.PublicApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Workspace.Sources;

/// <summary>
/// Sources in the Public API, at Segment's paths and in its shapes: list, create (201), get, update, delete, and add
/// or remove a write key. The caller's workspace comes from its token; a source of another workspace is not found.
/// Bodies are read by <see cref="JsonBody"/>, so malformed or wrongly typed input is answered in the error envelope.
/// </summary>
internal static class SourcesApi
{
    public static RouteGroupBuilder MapSourcesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/sources", ListAsync);
        api.MapPost("/sources", CreateAsync);
        api.MapGet("/sources/{sourceId}", GetAsync);
        api.MapPatch("/sources/{sourceId}", UpdateAsync);
        api.MapDelete("/sources/{sourceId}", DeleteAsync);
        api.MapPost("/sources/{sourceId}/writekey", AddWriteKeyAsync);
        api.MapDelete("/sources/{sourceId}/writekey/{writeKey}", RemoveWriteKeyAsync);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, SourceService sources)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        var result = await sources.ListAsync(http.GetApiCaller().WorkspaceId, page.Offset, page.Count, http.RequestAborted);
        return ApiResults.Data(new
        {
            sources = result.Sources.Select(s => SourceV1.From(s, http.Request)).ToList(),
            pagination = page.Output(result.TotalEntries),
        });
    }

    private static async Task<IResult> CreateAsync(HttpContext http, SourceService sources)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var slug = fields.String("slug", required: true);
        var metadataId = fields.String("metadataId", required: true);
        var enabled = fields.Boolean("enabled");
        var name = fields.String("name");
        var settings = fields.Object("settings");
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        var input = new NewSource(slug!, metadataId!, enabled ?? true, name, settings);
        var outcome = await sources.CreateAsync(http.GetApiCaller().WorkspaceId, input, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Created(new { source = SourceV1.From(outcome.Value!, http.Request) });
    }

    private static async Task<IResult> GetAsync(HttpContext http, string sourceId, SourceService sources)
    {
        var source = await sources.FindAsync(http.GetApiCaller().WorkspaceId, sourceId, http.RequestAborted);
        return source is null
            ? ApiResults.NotFound("Source")
            : ApiResults.Data(new { source = SourceV1.From(source, http.Request), trackingPlanId = (string?)null });
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string sourceId, SourceService sources)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var changes = new SourceChanges(fields.String("name"), fields.Boolean("enabled"), fields.String("slug"), fields.Object("settings"));
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        var outcome = await sources.UpdateAsync(http.GetApiCaller().WorkspaceId, sourceId, changes, http.RequestAborted);
        return SourceOrProblem(outcome, http.Request);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string sourceId, SourceService sources) =>
        await sources.DeleteAsync(http.GetApiCaller().WorkspaceId, sourceId, http.RequestAborted)
            ? ApiResults.Data(new { status = "SUCCESS" })
            : ApiResults.NotFound("Source");

    private static async Task<IResult> AddWriteKeyAsync(HttpContext http, string sourceId, SourceService sources)
    {
        var outcome = await sources.AddWriteKeyAsync(http.GetApiCaller().WorkspaceId, sourceId, http.RequestAborted);
        return SourceOrProblem(outcome, http.Request);
    }

    private static async Task<IResult> RemoveWriteKeyAsync(HttpContext http, string sourceId, string writeKey, SourceService sources)
    {
        var outcome = await sources.RemoveWriteKeyAsync(http.GetApiCaller().WorkspaceId, sourceId, writeKey, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(new { status = "SUCCESS" });
    }

    private static IResult SourceOrProblem(Outcome<SourceEntity> outcome, HttpRequest request) =>
        outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new { source = SourceV1.From(outcome.Value!, request) });
}

/// <summary>
/// A source as the Public API shows it (Segment's <c>SourceV1</c>). Labels are not supported yet, so
/// <c>labels</c> is always empty.
/// </summary>
internal sealed record SourceV1(
    string Id,
    string Slug,
    string? Name,
    string WorkspaceId,
    bool Enabled,
    IReadOnlyList<string> WriteKeys,
    JsonElement Settings,
    IReadOnlyList<object> Labels,
    SourceMetadataV1 Metadata)
{
    public static SourceV1 From(SourceEntity source, HttpRequest request) => new(
        source.Id,
        source.Slug,
        source.Name,
        source.WorkspaceId,
        source.Enabled,
        source.WriteKeys.Select(k => k.Key).ToList(),
        JsonSerializer.Deserialize<JsonElement>(source.SettingsJson),
        [],
        SourceMetadataV1.From(SourceCatalog.For(source.CatalogId), request));
}
