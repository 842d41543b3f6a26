using Bunit;
using Junction.Web.Settings.Components;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Invites;

namespace Junction.Web.Tests.Settings;

/// <summary>
/// The "Invite Team Member" dialog: it reads the typed addresses with the invite service's own parser, and turns the
/// groups and roles chosen once into the same permissions and groups for every invite it hands to the service.
/// </summary>
public sealed class InviteDialogTests : IAsyncDisposable
{
    private readonly SettingsComponents _ui = new();
    private readonly List<IReadOnlyList<NewInvite>> _sent = [];
    private Outcome<InvitesSent>? _answer;

    [Fact]
    public async Task CommaSeparatedAddressesAreCountedAndEveryEntryThatIsNotOneIsNamed()
    {
        await OpenAsync();

        Emails().Input("ada@example.test, ben@example.test");
        _ui.Providers.WaitForAssertion(() =>
            Assert.Equal("2 people will get an email with a link to join.", _ui.Providers.Find("[data-test=invite-count]").TextContent.Trim()));
        Assert.False(InviteButton().HasAttribute("disabled"));

        Emails().Input("ada@example.test, not-an-address; ben@");
        _ui.Providers.WaitForAssertion(() => Assert.Equal(
            "These are not email addresses: \"not-an-address\", \"ben@\"", _ui.Providers.Find("[data-test=invalid-emails]").TextContent.Trim()));
        Assert.True(InviteButton().HasAttribute("disabled"));
        Assert.Empty(_sent);
    }

    [Fact]
    public async Task GroupsAndRolesChosenOnceAreGivenToEveryPersonInTheList()
    {
        await OpenAsync();
        Emails().Input("ada@example.test,\nben@example.test ada@example.test");
        SettingsComponents.Tick(_ui.Dialog, "Analysts");

        SettingsComponents.ClickButton(_ui.Dialog, "Give a role");
        _ui.Choose(() => _ui.Dialog, 0, "Source Admin");
        SettingsComponents.Pick(_ui.Dialog, "Specific sources");
        SettingsComponents.Tick(_ui.Dialog, "Web site");
        SettingsComponents.ClickButton(_ui.Dialog, "Add another role");
        _ui.Choose(() => _ui.Dialog, 1, "Tracking Plan Read-only");
        InviteButton().Click();

        _ui.Providers.WaitForAssertion(() => Assert.Single(_sent));
        var invites = _sent[0];
        Assert.Equal(["ada@example.test", "ben@example.test"], invites.Select(i => i.Email));
        foreach (var invite in invites)
        {
            Assert.Equal([SettingsComponents.AnalystsId], invite.GroupIds);
            Assert.Collection(
                invite.Permissions,
                admin =>
                {
                    Assert.Equal("source-admin", admin.RoleId);
                    var source = Assert.Single(admin.Resources);
                    Assert.Equal((SettingsComponents.WebId, "SOURCE"), (source.Id, source.Type));
                    Assert.Null(admin.Labels);
                },
                plans =>
                {
                    Assert.Equal("tracking-plan-read-only", plans.RoleId);
                    var workspace = Assert.Single(plans.Resources);
                    Assert.Equal((SettingsComponents.WorkspaceId, PermissionService.WorkspaceType), (workspace.Id, workspace.Type));
                });
        }

        _ui.Providers.WaitForAssertion(() => Assert.Empty(_ui.Providers.FindAll(".mud-dialog")));
    }

    [Fact]
    public async Task WithoutRolesOrGroupsThePeopleAreInvitedAsWorkspaceMembers()
    {
        await OpenAsync();
        Assert.Contains("Workspace Members", _ui.Providers.Find("[data-test=no-permissions]").TextContent, StringComparison.Ordinal);

        Emails().Input("ada@example.test");
        InviteButton().Click();

        _ui.Providers.WaitForAssertion(() => Assert.Single(_sent));
        var invite = Assert.Single(_sent[0]);
        Assert.Empty(invite.Permissions);
        Assert.Empty(invite.GroupIds!);
    }

    [Fact]
    public async Task ARoleWithoutItsSourcesIsNotSentAsARoleOnEverySource()
    {
        await OpenAsync();
        Emails().Input("ada@example.test");
        SettingsComponents.ClickButton(_ui.Dialog, "Give a role");
        _ui.Choose(() => _ui.Dialog, 0, "Source Read-only");
        SettingsComponents.Pick(_ui.Dialog, "Specific sources");

        InviteButton().Click();

        _ui.Providers.WaitForAssertion(() => Assert.Contains(
            "Choose at least one of the sources for Source Read-only", _ui.Providers.Find("[data-test=invite-error]").TextContent, StringComparison.Ordinal));
        Assert.Empty(_sent);
    }

    [Fact]
    public async Task TheServicesRefusalIsShownInTheDialogWhichStaysOpen()
    {
        _answer = new Problem(ProblemKind.Conflict, "invites[0].email: ada@example.test is a member of this workspace already.", "invites[0].email");
        await OpenAsync();
        Emails().Input("ada@example.test");

        InviteButton().Click();

        _ui.Providers.WaitForAssertion(() => Assert.Equal(
            "ada@example.test is a member of this workspace already.", _ui.Providers.Find("[data-test=invite-error]").TextContent.Trim()));
        Assert.Single(_ui.Providers.FindAll(".mud-dialog"));
    }

    public ValueTask DisposeAsync() => _ui.DisposeAsync();

    private async Task OpenAsync()
    {
        var host = _ui.Render<InviteDialog>();
        await host.InvokeAsync(() =>
        {
            // Not awaited here: the dialog's task ends when it closes.
            _ = host.Instance.OpenAsync(SettingsComponents.WorkspaceId, SettingsComponents.Options, invites =>
            {
                _sent.Add(invites);
                return Task.FromResult(_answer ?? new InvitesSent(invites.Select(i => i.Email).ToList(), []));
            });
        });
        _ui.Providers.WaitForAssertion(() => Assert.Single(_ui.Providers.FindAll(".mud-dialog")));
    }

    private AngleSharp.Dom.IElement Emails() => _ui.Providers.Find("textarea");

    private AngleSharp.Dom.IElement InviteButton() => _ui.Providers.Find("[data-test=send-invites]");
}
