using Junction.Workspace.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Junction.Workspace.PublicApi;

/// <summary>How a Public API route decides who may call it.</summary>
internal enum AccessRuleKind
{
    /// <summary>Any member of the workspace: the route shows nothing a member may not see (the catalog, the roles).</summary>
    Members,

    /// <summary>Any member of the workspace, and the route shows only the items the caller may see (lists of sources).</summary>
    Filtered,

    /// <summary>Workspace Owners only (access management, labels, the audit trail).</summary>
    Owner,

    /// <summary>Access to the resource named in the route (a source), checked before the handler runs.</summary>
    Resource,
}

/// <summary>
/// Endpoint metadata stating a Public API route's access rule. Every route under <c>/api</c> declares one (a test
/// enumerates the routes and checks), and the rules that refuse callers do so in an endpoint filter, before the
/// handler reads any input: a caller without access gets 403 whatever it sent.
/// </summary>
internal sealed record AccessRule(AccessRuleKind Kind, string Description);

internal static class EndpointAccess
{
    /// <summary>Any member of the workspace may call the route; it shows nothing that needs a role.</summary>
    public static TBuilder AllowMembers<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AccessRule(AccessRuleKind.Members, "workspace members"));

    /// <summary>Any member may call the route, and the handler shows only what the caller may see.</summary>
    public static TBuilder FilteredByAccess<TBuilder>(this TBuilder builder, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AccessRule(AccessRuleKind.Filtered, description));

    /// <summary>Only Workspace Owners may call the route; others get 403 before the handler runs.</summary>
    public static TBuilder RequireOwner<TBuilder>(this TBuilder builder, string action)
        where TBuilder : IEndpointConventionBuilder =>
        builder.Require(AccessRuleKind.Owner, "Workspace Owner", (_, principal) =>
            principal.IsOwner ? null : Denials.OwnerOnly(action));

    /// <summary>
    /// Checks access before the handler runs: <paramref name="check"/> answers the problem refusing the caller (404 for
    /// a resource outside its workspace, 403 for missing access), or null to let the request through.
    /// </summary>
    public static TBuilder Require<TBuilder>(
        this TBuilder builder, AccessRuleKind kind, string description, Func<HttpContext, Principal, Problem?> check)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new AccessRule(kind, description));
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            var http = invocation.HttpContext;
            return check(http, http.GetApiCaller().Principal) is { } problem ? problem.ToApiResult() : await next(invocation);
        });
        return builder;
    }
}
