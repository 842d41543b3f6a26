using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.PublicApi;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Destinations.ControlPlane;

/// <summary>
/// Access to destinations, as in Segment: a destination belongs to its source. Reading it (and its subscriptions and
/// filters) needs Source Read-only or Source Admin on that source; creating, changing or deleting it needs Source
/// Admin on that source; a Workspace Owner may do everything. A destination of another workspace is not found, never
/// forbidden. Decisions read only the in-memory directories, never the database.
/// </summary>
internal static class DestinationAccess
{
    /// <summary>Not found, forbidden, or null when <paramref name="principal"/> has <paramref name="needed"/> access to the destination.</summary>
    public static Problem? Check(Principal principal, AccessLevel needed, DestinationInfo? destination, SourceInfo? source, string action)
    {
        if (destination is null || destination.WorkspaceId != principal.WorkspaceId || source is null)
        {
            return Problem.NotFound("Destination");
        }

        return principal.Can(needed, source)
            ? null
            : Problem.Forbidden(
                $"{action} destination \"{destination.Name}\" ({destination.Id}) needs {Denials.RoleNames(ResourceKind.Source, needed)} "
                + $"on its source \"{source.Slug}\" ({source.Id}), which the caller does not have.");
    }

    /// <summary>Connecting a destination to a source needs Source Admin on that source.</summary>
    public static Problem? CheckCreate(Principal principal, SourceInfo? source) =>
        SourceAccess.Check(principal, AccessLevel.Write, source, "Connecting a destination to");

    /// <summary>
    /// Requires <paramref name="needed"/> access to the destination named by the route's <c>{destinationId}</c>, before
    /// the handler runs.
    /// </summary>
    public static TBuilder RequireDestination<TBuilder>(this TBuilder builder, AccessLevel needed)
        where TBuilder : IEndpointConventionBuilder
    {
        var action = needed == AccessLevel.Write ? "Changing" : "Reading";
        return builder.Require(AccessRuleKind.Resource, $"{Denials.RoleNames(ResourceKind.Source, needed)} on the destination's source", (http, principal) =>
        {
            var destinationId = http.Request.RouteValues["destinationId"] as string ?? "";
            var destination = http.RequestServices.GetRequiredService<DestinationDirectory>().FindInfo(destinationId);
            var source = destination is null ? null : http.RequestServices.GetRequiredService<ISourceLookup>().FindById(destination.SourceId);
            return Check(principal, needed, destination, source, action);
        });
    }

    /// <summary>
    /// Refuses, before the handler runs, a caller who is Source Admin on no source at all; which source the body names
    /// is checked by <see cref="DestinationService"/>.
    /// </summary>
    public static TBuilder RequireSomeSourceAdmin<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.Require(AccessRuleKind.Resource, "Source Admin on the source named in the body", (_, principal) =>
            principal.IsOwner || principal.Grants.Any(g => g.Role.Kind == ResourceKind.Source && g.Role.Level >= AccessLevel.Write)
                ? null
                : Problem.Forbidden(
                    $"Connecting a destination needs {Denials.RoleNames(ResourceKind.Source, AccessLevel.Write)} on its source, which the caller does not have on any source."));
}
