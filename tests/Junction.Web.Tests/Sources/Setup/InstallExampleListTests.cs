using Bunit;
using Junction.Web.Sources.Setup;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Junction.Web.Tests.Sources.Setup;

public sealed class InstallExampleListTests : IAsyncDisposable
{
    private readonly BunitContext _context = new();

    public InstallExampleListTests()
    {
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
    }

    [Fact]
    public void TheSourcesOwnLibraryComesFirstAndIsShownSetUpForThisServer()
    {
        var list = _context.Render<InstallExampleList>(p => p
            .Add(l => l.CatalogSlug, "python")
            .Add(l => l.WriteKey, "wk_python_key")
            .Add(l => l.ServerUrl, "https://data.example.com/"));

        var libraries = list.FindAll("[data-example]").Select(t => t.TextContent.Trim()).ToList();
        Assert.Equal("Python", libraries[0]);
        Assert.Equal(11, libraries.Count);
        Assert.Equal("true", list.Find("[data-example=python]").GetAttribute("aria-pressed"));
        var code = list.Find("[data-test=example-python] pre").TextContent;
        Assert.Contains("analytics.write_key = 'wk_python_key'", code, StringComparison.Ordinal);
        Assert.Contains("analytics.host = 'https://data.example.com'", code, StringComparison.Ordinal);
        Assert.Contains("pip install segment-analytics-python", list.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ChoosingAnotherLibraryShowsItsExample()
    {
        var list = _context.Render<InstallExampleList>(p => p
            .Add(l => l.CatalogSlug, "node-js")
            .Add(l => l.WriteKey, "wk_key")
            .Add(l => l.ServerUrl, "http://localhost:8088"));
        Assert.NotNull(list.Find("[data-test=example-node]"));

        list.Find("[data-example=php]").Click();

        Assert.Contains("'host' => 'localhost:8088',", list.Find("[data-test=example-php] pre").TextContent, StringComparison.Ordinal);
        Assert.Equal("false", list.Find("[data-example=node]").GetAttribute("aria-pressed"));
        Assert.Empty(list.FindAll("[data-test=example-node]"));
    }

    [Fact]
    public void EveryCodeBlockHasACopyButtonNamedForWhatItCopies()
    {
        var list = _context.Render<InstallExampleList>(p => p
            .Add(l => l.CatalogSlug, "go")
            .Add(l => l.WriteKey, "wk")
            .Add(l => l.ServerUrl, "http://localhost:8088"));

        var labels = list.FindAll("[data-test=copy]").Select(b => b.GetAttribute("aria-label")).ToList();
        Assert.Equal(["Copy Go install", "Copy Go example"], labels);
    }

    public ValueTask DisposeAsync() => _context.DisposeAsync();
}
