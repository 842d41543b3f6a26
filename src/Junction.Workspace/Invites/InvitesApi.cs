using System.Text.Json;
using Junction.Workspace.Access;
using Junction.Workspace.PublicApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Workspace.Invites;

/// <summary>
/// The Public API's invites (Segment's IAMUsersApi): <c>POST /invites</c>, <c>GET /invites</c> (emails of pending
/// invites) and <c>DELETE /invites?emails=…</c>, for Workspace Owners.
/// </summary>
internal static class InvitesApi
{
    public static RouteGroupBuilder MapInvitesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/invites", CreateAsync).RequireOwner("Inviting people");
        api.MapGet("/invites", ListAsync).RequireOwner("Listing invites");
        api.MapDelete("/invites", DeleteAsync).RequireOwner("Revoking invites");
        return api;
    }

    /// <summary><c>{invites: [{email, permissions?: [{roleId, resources?, labels?}]}]}</c> → 201 <c>{data: {emails}}</c>.</summary>
    private static async Task<IResult> CreateAsync(HttpContext http, InviteService invites)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is { } malformed)
        {
            return malformed;
        }

        var fields = new JsonFields(read.Body);
        var items = fields.Array("invites", required: true);
        if (fields.Errors is { } missing)
        {
            return missing;
        }

        var requested = new List<NewInvite>();
        var i = 0;
        foreach (var item in items!.Value.EnumerateArray())
        {
            var at = $"invites[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                return ApiResults.Invalid($"{at} must be an object with an email.", at);
            }

            var inviteFields = new JsonFields(item);
            var email = inviteFields.String("email", required: true);
            var permissions = PermissionsJson.Read(inviteFields, required: false);
            if (inviteFields.Errors is { } invalid)
            {
                return invalid;
            }

            requested.Add(new NewInvite(email!, permissions));
        }

        var outcome = await invites.CreateAsync(http.GetApiCaller().Principal, requested, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Created(new { emails = outcome.Value!.Emails });
    }

    /// <summary><c>GET /invites?pagination…</c> → <c>{data: {invites: ["email", …], pagination}}</c>.</summary>
    private static async Task<IResult> ListAsync(HttpContext http, InviteService invites)
    {
        if (!Pagination.TryRead(http.Request, out var pagination, out var error))
        {
            return error!;
        }

        var outcome = await invites.ListPendingAsync(http.GetApiCaller().Principal, http.RequestAborted);
        if (outcome.Problem is { } problem)
        {
            return problem.ToApiResult();
        }

        var all = outcome.Value!;
        var page = all.Skip(pagination.Offset).Take(pagination.Count).Select(p => p.Email).ToList();
        return ApiResults.Data(new { invites = page, pagination = pagination.Output(all.Count) });
    }

    /// <summary><c>DELETE /invites?emails[0]=…</c> → <c>{data: {status: "SUCCESS"}}</c>.</summary>
    private static async Task<IResult> DeleteAsync(HttpContext http, InviteService invites)
    {
        var emails = QueryArrays.Read(http.Request, "emails");
        if (emails.Count == 0)
        {
            return ApiResults.Invalid("emails is required: the addresses whose invites to revoke (emails[0]=…).", "emails");
        }

        var outcome = await invites.RevokeAsync(http.GetApiCaller().Principal, emails, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(new { status = "SUCCESS" });
    }
}
