using Bunit;
using Junction.Ingest.AnalyticsJs;
using Junction.Web.Sources.Setup;
using Junction.Workspace.Access;
using Junction.Workspace.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace Junction.Web.Tests.Sources.Setup;

public sealed class SourceSetupTests : IAsyncDisposable
{
    private readonly BunitContext _context = new();
    private readonly AnalyticsJsOptions _options = new();

    public SourceSetupTests()
    {
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
        _context.Services.AddSingleton(Options.Create(_options));
    }

    [Fact]
    public void AWebsiteSourceShowsItsKeysThenTheSnippetForThePagesAddressThenTheLibraries()
    {
        var setup = Render(Source("IqDTy1TpoU", ["wk_first", "wk_second"]));

        Assert.Equal(["wk_first", "wk_second"], setup.FindAll("[data-test=write-key] code").Select(c => c.TextContent));
        Assert.Equal(["Write keys", "Website: the analytics.js snippet", "Libraries"], setup.FindAll("h2").Select(h => h.TextContent));
        var snippet = setup.Find("[data-test=snippet] pre").TextContent;
        Assert.Contains("analytics.load(\"wk_first\")", snippet, StringComparison.Ordinal);
        Assert.Contains("analytics._cdn = \"http://localhost\"", snippet, StringComparison.Ordinal);
    }

    [Fact]
    public void AServerSourceShowsItsLibraryBeforeTheSnippetAndTheConfiguredPublicAddressWins()
    {
        _options.PublicUrl = "https://data.example.com";

        var setup = Render(Source("XRksQPCr7X", ["wk_py"]));

        Assert.Equal(["Write keys", "Libraries", "Website: the analytics.js snippet"], setup.FindAll("h2").Select(h => h.TextContent));
        Assert.Equal("true", setup.Find("[data-example=python]").GetAttribute("aria-pressed"));
        Assert.Contains("analytics.host = 'https://data.example.com'", setup.Find("[data-test=example-python] pre").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void WhoMayOnlyReadTheSourceIsToldWhyTheKeysAreHiddenAndSeesAPlaceholder()
    {
        var setup = Render(Source("IqDTy1TpoU", [], AccessLevel.Read));

        Assert.Empty(setup.FindAll("[data-test=write-key]"));
        Assert.Contains("Source Admin", setup.Find("[data-test=write-keys-hidden]").TextContent, StringComparison.Ordinal);
        Assert.Contains($"analytics.load(\"{InstallExamples.WriteKeyPlaceholder}\")", setup.Find("[data-test=snippet] pre").TextContent, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _context.DisposeAsync();

    private static SourceView Source(string catalogId, IReadOnlyList<string> keys, AccessLevel access = AccessLevel.Write) =>
        new("src_1", Workspaces.Id, "site", "Site", catalogId, true, "{}", DateTimeOffset.UnixEpoch, keys, [], access);

    private IRenderedComponent<SourceSetup> Render(SourceView source) =>
        _context.Render<SourceSetup>(p => p.AddCascadingValue(Workspaces.AsOwner()).AddCascadingValue(source));
}
