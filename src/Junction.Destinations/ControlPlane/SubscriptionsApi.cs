using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.PublicApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Destinations.ControlPlane;

/// <summary>
/// A destination's subscriptions (mappings) in the Public API, at Segment's paths: list, create, get, update and
/// remove. A subscription's mapping is its <c>settings</c>. Segment's update body wraps the changes in
/// <c>input</c>; the unwrapped form is accepted too.
/// </summary>
internal static class SubscriptionsApi
{
    public static RouteGroupBuilder MapSubscriptionsRoutes(this RouteGroupBuilder api)
    {
        api.MapGet("/destinations/{destinationId}/subscriptions", ListAsync).RequireDestination(AccessLevel.Read);
        api.MapPost("/destinations/{destinationId}/subscriptions", CreateAsync).RequireDestination(AccessLevel.Write);
        api.MapGet("/destinations/{destinationId}/subscriptions/{id}", GetAsync).RequireDestination(AccessLevel.Read);
        api.MapPatch("/destinations/{destinationId}/subscriptions/{id}", UpdateAsync).RequireDestination(AccessLevel.Write);
        api.MapDelete("/destinations/{destinationId}/subscriptions/{id}", RemoveAsync).RequireDestination(AccessLevel.Write);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, string destinationId, DestinationService destinations)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        var outcome = await destinations.ListSubscriptionsAsync(http.GetApiCaller().Principal, destinationId, page.Offset, page.Count, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new
            {
                subscriptions = outcome.Value!.Items.Select(DestinationSubscriptionV1.From).ToList(),
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
        var name = fields.String("name", required: true);
        var actionId = fields.String("actionId", required: true);
        var trigger = fields.String("trigger", required: true);
        var enabled = fields.Boolean("enabled", required: true);
        var mapping = fields.Object("settings");
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        var input = new NewSubscription(name!, actionId!, trigger!, enabled!.Value, mapping);
        var outcome = await destinations.CreateSubscriptionAsync(http.GetApiCaller().Principal, destinationId, input, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new { destinationSubscription = DestinationSubscriptionV1.From(outcome.Value!) });
    }

    private static async Task<IResult> GetAsync(HttpContext http, string destinationId, string id, DestinationService destinations) =>
        SubscriptionOrProblem(await destinations.FindSubscriptionAsync(http.GetApiCaller().Principal, destinationId, id, http.RequestAborted));

    private static async Task<IResult> UpdateAsync(HttpContext http, string destinationId, string id, DestinationService destinations)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var wrapper = new JsonFields(read.Body);
        var inner = wrapper.Object("input");
        if (wrapper.Errors is { } badWrapper)
        {
            return badWrapper;
        }

        var fields = new JsonFields(inner ?? read.Body);
        var changes = new SubscriptionChanges(fields.String("name"), fields.String("trigger"), fields.Boolean("enabled"), fields.Object("settings"));
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        return SubscriptionOrProblem(
            await destinations.UpdateSubscriptionAsync(http.GetApiCaller().Principal, destinationId, id, changes, http.RequestAborted));
    }

    private static async Task<IResult> RemoveAsync(HttpContext http, string destinationId, string id, DestinationService destinations)
    {
        var outcome = await destinations.RemoveSubscriptionAsync(http.GetApiCaller().Principal, destinationId, id, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(new { status = "SUCCESS" });
    }

    private static IResult SubscriptionOrProblem(Outcome<SubscriptionView> outcome) =>
        outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new { subscription = DestinationSubscriptionV1.From(outcome.Value!) });
}
