namespace Junction.Workspace.Access;

/// <summary>
/// The problems a refused access decision answers with. Each names the operation and the role that would allow it,
/// so that a person (or a script's log) sees what to ask a Workspace Owner for.
/// </summary>
internal static class Denials
{
    public static Problem OwnerOnly(string action) =>
        Problem.Forbidden($"{action} needs the Workspace Owner role, which the caller does not have.");

    /// <summary>
    /// A refusal for lack of <paramref name="level"/> access to a resource of <paramref name="kind"/>;
    /// <paramref name="action"/> says what was attempted, for example <c>Changing source "web" (src_…)</c>.
    /// </summary>
    public static Problem Needs(AccessLevel level, ResourceKind kind, string action) =>
        Problem.Forbidden($"{action} needs {RoleNames(kind, level)} on it, which the caller does not have.");

    /// <summary>The roles giving at least <paramref name="level"/> on <paramref name="kind"/>, strongest first.</summary>
    public static string RoleNames(ResourceKind kind, AccessLevel level)
    {
        var names = Roles.All
            .Where(r => r.Kind == kind && r.Level >= level && r.Level > AccessLevel.None)
            .OrderByDescending(r => r.Level)
            .Select(r => r.Name)
            .ToList();
        return names.Count == 0 ? Roles.WorkspaceOwner.Name : string.Join(" or ", names) + " (or " + Roles.WorkspaceOwner.Name + ")";
    }
}
