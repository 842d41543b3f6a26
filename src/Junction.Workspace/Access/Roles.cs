namespace Junction.Workspace.Access;

/// <summary>The kinds of resource access is given on.</summary>
internal enum ResourceKind
{
    /// <summary>The workspace itself: its settings, members, access, tokens, labels and audit trail (owners only).</summary>
    Workspace,

    /// <summary>Sources with their write keys, debugger, schema, and the destinations connected to them.</summary>
    Source,
    TrackingPlan,
    Warehouse,

    /// <summary>Unify and Engage spaces.</summary>
    Space,
    Function,

    /// <summary>End-user privacy: deletion and suppression requests.</summary>
    Privacy,
}

/// <summary>How much a role allows on a resource: reading it, or changing it too.</summary>
internal enum AccessLevel
{
    None,
    Read,
    Write,
}

/// <summary>
/// A role as Segment defines it: what kind of resource it is about, how much it allows, and which scopes make sense
/// for it (the whole workspace, a list of resources, or the resources carrying given labels).
/// </summary>
internal sealed record Role(string Id, string Name, string Description, ResourceKind Kind, AccessLevel Level, bool AllowsListAndLabels)
{
    /// <summary>The resource type the Public API uses for this role's specific resources (<c>SOURCE</c>, <c>SPACE</c>...).</summary>
    public string? ResourceType => Kind switch
    {
        ResourceKind.Source => "SOURCE",
        ResourceKind.Space => "SPACE",
        ResourceKind.Warehouse => "WAREHOUSE",
        ResourceKind.Function => "FUNCTION",
        _ => null,
    };
}

/// <summary>Every role Junction knows, with Segment's names.</summary>
internal static class Roles
{
    public const string WorkspaceOwnerId = "workspace-owner";
    public const string WorkspaceMemberId = "workspace-member";

    public static readonly Role WorkspaceOwner = new(
        WorkspaceOwnerId, "Workspace Owner",
        "Everything in the workspace: every resource, settings, access management, Public API tokens, labels and the audit trail.",
        ResourceKind.Workspace, AccessLevel.Write, AllowsListAndLabels: false);

    public static readonly Role WorkspaceMember = new(
        WorkspaceMemberId, "Workspace Member",
        "Membership of the workspace and nothing more: access to resources comes from the other roles given.",
        ResourceKind.Workspace, AccessLevel.None, AllowsListAndLabels: false);

    public static readonly IReadOnlyList<Role> All =
    [
        WorkspaceOwner,
        WorkspaceMember,
        new("source-admin", "Source Admin",
            "Edit sources, their settings, write keys, schema and connected destinations, and see their debugger. On all sources it can also create them.",
            ResourceKind.Source, AccessLevel.Write, AllowsListAndLabels: true),
        new("source-read-only", "Source Read-only",
            "See sources, their settings, schema, connected destinations and debugger, without changing them.",
            ResourceKind.Source, AccessLevel.Read, AllowsListAndLabels: true),
        new("tracking-plan-admin", "Tracking Plan Admin", "Create and edit tracking plans.",
            ResourceKind.TrackingPlan, AccessLevel.Write, AllowsListAndLabels: false),
        new("tracking-plan-read-only", "Tracking Plan Read-only", "See tracking plans.",
            ResourceKind.TrackingPlan, AccessLevel.Read, AllowsListAndLabels: false),
        new("warehouse-destination-admin", "Warehouse Destination Admin", "Create and edit warehouses and their settings.",
            ResourceKind.Warehouse, AccessLevel.Write, AllowsListAndLabels: true),
        new("warehouse-destination-read-only", "Warehouse Destination Read-only", "See warehouses and their sync history.",
            ResourceKind.Warehouse, AccessLevel.Read, AllowsListAndLabels: true),
        new("unify-engage-admin", "Unify and Engage Admin", "Edit Unify settings and Engage audiences, traits and journeys.",
            ResourceKind.Space, AccessLevel.Write, AllowsListAndLabels: true),
        new("unify-engage-read-only", "Unify and Engage Read-only", "See Unify and Engage, without downloading profiles.",
            ResourceKind.Space, AccessLevel.Read, AllowsListAndLabels: true),
        new("function-admin", "Function Admin", "Create, edit and delete functions.",
            ResourceKind.Function, AccessLevel.Write, AllowsListAndLabels: true),
        new("function-read-only", "Function Read-only", "See functions.",
            ResourceKind.Function, AccessLevel.Read, AllowsListAndLabels: true),
        new("end-user-privacy-admin", "End User Privacy Admin", "Manage end-user privacy: deletion and suppression requests.",
            ResourceKind.Privacy, AccessLevel.Write, AllowsListAndLabels: false),
    ];

    public static Role? Find(string id) => All.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.Ordinal));
}
