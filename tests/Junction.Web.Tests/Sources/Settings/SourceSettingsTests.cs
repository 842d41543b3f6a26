using Bunit;
using Junction.Web.Shared;
using Junction.Web.Sources.Settings;
using Junction.Workspace.Access;
using Junction.Workspace.Labels;
using Junction.Workspace.Sources;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Junction.Web.Tests.Sources.Settings;

/// <summary>
/// What the Settings tab offers someone who may only read the source: no action at all (the services would refuse
/// them anyway). The actions themselves are exercised end to end in Chromium.
/// </summary>
public sealed class SourceSettingsTests : IAsyncDisposable
{
    private readonly BunitContext _context = new();

    public SourceSettingsTests()
    {
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
        _context.Services.AddScoped<Scoped>();
    }

    [Fact]
    public void WhoMayOnlyReadTheSourceSeesItsSettingsWithoutAnyAction()
    {
        var source = new SourceView("src_1", Workspaces.Id, "site", "Site", "IqDTy1TpoU", true, "{}", DateTimeOffset.UnixEpoch, [],
            [new LabelView("environment", "production", null)], AccessLevel.Read);

        var settings = _context.Render<SourceSettings>(p => p.AddCascadingValue(Workspaces.AsSourceReader()).AddCascadingValue(source));

        Assert.Contains("needs Source Admin on it", settings.Find("[data-test=settings-read-only]").TextContent, StringComparison.Ordinal);
        Assert.True(settings.Find("#settings-name").HasAttribute("readonly"));
        Assert.True(settings.Find("[data-test=enabled] input").HasAttribute("disabled"));
        Assert.Equal("environment:production", settings.Find("[data-test=label]").TextContent.Trim());
        foreach (var action in new[] { "rename", "add-label", "add-write-key", "revoke", "delete" })
        {
            Assert.Empty(settings.FindAll($"[data-test={action}]"));
        }
    }

    public ValueTask DisposeAsync() => _context.DisposeAsync();
}
