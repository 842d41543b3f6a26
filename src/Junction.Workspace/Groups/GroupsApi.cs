using System.Text.Json;
using Junction.Workspace.Access;
using Junction.Workspace.PublicApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Workspace.Groups;

/// <summary>
/// Segment's IAM user groups in the Public API, for Workspace Owners. Replacing and removing members use the singular
/// path <c>/group/{id}/users</c>, as Segment's clients send them; everything else is under <c>/groups</c>.
/// </summary>
internal static class GroupsApi
{
    private const string Manage = "Managing user groups";

    public static RouteGroupBuilder MapGroupsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/groups", ListAsync).RequireOwner(Manage);
        api.MapPost("/groups", CreateAsync).RequireOwner(Manage);
        api.MapGet("/groups/{userGroupId}", GetAsync).RequireOwner(Manage);
        api.MapPatch("/groups/{userGroupId}", RenameAsync).RequireOwner(Manage);
        api.MapDelete("/groups/{userGroupId}", DeleteAsync).RequireOwner(Manage);
        api.MapPost("/groups/{userGroupId}/users", AddUsersAsync).RequireOwner(Manage);
        api.MapGet("/groups/{userGroupId}/users", ListUsersAsync).RequireOwner(Manage);
        api.MapGet("/groups/{userGroupId}/invites", ListInvitesAsync).RequireOwner(Manage);
        api.MapPut("/group/{userGroupId}/users", ReplaceUsersAsync).RequireOwner(Manage);
        api.MapDelete("/group/{userGroupId}/users", RemoveUsersAsync).RequireOwner(Manage);
        api.MapPost("/groups/{userGroupId}/permissions", AddPermissionsAsync).RequireOwner("Changing permissions");
        api.MapPut("/groups/{userGroupId}/permissions", ReplacePermissionsAsync).RequireOwner("Changing permissions");
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, UserGroupService groups)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        var outcome = await groups.ListAsync(http.GetApiCaller().Principal, page.Offset, page.Count, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new
            {
                userGroups = outcome.Value!.Groups.Select(UserGroupV1.From).ToList(),
                pagination = page.Output(outcome.Value.TotalEntries),
            });
    }

    private static async Task<IResult> CreateAsync(HttpContext http, UserGroupService groups)
    {
        var name = await ReadNameAsync(http);
        if (name.Error is not null)
        {
            return name.Error;
        }

        return GroupOrProblem(await groups.CreateAsync(http.GetApiCaller().Principal, name.Value!, http.RequestAborted));
    }

    private static async Task<IResult> GetAsync(HttpContext http, string userGroupId, UserGroupService groups) =>
        GroupOrProblem(await groups.FindAsync(http.GetApiCaller().Principal, userGroupId, http.RequestAborted));

    private static async Task<IResult> RenameAsync(HttpContext http, string userGroupId, UserGroupService groups)
    {
        var name = await ReadNameAsync(http);
        if (name.Error is not null)
        {
            return name.Error;
        }

        return GroupOrProblem(await groups.RenameAsync(http.GetApiCaller().Principal, userGroupId, name.Value!, http.RequestAborted));
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string userGroupId, UserGroupService groups)
    {
        var outcome = await groups.DeleteAsync(http.GetApiCaller().Principal, userGroupId, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(new { status = "SUCCESS" });
    }

    private static async Task<IResult> AddUsersAsync(HttpContext http, string userGroupId, UserGroupService groups)
    {
        var emails = await ReadEmailsAsync(http);
        return emails.Error ?? GroupOrProblem(
            await groups.AddUsersAsync(http.GetApiCaller().Principal, userGroupId, emails.Value!, http.RequestAborted));
    }

    private static async Task<IResult> ReplaceUsersAsync(HttpContext http, string userGroupId, UserGroupService groups)
    {
        var emails = await ReadEmailsAsync(http);
        return emails.Error ?? GroupOrProblem(
            await groups.ReplaceUsersAsync(http.GetApiCaller().Principal, userGroupId, emails.Value!, http.RequestAborted));
    }

    private static async Task<IResult> RemoveUsersAsync(HttpContext http, string userGroupId, UserGroupService groups)
    {
        var emails = QueryArrays.Read(http.Request, "emails");
        var outcome = await groups.RemoveUsersAsync(http.GetApiCaller().Principal, userGroupId, emails, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(new { status = "SUCCESS" });
    }

    private static async Task<IResult> ListUsersAsync(HttpContext http, string userGroupId, UserGroupService groups)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        var outcome = await groups.UsersAsync(http.GetApiCaller().Principal, userGroupId, page.Offset, page.Count, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new
            {
                users = outcome.Value!.Users.Select(u => new { id = u.Id, name = u.Name, email = u.Email }).ToList(),
                pagination = page.Output(outcome.Value.TotalEntries),
            });
    }

    private static async Task<IResult> ListInvitesAsync(HttpContext http, string userGroupId, UserGroupService groups)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        var outcome = await groups.InvitesAsync(http.GetApiCaller().Principal, userGroupId, page.Offset, page.Count, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new { emails = outcome.Value!.Emails, pagination = page.Output(outcome.Value.TotalEntries) });
    }

    private static Task<IResult> AddPermissionsAsync(HttpContext http, string userGroupId, UserGroupService groups) =>
        ChangePermissionsAsync(http, userGroupId, groups, replace: false);

    private static Task<IResult> ReplacePermissionsAsync(HttpContext http, string userGroupId, UserGroupService groups) =>
        ChangePermissionsAsync(http, userGroupId, groups, replace: true);

    private static async Task<IResult> ChangePermissionsAsync(HttpContext http, string userGroupId, UserGroupService groups, bool replace)
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
            ? await groups.ReplacePermissionsAsync(caller, userGroupId, inputs, http.RequestAborted)
            : await groups.AddPermissionsAsync(caller, userGroupId, inputs, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new { permissions = PermissionsJson.ToJson(outcome.Value!) });
    }

    private static IResult GroupOrProblem(Outcome<UserGroupView> outcome) =>
        outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(new { userGroup = UserGroupV1.From(outcome.Value!) });

    private static async Task<Read<string>> ReadNameAsync(HttpContext http)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return new Read<string>(null, read.Error);
        }

        var fields = new JsonFields(read.Body);
        var name = fields.String("name", required: true);
        return new Read<string>(name, fields.Errors);
    }

    private static async Task<Read<List<string>>> ReadEmailsAsync(HttpContext http)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return new Read<List<string>>(null, read.Error);
        }

        var fields = new JsonFields(read.Body);
        var emails = new List<string>();
        if (fields.Array("emails", required: true) is { } items)
        {
            var i = 0;
            foreach (var item in items.EnumerateArray())
            {
                var field = $"emails[{i++}]";
                if (item.ValueKind == JsonValueKind.String && item.GetString()!.Contains('@', StringComparison.Ordinal))
                {
                    emails.Add(item.GetString()!);
                }
                else
                {
                    fields.Fail(field, $"{field} must be an email address.");
                }
            }
        }

        return new Read<List<string>>(emails, fields.Errors);
    }

    private readonly record struct Read<T>(T? Value, IResult? Error)
        where T : class;
}

/// <summary>A user group as the Public API shows it (Segment's <c>UserGroupV1</c>).</summary>
internal sealed record UserGroupV1(string Id, string Name, int MemberCount, IReadOnlyList<PermissionV1> Permissions)
{
    public static UserGroupV1 From(UserGroupView group) => new(group.Id, group.Name, group.MemberCount, PermissionsJson.ToJson(group.Permissions));
}
