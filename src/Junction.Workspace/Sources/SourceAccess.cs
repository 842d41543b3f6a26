using Junction.Workspace.Access;
using Junction.Workspace.PublicApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Workspace.Sources;

/// <summary>
/// Access decisions about one source, made from the in-memory <see cref="SourceDirectory"/> (which holds each source's
/// labels), so that no decision reads the database. A source of another workspace is not found, never forbidden: its
/// existence is not revealed.
/// </summary>
internal static class SourceAccess
{
    public static AccessLevel AccessTo(this Principal principal, SourceInfo source) =>
        source.WorkspaceId == principal.WorkspaceId ? principal.AccessTo(ResourceKind.Source, source.Id, source.Labels) : AccessLevel.None;

    public static bool Can(this Principal principal, AccessLevel needed, SourceInfo source) => principal.AccessTo(source) >= needed;

    /// <summary>The source as an access-decision target, for <see cref="Principal.CanConnect"/>.</summary>
    public static ResourceRef AsResource(this SourceInfo source) => new(ResourceKind.Source, source.Id, source.Labels);

    /// <summary>Not found (outside the caller's workspace or unknown), forbidden (too little access), or null when allowed.</summary>
    public static Problem? Check(Principal principal, AccessLevel needed, SourceInfo? source, string action)
    {
        if (source is null || source.WorkspaceId != principal.WorkspaceId)
        {
            return Problem.NotFound("Source");
        }

        return principal.Can(needed, source)
            ? null
            : Denials.Needs(needed, ResourceKind.Source, $"{action} source \"{source.Slug}\" ({source.Id})");
    }

    /// <summary>
    /// Connecting a source to another resource of the caller's workspace (a warehouse, a tracking plan), or
    /// disconnecting it: both need write access. Not found (the source unknown or of another workspace), forbidden, or
    /// null. <paramref name="noun"/> and <paramref name="name"/> name the other resource in the refusal:
    /// <c>warehouse</c>, <c>Analytics</c>.
    /// </summary>
    public static Problem? CheckConnect(Principal principal, ResourceRef other, string noun, string name, SourceInfo? source, string action)
    {
        if (source is null || source.WorkspaceId != principal.WorkspaceId)
        {
            return Problem.NotFound("Source");
        }

        return principal.CanConnect(other, source.AsResource())
            ? null
            : Problem.Forbidden(
                $"{action} source \"{source.Slug}\" ({source.Id}) and {noun} \"{name}\" ({other.Id}) needs "
                + $"{Denials.RoleNames(other.Kind, AccessLevel.Write)} on the {noun} and "
                + $"{Denials.RoleNames(ResourceKind.Source, AccessLevel.Write)} on the source, which the caller does not have.");
    }

    public static Problem? CheckCreate(Principal principal) =>
        principal.CanCreate(ResourceKind.Source)
            ? null
            : Problem.Forbidden(
                "Creating a source needs Source Admin on all sources of the workspace (or Workspace Owner), which the caller does not have.");

    /// <summary>
    /// Requires <paramref name="needed"/> access to the source named by the route's <c>{sourceId}</c>, before the handler
    /// runs.
    /// </summary>
    public static TBuilder RequireSource<TBuilder>(this TBuilder builder, AccessLevel needed)
        where TBuilder : IEndpointConventionBuilder
    {
        var action = needed == AccessLevel.Write ? "Changing" : "Reading";
        return builder.Require(AccessRuleKind.Resource, $"{Denials.RoleNames(ResourceKind.Source, needed)} on the source", (http, principal) =>
        {
            var sourceId = http.Request.RouteValues["sourceId"] as string ?? "";
            var source = http.RequestServices.GetRequiredService<ISourceLookup>().FindById(sourceId);
            return Check(principal, needed, source, action);
        });
    }

    /// <summary>Requires the right to create sources, before the handler runs.</summary>
    public static TBuilder RequireSourceCreate<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.Require(AccessRuleKind.Resource, "Source Admin on all sources", (_, principal) => CheckCreate(principal));
}
