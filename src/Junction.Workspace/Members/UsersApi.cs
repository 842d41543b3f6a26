using Junction.Workspace.Access;
using Junction.Workspace.PublicApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Workspace.Members;

/// <summary>
/// Segment's IAM users and roles in the Public API. Users (<c>/users</c>: list, get, remove from the workspace, add or
/// replace permissions, list groups) are for Workspace Owners; <c>GET /roles</c>, the catalog of roles, for any member.
/// </summary>
internal static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        api.MapGet("/users", ListAsync).RequireOwner("Listing users");
        api.MapDelete("/users", RemoveAsync).RequireOwner("Removing users");
        api.MapGet("/users/{userId}", GetAsync).RequireOwner("Reading users");
        api.MapPost("/users/{userId}/permissions", AddPermissionsAsync).RequireOwner("Changing permissions");
        api.MapPut("/users/{userId}/permissions", ReplacePermissionsAsync).RequireOwner("Changing permissions");
        api.MapGet("/users/{userId}/groups", ListGroupsAsync).RequireOwner("Listing a user's groups");
        api.MapGet("/roles", ListRoles).AllowMembers();
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, MemberService members)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        var outcome = await members.ListAsync(http.GetApiCaller().Principal, page.Offset, page.Count, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new
            {
                users = outcome.Value!.Members.Select(UserV1.From).ToList(),
                pagination = page.Output(outcome.Value.TotalEntries),
            });
    }

    private static async Task<IResult> GetAsync(HttpContext http, string userId, MemberService members)
    {
        var outcome = await members.FindAsync(http.GetApiCaller().Principal, userId, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(new { user = UserV1.From(outcome.Value!) });
    }

    private static async Task<IResult> RemoveAsync(HttpContext http, MemberService members)
    {
        var outcome = await members.RemoveAsync(http.GetApiCaller().Principal, QueryArrays.Read(http.Request, "userIds"), http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(new { status = "SUCCESS" });
    }

    private static Task<IResult> AddPermissionsAsync(HttpContext http, string userId, MemberService members) =>
        ChangePermissionsAsync(http, userId, members, replace: false);

    private static Task<IResult> ReplacePermissionsAsync(HttpContext http, string userId, MemberService members) =>
        ChangePermissionsAsync(http, userId, members, replace: true);

    private static async Task<IResult> ChangePermissionsAsync(HttpContext http, string userId, MemberService members, bool replace)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var inputs = PermissionsJson.Read(fields);
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        var caller = http.GetApiCaller().Principal;
        var outcome = replace
            ? await members.ReplacePermissionsAsync(caller, userId, inputs, http.RequestAborted)
            : await members.AddPermissionsAsync(caller, userId, inputs, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new { permissions = PermissionsJson.ToJson(outcome.Value!) });
    }

    private static async Task<IResult> ListGroupsAsync(HttpContext http, string userId, MemberService members)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        var outcome = await members.GroupsAsync(http.GetApiCaller().Principal, userId, page.Offset, page.Count, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new
            {
                groups = outcome.Value!.Groups.Select(g => new { id = g.Id, name = g.Name }).ToList(),
                pagination = page.Output(outcome.Value.TotalEntries),
            });
    }

    private static IResult ListRoles(HttpRequest request)
    {
        if (!Pagination.TryRead(request, out var page, out var error))
        {
            return error!;
        }

        var roles = Roles.All.Skip(page.Offset).Take(page.Count).Select(r => new { id = r.Id, name = r.Name, description = r.Description });
        return ApiResults.Data(new { roles, pagination = page.Output(Roles.All.Count) });
    }
}

/// <summary>A member as the Public API shows it (Segment's <c>UserV1</c>).</summary>
internal sealed record UserV1(string Id, string Name, string Email, IReadOnlyList<PermissionV1> Permissions)
{
    public static UserV1 From(MemberView member) => new(member.Id, member.Name, member.Email, PermissionsJson.ToJson(member.Permissions));
}
