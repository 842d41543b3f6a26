using System.Text.Json;
using Junction.Workspace.Access;
using Junction.Workspace.Catalog;
using Junction.Workspace.Labels;
using Junction.Workspace.PublicApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Workspace.Sources;

/// <summary>
/// Sources in the Public API, at Segment's paths and in its shapes: list, create (201), get, update, delete, and add
/// or remove a write key. The caller's workspace comes from its token; a source of another workspace is not found.
/// The list shows only the sources the caller may read; reading one needs Source Read-only on it, changing it Source
/// Admin, creating one Source Admin on all sources (a Workspace Owner may do everything), and write keys are shown
/// only to those who may change the source. Bodies are read by <see cref="JsonBody"/>, so malformed or wrongly typed
/// input is answered in the error envelope.
/// </summary>
internal static class SourcesApi
{
    public static RouteGroupBuilder MapSourcesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/sources", ListAsync).FilteredByAccess("the sources the caller may read");
        api.MapPost("/sources", CreateAsync).RequireSourceCreate();
        api.MapGet("/sources/{sourceId}", GetAsync).RequireSource(AccessLevel.Read);
        api.MapPatch("/sources/{sourceId}", UpdateAsync).RequireSource(AccessLevel.Write);
        api.MapDelete("/sources/{sourceId}", DeleteAsync).RequireSource(AccessLevel.Write);
        api.MapPost("/sources/{sourceId}/writekey", AddWriteKeyAsync).RequireSource(AccessLevel.Write);
        api.MapDelete("/sources/{sourceId}/writekey/{writeKey}", RemoveWriteKeyAsync).RequireSource(AccessLevel.Write);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, SourceService sources)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        var result = await sources.ListAsync(http.GetApiCaller().Principal, page.Offset, page.Count, http.RequestAborted);
        return ApiResults.Data(new
        {
            sources = result.Items.Select(s => SourceV1.From(s, http.Request)).ToList(),
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
        var outcome = await sources.CreateAsync(http.GetApiCaller().Principal, input, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Created(new { source = SourceV1.From(outcome.Value!, http.Request) });
    }

    private static async Task<IResult> GetAsync(HttpContext http, string sourceId, SourceService sources)
    {
        var outcome = await sources.FindAsync(http.GetApiCaller().Principal, sourceId, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new { source = SourceV1.From(outcome.Value!, http.Request), trackingPlanId = (string?)null });
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

        var outcome = await sources.UpdateAsync(http.GetApiCaller().Principal, sourceId, changes, http.RequestAborted);
        return SourceOrProblem(outcome, http.Request);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string sourceId, SourceService sources)
    {
        var outcome = await sources.DeleteAsync(http.GetApiCaller().Principal, sourceId, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(new { status = "SUCCESS" });
    }

    private static async Task<IResult> AddWriteKeyAsync(HttpContext http, string sourceId, SourceService sources)
    {
        var outcome = await sources.AddWriteKeyAsync(http.GetApiCaller().Principal, sourceId, http.RequestAborted);
        return SourceOrProblem(outcome, http.Request);
    }

    private static async Task<IResult> RemoveWriteKeyAsync(HttpContext http, string sourceId, string writeKey, SourceService sources)
    {
        var outcome = await sources.RemoveWriteKeyAsync(http.GetApiCaller().Principal, sourceId, writeKey, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(new { status = "SUCCESS" });
    }

    private static IResult SourceOrProblem(Outcome<SourceView> outcome, HttpRequest request) =>
        outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new { source = SourceV1.From(outcome.Value!, request) });
}

/// <summary>
/// A source as the Public API shows it (Segment's <c>SourceV1</c>): <c>writeKeys</c> is empty unless the caller may
/// change the source.
/// </summary>
internal sealed record SourceV1(
    string Id,
    string Slug,
    string? Name,
    string WorkspaceId,
    bool Enabled,
    IReadOnlyList<string> WriteKeys,
    JsonElement Settings,
    IReadOnlyList<LabelV1> Labels,
    SourceMetadataV1 Metadata)
{
    public static SourceV1 From(SourceView source, HttpRequest request) => new(
        source.Id,
        source.Slug,
        source.Name,
        source.WorkspaceId,
        source.Enabled,
        source.WriteKeys,
        JsonSerializer.Deserialize<JsonElement>(source.SettingsJson),
        source.Labels.Select(LabelV1.From).ToList(),
        SourceMetadataV1.From(SourceCatalog.For(source.CatalogId), request));
}
