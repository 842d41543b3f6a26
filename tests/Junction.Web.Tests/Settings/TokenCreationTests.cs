using System.Net;
using System.Net.Http.Headers;
using Bunit;
using Junction.Web.Settings;
using Junction.Web.Settings.Components;
using Junction.Web.Shared;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Tokens;
using Microsoft.AspNetCore.Components;

namespace Junction.Web.Tests.Settings;

/// <summary>Creating a Public API token: its secret is on screen once, in the dialog, and nowhere after it closes.</summary>
public sealed class TokenCreationTests : IAsyncDisposable
{
    private readonly SettingsComponents _ui = new();

    [Fact]
    public async Task TheDialogShowsTheSecretOnceWithAWarningAndForgetsItWhenClosed()
    {
        const string secret = "jct_0123456789abcdefghijklmnopqrstuvwxyzABCD";
        var asked = new List<(string Description, IReadOnlyList<PermissionInput> Permissions)>();
        var host = _ui.Render<TokenDialog>();
        Task<bool>? closed = null;
        await host.InvokeAsync(() =>
        {
            // Not awaited here: the dialog's task ends when it closes.
            closed = host.Instance.OpenAsync(SettingsComponents.WorkspaceId, SettingsComponents.Options, (description, permissions) =>
            {
                asked.Add((description, permissions));
                var view = new TokenView("tok_1", description, DateTimeOffset.UnixEpoch, null, null, []);
                return Task.FromResult<Outcome<CreatedToken>>(new CreatedToken(view, secret));
            });
        });
        _ui.Providers.WaitForAssertion(() => Assert.Single(_ui.Providers.FindAll(".mud-dialog")));

        _ui.Dialog.QuerySelector("input")!.Input("Nightly export");
        _ui.Providers.Find("[data-test=create-token]").Click();

        _ui.Providers.WaitForAssertion(() => Assert.Equal(secret, _ui.Providers.Find(".mud-dialog input[readonly]").GetAttribute("value")));
        Assert.Equal(("Nightly export", 0), (asked.Single().Description, asked.Single().Permissions.Count));
        Assert.Contains("you will not see it again", _ui.Providers.Find("[data-test=token-once]").TextContent, StringComparison.Ordinal);
        Assert.Equal(1, Occurrences(_ui.Providers.Markup, secret));

        _ui.Providers.Find("[data-test=token-done]").Click();

        Assert.True(await closed!);
        _ui.Providers.WaitForAssertion(() => Assert.Empty(_ui.Providers.FindAll(".mud-dialog")));
        Assert.DoesNotContain(secret, _ui.Providers.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, host.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenMadeOnTheTokensTabWorksWithThePublicApiAndItsSecretIsNotShownAgain()
    {
        await using var workspace = await SettingsWorkspace.StartAsync();
        workspace.Serve(_ui);
        var tab = _ui.Render(builder =>
        {
            builder.OpenComponent<CascadingValue<WorkspaceContext>>(0);
            builder.AddComponentParameter(1, nameof(CascadingValue<WorkspaceContext>.Value), workspace.Owner);
            builder.AddComponentParameter(2, nameof(CascadingValue<WorkspaceContext>.ChildContent), (RenderFragment)(child =>
            {
                child.OpenComponent<TokensTab>(0);
                child.CloseComponent();
            }));
            builder.CloseComponent();
        });
        tab.WaitForAssertion(() => Assert.NotNull(tab.Find("[data-test=no-tokens]")));

        tab.Find("[data-test=create-token-button]").Click();
        _ui.Providers.WaitForAssertion(() => Assert.Single(_ui.Providers.FindAll(".mud-dialog")));
        _ui.Dialog.QuerySelector("input")!.Input("Terraform");
        SettingsComponents.ClickButton(_ui.Dialog, "Give a role");
        _ui.Choose(() => _ui.Dialog, 0, "Source Read-only");
        _ui.Providers.Find("[data-test=create-token]").Click();
        string? secret = null;
        _ui.Providers.WaitForAssertion(() => secret = _ui.Providers.Find(".mud-dialog input[readonly]").GetAttribute("value"), TimeSpan.FromSeconds(10));
        Assert.StartsWith("jct_", secret, StringComparison.Ordinal);

        using var api = new HttpClient { BaseAddress = workspace.Server.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("api/sources")).StatusCode);
        _ui.Providers.Find("[data-test=token-done]").Click();

        tab.WaitForAssertion(() => Assert.Single(tab.FindAll("[data-test=token]")), TimeSpan.FromSeconds(10));
        var row = tab.Find("[data-test=token]");
        Assert.Contains("Terraform", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Source Read-only · all sources", System.Text.RegularExpressions.Regex.Replace(row.TextContent, "\\s+", " "), StringComparison.Ordinal);
        Assert.DoesNotContain(secret!, tab.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(secret!, _ui.Providers.Markup, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _ui.DisposeAsync();

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
