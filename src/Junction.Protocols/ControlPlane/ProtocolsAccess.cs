using Junction.Protocols.Processing;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.PublicApi;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Protocols.ControlPlane;

/// <summary>
/// Access to Protocols, with Segment's roles: reading tracking plans (their rules, history and sources) needs Tracking
/// Plan Read-only or Admin, changing them Tracking Plan Admin, both on every plan of the workspace (the roles have no
/// narrower scope). Connecting a source to a plan (or disconnecting it) changes both, so it needs Tracking Plan Admin
/// and Source Admin on the source; importing a source's observed schema into a plan needs Tracking Plan Admin and read
/// access to the source. A source's schema controls and its transformations belong to the source: reading them needs
/// Source Read-only, changing them Source Admin. A Workspace Owner may do everything. A plan, transformation or source
/// of another workspace is not found, never forbidden. Decisions read only the in-memory directories.
/// </summary>
internal static class ProtocolsAccess
{
    /// <summary>The plan as an access-decision target (plans carry no labels).</summary>
    public static ResourceRef AsResource(this TrackingPlanInfo plan) => new(ResourceKind.TrackingPlan, plan.Id, []);

    /// <summary>Forbidden, or null when <paramref name="principal"/> has <paramref name="needed"/> access to tracking plans.</summary>
    public static Problem? CheckPlans(Principal principal, AccessLevel needed, string action) =>
        principal.Can(needed, ResourceKind.TrackingPlan)
            ? null
            : Problem.Forbidden($"{action} needs {Denials.RoleNames(ResourceKind.TrackingPlan, needed)}, which the caller does not have.");

    /// <summary>Not found, forbidden, or null when <paramref name="principal"/> has <paramref name="needed"/> access to the plan.</summary>
    public static Problem? CheckPlan(Principal principal, AccessLevel needed, TrackingPlanInfo? plan, string action)
    {
        if (plan is null || plan.WorkspaceId != principal.WorkspaceId)
        {
            return Problem.NotFound("Tracking plan");
        }

        return principal.Can(needed, ResourceKind.TrackingPlan, plan.Id)
            ? null
            : Denials.Needs(needed, ResourceKind.TrackingPlan, $"{action} tracking plan \"{plan.Name}\" ({plan.Id})");
    }

    /// <summary>Connecting or disconnecting a source: not found (either side unknown or of another workspace), forbidden, or null.</summary>
    public static Problem? CheckConnect(Principal principal, TrackingPlanInfo? plan, SourceInfo? source, string action) =>
        plan is null || plan.WorkspaceId != principal.WorkspaceId
            ? Problem.NotFound("Tracking plan")
            : SourceAccess.CheckConnect(principal, plan.AsResource(), "tracking plan", plan.Name, source, action);

    /// <summary>Importing a source's observed schema into a plan: Tracking Plan Admin, then read access to the source.</summary>
    public static Problem? CheckImport(Principal principal, TrackingPlanInfo? plan, SourceInfo? source) =>
        CheckPlan(principal, AccessLevel.Write, plan, "Changing")
        ?? SourceAccess.Check(principal, AccessLevel.Read, source, "Reading the schema of");

    /// <summary>
    /// Not found (unknown, another workspace's, or its source gone), forbidden, or null when <paramref name="principal"/>
    /// has <paramref name="needed"/> access to the transformation's source.
    /// </summary>
    public static Problem? CheckTransformation(Principal principal, AccessLevel needed, TransformationInfo? transformation, SourceInfo? source, string action)
    {
        if (transformation is null || transformation.WorkspaceId != principal.WorkspaceId || source is null || source.WorkspaceId != principal.WorkspaceId)
        {
            return Problem.NotFound("Transformation");
        }

        return principal.Can(needed, source)
            ? null
            : Problem.Forbidden(
                $"{action} transformation \"{transformation.Name}\" ({transformation.Id}) needs {Denials.RoleNames(ResourceKind.Source, needed)} "
                + $"on its source \"{source.Slug}\" ({source.Id}), which the caller does not have.");
    }

