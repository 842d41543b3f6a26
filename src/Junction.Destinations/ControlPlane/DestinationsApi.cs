using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.PublicApi;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Destinations.ControlPlane;

/// <summary>
/// Destinations in the Public API, at Segment's paths and in its shapes: list, create, get, update and delete, and a
/// source's connected destinations. Creating answers 200, as Segment's <c>createDestination</c> does. Reading needs
/// Source Read-only on the destination's source, changing needs Source Admin on it (a Workspace Owner may do
/// everything); the list shows only destinations on sources the caller may read.
/// </summary>
internal static class DestinationsApi
{
    public static RouteGroupBuilder MapDestinationsRoutes(this RouteGroupBuilder api)
    {
        api.MapGet("/destinations", ListAsync).FilteredByAccess("the destinations on sources the caller may read");
        api.MapPost("/destinations", CreateAsync).RequireSomeSourceAdmin();
        api.MapGet("/destinations/{destinationId}", GetAsync).RequireDestination(AccessLevel.Read);
        api.MapPatch("/destinations/{destinationId}", UpdateAsync).RequireDestination(AccessLevel.Write);
        api.MapDelete("/destinations/{destinationId}", DeleteAsync).RequireDestination(AccessLevel.Write);
        api.MapGet("/sources/{sourceId}/connected-destinations", ListConnectedAsync).RequireSource(AccessLevel.Read);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, DestinationService destinations)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        var result = await destinations.ListAsync(http.GetApiCaller().Principal, page.Offset, page.Count, http.RequestAborted);
        return PageResult(result, page, http.Request);
    }

    private static async Task<IResult> ListConnectedAsync(HttpContext http, string sourceId, DestinationService destinations)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        var outcome = await destinations.ListForSourceAsync(http.GetApiCaller().Principal, sourceId, page.Offset, page.Count, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : PageResult(outcome.Value!, page, http.Request);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, DestinationService destinations)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var sourceId = fields.String("sourceId", required: true);
        var metadataId = fields.String("metadataId", required: true);
        var enabled = fields.Boolean("enabled");
        var name = fields.String("name");
        var settings = fields.Object("settings");
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        var input = new NewDestination(sourceId!, metadataId!, enabled ?? false, name, settings);
        var outcome = await destinations.CreateAsync(http.GetApiCaller().Principal, input, http.RequestAborted);
        return DestinationOrProblem(outcome, http.Request);
    }

    private static async Task<IResult> GetAsync(HttpContext http, string destinationId, DestinationService destinations) =>
        DestinationOrProblem(await destinations.FindAsync(http.GetApiCaller().Principal, destinationId, http.RequestAborted), http.Request);

    private static async Task<IResult> UpdateAsync(HttpContext http, string destinationId, DestinationService destinations)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var changes = new DestinationChanges(fields.String("name"), fields.Boolean("enabled"), fields.Object("settings"));
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        var outcome = await destinations.UpdateAsync(http.GetApiCaller().Principal, destinationId, changes, http.RequestAborted);
        return DestinationOrProblem(outcome, http.Request);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string destinationId, DestinationService destinations)
    {
        var outcome = await destinations.DeleteAsync(http.GetApiCaller().Principal, destinationId, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(new { status = "SUCCESS" });
    }

    private static IResult PageResult(Page<DestinationView> result, Pagination page, HttpRequest request) =>
        ApiResults.Data(new
        {
            destinations = result.Items.Select(d => DestinationV1.From(d, request)).ToList(),
            pagination = page.Output(result.TotalEntries),
        });

    private static IResult DestinationOrProblem(Outcome<DestinationView> outcome, HttpRequest request) =>
        outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new { destination = DestinationV1.From(outcome.Value!, request) });
}
