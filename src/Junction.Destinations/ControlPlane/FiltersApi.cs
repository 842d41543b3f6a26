using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Data;
using Junction.Workspace.PublicApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Destinations.ControlPlane;

/// <summary>
/// Destination filters in the Public API, at Segment's paths (singular <c>/destination/</c>): list, create, get,
/// update and remove a destination's filters, and preview a filter on a payload. The preview reads and stores
/// nothing, so any member may call it.
/// </summary>
internal static class FiltersApi
{
    public static RouteGroupBuilder MapFiltersRoutes(this RouteGroupBuilder api)
    {
        api.MapPost("/destination/filters/preview", Preview).AllowMembers();
        api.MapGet("/destination/{destinationId}/filters", ListAsync).RequireDestination(AccessLevel.Read);
        api.MapPost("/destination/{destinationId}/filters", CreateAsync).RequireDestination(AccessLevel.Write);
        api.MapGet("/destination/{destinationId}/filters/{filterId}", GetAsync).RequireDestination(AccessLevel.Read);
        api.MapPatch("/destination/{destinationId}/filters/{filterId}", UpdateAsync).RequireDestination(AccessLevel.Write);
        api.MapDelete("/destination/{destinationId}/filters/{filterId}", RemoveAsync).RequireDestination(AccessLevel.Write);
        return api;
    }

    private static async Task<IResult> Preview(HttpRequest request)
    {
        var read = await JsonBody.ReadObjectAsync(request, request.HttpContext.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var filter = fields.Object("filter", required: true);
        var payload = fields.Object("payload", required: true);
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        var filterFields = new JsonFields(filter!.Value);
        var condition = filterFields.String("if", required: true);
        var actions = filterFields.Array("actions", required: true);
        if (filterFields.Errors is { } badFilter)
        {
            return badFilter;
        }

        var outcome = DestinationService.Preview(condition!, actions!.Value, payload!.Value);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new { inputPayload = outcome.Value!.InputPayload, result = outcome.Value.Result });
    }

    private static async Task<IResult> ListAsync(HttpContext http, string destinationId, DestinationService destinations)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        var outcome = await destinations.ListFiltersAsync(http.GetApiCaller().Principal, destinationId, page.Offset, page.Count, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new
            {
                filters = outcome.Value!.Items.Select(DestinationFilterV1.From).ToList(),
                pagination = page.Output(outcome.Value.TotalEntries),
            });
    }

    private static async Task<IResult> CreateAsync(HttpContext http, string destinationId, DestinationService destinations)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var sourceId = fields.String("sourceId", required: true);
        var condition = fields.String("if", required: true);
        var actions = fields.Array("actions", required: true);
        var title = fields.String("title", required: true);
        var description = fields.String("description");
        var enabled = fields.Boolean("enabled", required: true);
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        var input = new NewFilter(sourceId!, condition!, actions!.Value, title!, description, enabled!.Value);
        return FilterOrProblem(await destinations.CreateFilterAsync(http.GetApiCaller().Principal, destinationId, input, http.RequestAborted));
    }

    private static async Task<IResult> GetAsync(HttpContext http, string destinationId, string filterId, DestinationService destinations) =>
        FilterOrProblem(await destinations.FindFilterAsync(http.GetApiCaller().Principal, destinationId, filterId, http.RequestAborted));

    private static async Task<IResult> UpdateAsync(HttpContext http, string destinationId, string filterId, DestinationService destinations)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var changes = new FilterChanges(
            fields.String("if"), fields.Array("actions"), fields.String("title"), fields.String("description"), fields.Boolean("enabled"));
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        return FilterOrProblem(await destinations.UpdateFilterAsync(http.GetApiCaller().Principal, destinationId, filterId, changes, http.RequestAborted));
    }

    private static async Task<IResult> RemoveAsync(HttpContext http, string destinationId, string filterId, DestinationService destinations)
    {
        var outcome = await destinations.RemoveFilterAsync(http.GetApiCaller().Principal, destinationId, filterId, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(new { status = "SUCCESS" });
    }

    private static IResult FilterOrProblem(Outcome<DestinationFilterEntity> outcome) =>
        outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new { filter = DestinationFilterV1.From(outcome.Value!) });
}