    /// <summary>Source Admin on at least one source (or Workspace Owner): who may create transformations at all.</summary>
    public static Problem? CheckSomeSourceAdmin(Principal principal, string action) =>
        principal.IsOwner || principal.Grants.Any(g => g.Role.Kind == ResourceKind.Source && g.Role.Level >= AccessLevel.Write)
            ? null
            : Problem.Forbidden(
                $"{action} needs {Denials.RoleNames(ResourceKind.Source, AccessLevel.Write)} on the source, which the caller does not have on any source.");

    /// <summary>Requires <paramref name="needed"/> access to tracking plans, before the handler runs.</summary>
    public static TBuilder RequirePlans<TBuilder>(this TBuilder builder, AccessLevel needed)
        where TBuilder : IEndpointConventionBuilder
    {
        var action = needed == AccessLevel.Write ? "Changing tracking plans" : "Reading tracking plans";
        return builder.Require(AccessRuleKind.Resource, Denials.RoleNames(ResourceKind.TrackingPlan, needed), (_, principal) =>
            CheckPlans(principal, needed, action));
    }

    /// <summary>Requires <paramref name="needed"/> access to the plan named by the route's <c>{trackingPlanId}</c>, before the handler runs.</summary>
    public static TBuilder RequirePlan<TBuilder>(this TBuilder builder, AccessLevel needed)
        where TBuilder : IEndpointConventionBuilder
    {
        var action = needed == AccessLevel.Write ? "Changing" : "Reading";
        return builder.Require(AccessRuleKind.Resource, $"{Denials.RoleNames(ResourceKind.TrackingPlan, needed)} on the tracking plan", (http, principal) =>
            CheckPlan(principal, needed, Plan(http), action));
    }

    /// <summary>
    /// Requires the right to disconnect the source named by the query's <c>sourceId</c> from the route's
    /// <c>{trackingPlanId}</c>, before the handler runs.
    /// </summary>
    public static TBuilder RequirePlanConnectByQuery<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.Require(AccessRuleKind.Resource, "Tracking Plan Admin and Source Admin on the source", (http, principal) =>
            CheckConnect(principal, Plan(http), Source(http, http.Request.Query["sourceId"].ToString()), "Disconnecting"));

    /// <summary>Requires Tracking Plan Admin on the route's <c>{trackingPlanId}</c> and read access to its <c>{sourceId}</c>, before the handler runs.</summary>
    public static TBuilder RequireImport<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.Require(AccessRuleKind.Resource, "Tracking Plan Admin and read access to the source", (http, principal) =>
            CheckImport(principal, Plan(http), Source(http, http.Request.RouteValues["sourceId"] as string ?? "")));

    /// <summary>Requires <paramref name="needed"/> access to the source of the route's <c>{transformationId}</c>, before the handler runs.</summary>
    public static TBuilder RequireTransformation<TBuilder>(this TBuilder builder, AccessLevel needed)
        where TBuilder : IEndpointConventionBuilder
    {
        var action = needed == AccessLevel.Write ? "Changing" : "Reading";
        return builder.Require(AccessRuleKind.Resource, $"{Denials.RoleNames(ResourceKind.Source, needed)} on the transformation's source", (http, principal) =>
        {
            var id = http.Request.RouteValues["transformationId"] as string ?? "";
            var transformation = http.RequestServices.GetRequiredService<ProtocolsDirectory>().FindTransformation(id);
            var source = transformation is null ? null : Source(http, transformation.SourceId);
            return CheckTransformation(principal, needed, transformation, source, action);
        });
    }

    /// <summary>
    /// Refuses, before the handler runs, a caller who is Source Admin on no source at all; the source the body names is
    /// checked by <see cref="ProtocolsService"/>.
    /// </summary>
    public static TBuilder RequireSomeSourceAdmin<TBuilder>(this TBuilder builder, string action)
        where TBuilder : IEndpointConventionBuilder =>
        builder.Require(AccessRuleKind.Resource, "Source Admin on the source named in the body", (_, principal) =>
            CheckSomeSourceAdmin(principal, action));

    private static TrackingPlanInfo? Plan(HttpContext http) =>
        http.RequestServices.GetRequiredService<ProtocolsDirectory>().FindPlan(http.Request.RouteValues["trackingPlanId"] as string ?? "");

    private static SourceInfo? Source(HttpContext http, string sourceId) =>
        http.RequestServices.GetRequiredService<ISourceLookup>().FindById(sourceId);
}
