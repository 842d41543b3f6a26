using Junction.Web.Settings.Components;
using Junction.Web.Shared;
using Junction.Workspace.Access;
using Junction.Workspace.Groups;
using Junction.Workspace.Labels;
using Junction.Workspace.Members;
using Junction.Workspace.Sources;

namespace Junction.Web.Settings;

/// <summary>
/// What access can be given on in a workspace: its sources (with their labels), its labels and its user groups, read
/// through their services for the permission editor and the invite dialog.
/// </summary>
internal sealed record AccessOptions(IReadOnlyList<ResourceOption> Resources, IReadOnlyList<LabelView> Labels, IReadOnlyList<GroupRef> Groups)
{
    public const int MaxListed = 1000;

    public IReadOnlyDictionary<string, string> ResourceNames { get; } =
        Resources.GroupBy(r => r.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);

    public static async Task<AccessOptions> LoadAsync(Scoped scoped, WorkspaceContext workspace)
    {
        var sources = await scoped.RunAsync<SourceService, Junction.Workspace.Page<SourceView>>(
            s => s.ListAsync(workspace.Principal, 0, MaxListed, CancellationToken.None));
        var labels = await scoped.RunAsync<LabelService, IReadOnlyList<LabelView>>(
            l => l.ListAsync(workspace.Principal, CancellationToken.None));
        var groups = await scoped.AsUserAsync<UserGroupService, UserGroupPage>(
            workspace, (g, caller) => g.ListAsync(caller, 0, MaxListed, CancellationToken.None));
        return new AccessOptions(
            sources.Items
                .Select(s => new ResourceOption(ResourceKind.Source, s.Id, s.Name ?? s.Slug, s.Labels.Select(l => l.Label).ToList()))
                .OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase)
                .ToList(),
            labels,
            groups.Value?.Groups.Select(g => new GroupRef(g.Id, g.Name)).ToList() ?? []);
    }
}
