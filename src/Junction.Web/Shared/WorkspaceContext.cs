using Junction.Workspace.Access;
using Junction.Workspace.Data;

namespace Junction.Web.Shared;

/// <summary>
/// The workspace a page is in and what the signed-in user may do there. <see cref="WorkspacePage"/> resolves it from
/// the address and cascades it to the page's content; every decision the page shows (which buttons exist) comes from
/// <see cref="Principal"/>, and the services check the same principal again when an action runs.
/// </summary>
internal sealed record WorkspaceContext(WorkspaceEntity Workspace, Principal Principal, string UserId)
{
    public string Slug => Workspace.Slug;
}
