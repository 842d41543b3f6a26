using AngleSharp.Dom;
using Bunit;
using Junction.Web.Settings.Components;
using Junction.Workspace.Access;
using Junction.Workspace.Labels;
using Microsoft.AspNetCore.Components;

namespace Junction.Web.Tests.Settings;

/// <summary>
/// The permission editor: a role first, then only the scopes that role takes, and the permission input the services
/// expect (the whole workspace as a <c>WORKSPACE</c> resource, sources as <c>SOURCE</c> resources, labels ANDed).
/// </summary>
public sealed class PermissionEditorTests : IAsyncDisposable
{
    private readonly SettingsComponents _ui = new();
    private readonly PermissionEditing _editing = new(new PermissionChoices(), SettingsComponents.Options.Resources, SettingsComponents.Options.Labels);
    private IRenderedComponent<IComponent>? _editor;

    [Fact]
    public void ARoleGivenOnlyOnTheWholeWorkspaceOffersNoOtherScope()
    {
        Render();
        AddRole("Workspace Owner");

        Assert.Equal("Given on the whole workspace.", Editor.Find("[data-test=fixed-scope]").TextContent.Trim());
        Assert.Empty(Editor.FindAll("input[type=radio]"));

        _ui.Choose(() => Editor.Find("[data-test=permission]"), 0, "Tracking Plan Admin");
        Editor.WaitForAssertion(() => Assert.Equal(
            "Given on all tracking plans (this role is given on the whole workspace only).", Editor.Find("[data-test=fixed-scope]").TextContent.Trim()));
        var input = Assert.Single(Built());
        Assert.Equal("tracking-plan-admin", input.RoleId);
        Assert.Equal([(SettingsComponents.WorkspaceId, "WORKSPACE")], input.Resources.Select(r => (r.Id, r.Type)));
        Assert.Null(input.Labels);
    }

    [Fact]
    public void ASourceRoleOffersAllSourcesSpecificSourcesOrSourcesWithLabels()
    {
        Render();
        AddRole("Source Admin");

        Assert.Equal(["All sources, present and future", "Specific sources", "Sources with labels"], RadioLabels());
        Assert.Equal(PermissionScope.All, _editing.Choices.Items[0].Scope);

        SettingsComponents.Pick(Permission, "Specific sources");
        Assert.Equal(["Mobile app", "Web site"], Editor.FindAll("[data-test=resources] label.mud-checkbox").Select(l => l.TextContent.Trim()));
        SettingsComponents.Tick(Permission, "Web site");
        SettingsComponents.Tick(Permission, "Mobile app");

        var input = Assert.Single(Built());
        Assert.Equal("source-admin", input.RoleId);
        Assert.Equal([(SettingsComponents.AppId, "SOURCE"), (SettingsComponents.WebId, "SOURCE")], input.Resources.Select(r => (r.Id, r.Type)));
    }

    [Fact]
    public void LabelsOfOnePermissionMustAllBeOnASourceAndTheEditorSaysSo()
    {
        Render();
        AddRole("Source Read-only");
        SettingsComponents.Pick(Permission, "Sources with labels");

        Assert.Contains("every label chosen here (AND)", Editor.Find("[data-test=labels-and]").TextContent, StringComparison.Ordinal);
        Assert.Contains("add the role once per label", Editor.Find("[data-test=labels-and]").TextContent, StringComparison.Ordinal);
        SettingsComponents.Tick(Permission, "environment:prod");
        Assert.Equal("Today this covers: Mobile app, Web site.", Editor.Find("[data-test=labels-cover]").TextContent.Trim());
        SettingsComponents.Tick(Permission, "team:web");
        Assert.Equal("Today this covers: Web site.", Editor.Find("[data-test=labels-cover]").TextContent.Trim());

        var input = Assert.Single(Built());
        Assert.Equal("source-read-only", input.RoleId);
        Assert.Equal([(SettingsComponents.WorkspaceId, "WORKSPACE")], input.Resources.Select(r => (r.Id, r.Type)));
        Assert.Equal([SettingsComponents.Prod, SettingsComponents.TeamWeb], input.Labels);
    }

    [Fact]
    public void ARoleOnResourcesThatDoNotExistYetOffersOnlyAllOfThemOrLabels()
    {
        Render();
        AddRole("Warehouse Destination Admin");

        var radios = Editor.FindAll("label.mud-radio");
        Assert.Equal(["All warehouses, present and future", "Specific warehouses", "Warehouses with labels"], RadioLabels());
        Assert.True(radios[1].QuerySelector("input")!.HasAttribute("disabled"));
        Assert.False(radios[2].QuerySelector("input")!.HasAttribute("disabled"));
    }

