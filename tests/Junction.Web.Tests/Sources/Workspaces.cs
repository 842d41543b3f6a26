using Junction.Web.Shared;
using Junction.Workspace.Access;
using Junction.Workspace.Data;

namespace Junction.Web.Tests.Sources;

/// <summary>The workspace a rendered source component is in, as seen by callers with different roles.</summary>
internal static class Workspaces
{
    public const string Id = "ws_test";
    public const string Slug = "acme";

    public static WorkspaceContext AsOwner() => As(new Grant(Roles.WorkspaceOwner, GrantScope.Everything));

    /// <summary>A member who reads every source and may change none.</summary>
    public static WorkspaceContext AsSourceReader() => As(new Grant(Roles.Find("source-read-only")!, GrantScope.Everything));

    private static WorkspaceContext As(params Grant[] grants) => new(
        new WorkspaceEntity { Id = Id, Name = "Acme", Slug = Slug },
        new Principal(Id, PrincipalType.User, "usr_test", "Test User", grants),
        "usr_test");
}
