using Junction.Workspace.Data;
using Junction.Workspace.PublicApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Junction.Workspace.Workspaces;

/// <summary><c>GET /</c> of the Public API: the workspace the caller's token belongs to (<c>{workspace:{id,slug,name}}</c>).</summary>
internal static class WorkspaceApi
{
    public static RouteGroupBuilder MapWorkspaceApi(this RouteGroupBuilder api)
    {
        api.MapGet("/", GetAsync).AllowMembers();
        return api;
    }

    private static async Task<IResult> GetAsync(HttpContext http, JunctionDbContext db)
    {
        var workspaceId = http.GetApiCaller().WorkspaceId;
        var workspace = await db.Workspaces.AsNoTracking()
            .Where(w => w.Id == workspaceId)
            .Select(w => new { id = w.Id, slug = w.Slug, name = w.Name })
            .FirstOrDefaultAsync(http.RequestAborted);
        return workspace is null ? ApiResults.NotFound("Workspace") : ApiResults.Data(new { workspace });
    }
}
