namespace Junction.Web.Settings;

/// <summary>The tabs of Settings, each its own address: <c>/w/{slug}/settings/{tab}</c>.</summary>
internal static class SettingsTabs
{
    public const string General = "general";
    public const string Access = "access";
    public const string Groups = "groups";
    public const string Roles = "roles";
    public const string Labels = "labels";
    public const string Tokens = "tokens";
    public const string Audit = "audit";

    public static readonly IReadOnlyList<(string Tab, string Label)> All =
    [
        (General, "General"),
        (Access, "Access Management"),
        (Groups, "User Groups"),
        (Roles, "Roles"),
        (Labels, "Labels"),
        (Tokens, "API Tokens"),
        (Audit, "Audit Trail"),
    ];

    /// <summary>The tabs someone who is not a Workspace Owner may open: the roles catalog, which any member may read.</summary>
    public static readonly IReadOnlyList<string> ForMembers = [Roles];

    public static string Group(string slug, string groupId) => $"/w/{slug}/settings/groups/{Uri.EscapeDataString(groupId)}";
}