    [Fact]
    public void AnIncompleteScopeIsRefusedBeforeItCouldWidenToAllSources()
    {
        Render();
        AddRole("Source Read-only");
        SettingsComponents.Pick(Permission, "Specific sources");

        var (inputs, missing) = _editing.Choices.Build(SettingsComponents.WorkspaceId);

        Assert.Null(inputs);
        Assert.Equal("Choose at least one of the sources for Source Read-only, or give it on all of them.", missing);
        SettingsComponents.Tick(Permission, "Web site");
        _editing.Choices.Add();
        Assert.Equal("Choose a role (role 2).", _editing.Choices.Build(SettingsComponents.WorkspaceId).Missing);
    }

    [Fact]
    public void ChangingTheRoleKeepsOnlyTheScopeTheNewRoleTakes()
    {
        var choice = new PermissionChoice();
        choice.SetRole("source-admin");
        choice.Scope = PermissionScope.Specific;
        choice.ResourceIds.Add(SettingsComponents.WebId);

        choice.SetRole("source-read-only");
        Assert.Equal((PermissionScope.Specific, 1), (choice.Scope, choice.ResourceIds.Count));

        choice.SetRole("warehouse-destination-admin");
        Assert.Equal((PermissionScope.All, 0), (choice.Scope, choice.ResourceIds.Count));

        choice.Scope = PermissionScope.Labels;
        choice.Labels.Add(SettingsComponents.Prod);
        choice.SetRole("workspace-owner");
        Assert.Equal((PermissionScope.All, 0), (choice.Scope, choice.Labels.Count));
    }

    [Fact]
    public void PermissionsSomeoneHoldsOpenAsTheyAreAndComeBackUnchanged()
    {
        var prod = new LabelView("environment", "prod", "Production");
        PermissionView[] held =
        [
            new("workspace-owner", "Workspace Owner", [new ResourceView(SettingsComponents.WorkspaceId, "WORKSPACE", [])], []),
            new("source-admin", "Source Admin", [new ResourceView(SettingsComponents.WebId, "SOURCE", [prod])], [prod]),
            new("source-read-only", "Source Read-only", [new ResourceView(SettingsComponents.WorkspaceId, "WORKSPACE", [prod])], [prod]),
        ];

        var choices = PermissionChoices.From(held);
        var (inputs, missing) = choices.Build(SettingsComponents.WorkspaceId);

        Assert.Null(missing);
        Assert.Equal([PermissionScope.All, PermissionScope.Specific, PermissionScope.Labels], choices.Items.Select(c => c.Scope));
        Assert.Equal(
            ["workspace-owner WORKSPACE:ws_test", "source-admin SOURCE:src_web environment:prod", "source-read-only WORKSPACE:ws_test environment:prod"],
            inputs!.Select(i => $"{i.RoleId} {string.Join(",", i.Resources.Select(r => r.Type + ":" + r.Id))} {string.Join(",", i.Labels ?? [])}".Trim()));
        Assert.Equal(
            ["the whole workspace", "Web site, if labelled environment:prod", "sources labelled environment:prod"],
            held.Select(p => ScopeWords.Of(p, SettingsComponents.Options.ResourceNames)));
    }

    public ValueTask DisposeAsync() => _ui.DisposeAsync();

    private IRenderedComponent<IComponent> Editor => _editor!;

    private IElement Permission => Editor.Find("[data-test=permission]");

    private void Render() =>
        _editor = _ui.Render(builder =>
        {
            builder.OpenComponent<CascadingValue<PermissionEditing>>(0);
            builder.AddComponentParameter(1, nameof(CascadingValue<PermissionEditing>.Value), _editing);
            builder.AddComponentParameter(2, nameof(CascadingValue<PermissionEditing>.ChildContent), (RenderFragment)(child =>
            {
                child.OpenComponent<PermissionEditor>(0);
                child.CloseComponent();
            }));
            builder.CloseComponent();
        });

    private void AddRole(string role)
    {
        SettingsComponents.ClickButton(Editor.Find("[data-test=add-permission]").ParentElement!, "Give a role");
        _ui.Choose(() => Editor.FindAll("[data-test=permission]")[^1], 0, role);
        Editor.WaitForAssertion(() => Assert.Equal(role, Roles.Find(_editing.Choices.Items[^1].RoleId)?.Name));
    }

    private List<string> RadioLabels() => Editor.FindAll("label.mud-radio").Select(l => l.TextContent.Trim()).ToList();

    private IReadOnlyList<PermissionInput> Built()
    {
        var (inputs, missing) = _editing.Choices.Build(SettingsComponents.WorkspaceId);
        Assert.Null(missing);
        return inputs!;
    }
}
