using Junction.Workspace.Access;
using Junction.Workspace.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Workspace.PublicApi;

/// <summary>Who is calling the Public API: a token of one workspace, with the access its permissions give.</summary>
internal sealed record ApiCaller(Principal Principal)
{
    public string WorkspaceId => Principal.WorkspaceId;

    public string TokenId => Principal.Id;
}

internal static class PublicApiEndpoints
{
    private static readonly object CallerKey = new();
    private static readonly TimeSpan LastUseResolution = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The route group every Public API capability maps into: <c>/api</c>, Bearer-token authenticated, answering in
    /// the Public API's envelopes. Capabilities add their routes with <c>MapXxxApi(group)</c>.
    /// </summary>
    public static RouteGroupBuilder MapPublicApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");
        api.AddEndpointFilter(AuthenticateAsync);
        api.MapFallback("{**path}", () => ApiResults.Error(StatusCodes.Status404NotFound, "not-found", "No such Public API route."))
            .AllowMembers();
        return api;
    }

    /// <summary>The authenticated caller of the current Public API request.</summary>
    public static ApiCaller GetApiCaller(this HttpContext context) =>
        context.Items[CallerKey] as ApiCaller
        ?? throw new InvalidOperationException("This endpoint is not inside the Public API group.");

    private static async ValueTask<object?> AuthenticateAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return ApiResults.Unauthorized(
                "Send a Public API token as \"Authorization: Bearer <token>\". Create one with `Junction.Server tokens create --name NAME`.");
        }

        var secret = header[7..].Trim();
        var db = http.RequestServices.GetRequiredService<JunctionDbContext>();
        var token = await ApiTokens.FindAsync(db, secret, http.RequestAborted);
        if (token is null)
        {
            return ApiResults.Unauthorized("The token is not valid (it may have been revoked).");
        }

        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (token.LastUsedAt is null || now - token.LastUsedAt > LastUseResolution)
        {
            await db.ApiTokens.Where(t => t.Id == token.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), http.RequestAborted);
        }

        var principal = await http.RequestServices.GetRequiredService<AccessService>().ForTokenAsync(token, http.RequestAborted);
        http.Items[CallerKey] = new ApiCaller(principal);
        return await next(invocation);
    }
}
