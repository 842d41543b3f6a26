using Junction.Workspace.Access;
using Junction.Workspace.Labels;

namespace Junction.Web.Settings.Components;

/// <summary>How far one permission reaches: every resource of its role's kind, a list of them, or those with labels.</summary>
internal enum PermissionScope
{
    /// <summary>Every resource of the kind, present and future (the <c>WORKSPACE</c> resource).</summary>
    All,

    /// <summary>The resources chosen.</summary>
    Specific,

    /// <summary>Every resource of the kind carrying all the labels chosen.</summary>
    Labels,
}

/// <summary>A resource a permission can name, with the labels it carries (to show which resources labels cover).</summary>
internal sealed record ResourceOption(ResourceKind Kind, string Id, string Name, IReadOnlyList<Label> Labels);

/// <summary>
/// One permission being chosen in the permission editor: a role and a scope that fits it. It turns into the
/// <see cref="PermissionInput"/> the services take; the services check it again (the role exists, the resources are
/// the workspace's, the labels exist) and refuse what does not hold.
/// </summary>
internal sealed class PermissionChoice
{
    public string RoleId { get; private set; } = "";

    public PermissionScope Scope { get; set; } = PermissionScope.All;

    public HashSet<string> ResourceIds { get; } = new(StringComparer.Ordinal);

    public HashSet<Label> Labels { get; } = [];

    public Role? Role => Roles.Find(RoleId);

    /// <summary>
    /// Chooses the role. A role given only on the whole workspace drops any list or labels; resources of another kind
    /// than the new role's are dropped too.
    /// </summary>
    public void SetRole(string roleId)
    {
        var previous = Role;
        RoleId = roleId;
        if (Role is not { AllowsListAndLabels: true } role)
        {
            Scope = PermissionScope.All;
            ResourceIds.Clear();
            Labels.Clear();
        }
        else if (previous?.Kind != role.Kind)
        {
            ResourceIds.Clear();
            if (Scope == PermissionScope.Specific)
            {
                Scope = PermissionScope.All;
            }
        }
    }

    /// <summary>The choice for a permission someone holds, to edit it.</summary>
    public static PermissionChoice From(PermissionView permission)
    {
        var choice = new PermissionChoice();
        choice.SetRole(permission.RoleId);
        var listed = permission.Resources.Where(r => r.Type != PermissionService.WorkspaceType).Select(r => r.Id).ToList();
        choice.ResourceIds.UnionWith(listed);
        choice.Labels.UnionWith(permission.Labels.Select(l => l.Label));
        choice.Scope = listed.Count > 0 ? PermissionScope.Specific
            : choice.Labels.Count > 0 ? PermissionScope.Labels
            : PermissionScope.All;
        return choice;
    }

    /// <summary>
    /// The service input for this choice, or what is missing. An empty list is refused here rather than sent: the
    /// services read a permission without resources as one on the whole workspace.
    /// </summary>
    public (PermissionInput? Input, string? Missing) ToInput(string workspaceId)
    {
        if (Role is not { } role)
        {
            return (null, "choose a role");
        }

        var workspace = new ResourceInput(workspaceId, PermissionService.WorkspaceType, []);
        var labels = Labels.OrderBy(l => l.Key, StringComparer.Ordinal).ThenBy(l => l.Value, StringComparer.Ordinal).ToList();
        switch (Scope)
        {
            case PermissionScope.Specific when role.AllowsListAndLabels:
                if (ResourceIds.Count == 0)
                {
                    return (null, $"choose at least one of the {ScopeWords.Plural(role.Kind)} for {role.Name}, or give it on all of them");
                }

                var resources = ResourceIds.Order(StringComparer.Ordinal).Select(id => new ResourceInput(id, role.ResourceType!, [])).ToList();
                return (new PermissionInput(role.Id, resources, labels.Count > 0 ? labels : null), null);
            case PermissionScope.Labels when role.AllowsListAndLabels:
                return labels.Count == 0
                    ? (null, $"choose at least one label for {role.Name}, or give it on all {ScopeWords.Plural(role.Kind)}")
                    : (new PermissionInput(role.Id, [workspace], labels), null);
            default:
                return (new PermissionInput(role.Id, [workspace]), null);
        }
    }
}

/// <summary>
/// What a <c>PermissionEditor</c> works on: the choices it changes in place, the resources that specific-resource
/// permissions can name (sources, for now) and the workspace's labels.
/// </summary>
internal sealed record PermissionEditing(PermissionChoices Choices, IReadOnlyList<ResourceOption> Resources, IReadOnlyList<LabelView> Labels);

/// <summary>The permissions being chosen in one permission editor, in order.</summary>
internal sealed class PermissionChoices
{
    public List<PermissionChoice> Items { get; } = [];

    public static PermissionChoices From(IEnumerable<PermissionView> permissions)
    {
        var choices = new PermissionChoices();
        choices.Items.AddRange(permissions.Select(PermissionChoice.From));
        return choices;
    }

    public PermissionChoice Add(string roleId = "")
    {
        var choice = new PermissionChoice();
        if (roleId.Length > 0)
        {
            choice.SetRole(roleId);
        }

        Items.Add(choice);
        return choice;
    }

    /// <summary>The service input for every choice, or what is missing in the first incomplete one.</summary>
    public (IReadOnlyList<PermissionInput>? Inputs, string? Missing) Build(string workspaceId)
    {
        var inputs = new List<PermissionInput>();
        for (var i = 0; i < Items.Count; i++)
        {
            var (input, missing) = Items[i].ToInput(workspaceId);
            if (missing is not null)
            {
                var which = Items.Count == 1 ? "" : $" (role {i + 1})";
                return (null, char.ToUpperInvariant(missing[0]) + missing[1..] + which + ".");
            }

            inputs.Add(input!);
        }

        return (inputs, null);
    }
}

/// <summary>The words for the resources a role is about, and for the scope of a permission someone holds.</summary>
internal static class ScopeWords
{
    public static string Plural(ResourceKind kind) => kind switch
    {
        ResourceKind.Source => "sources",
        ResourceKind.Warehouse => "warehouses",
        ResourceKind.Space => "spaces",
        ResourceKind.Function => "functions",
        ResourceKind.TrackingPlan => "tracking plans",
        ResourceKind.Privacy => "end-user privacy requests",
        _ => "resources",
    };

    /// <summary>The scope a role without lists or labels is given on.</summary>
    public static string Fixed(Role role) => role.Kind == ResourceKind.Workspace
        ? "the whole workspace"
        : $"all {Plural(role.Kind)} (this role is given on the whole workspace only)";

    /// <summary>
    /// What a held permission covers, in words: "the whole workspace", "all sources", "web, app",
    /// "sources labelled environment:prod and team:web".
    /// </summary>
    public static string Of(PermissionView permission, IReadOnlyDictionary<string, string> resourceNames)
    {
        var role = Roles.Find(permission.RoleId);
        var kind = role?.Kind ?? ResourceKind.Workspace;
        var listed = permission.Resources.Where(r => r.Type != PermissionService.WorkspaceType).ToList();
        var labels = permission.Labels.Count == 0 ? "" : " labelled " + string.Join(" and ", permission.Labels.Select(l => l.ToString()));
        if (listed.Count > 0)
        {
            var names = string.Join(", ", listed.Select(r => resourceNames.GetValueOrDefault(r.Id) ?? r.Id));
            return labels.Length == 0 ? names : $"{names}, if{labels}";
        }

        if (labels.Length > 0)
        {
            return Plural(kind) + labels;
        }

        return kind == ResourceKind.Workspace ? "the whole workspace" : "all " + Plural(kind);
    }
}
