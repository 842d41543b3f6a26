using Bunit;
using Junction.Web.Shared;
using Junction.Web.Sources.New;
using Junction.Workspace.Catalog;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Junction.Web.Tests.Sources.New;

public sealed class SourceCatalogListTests : IAsyncDisposable
{
    private readonly BunitContext _context = new();

    public SourceCatalogListTests()
    {
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
    }

    [Fact]
    public void EachHeadingListsItsEntriesAsLinksToTheirNameStepWithLogoNameAndDescription()
    {
        var page = Render(Workspaces.AsOwner());

        Assert.Equal(["Website", "Server", "Mobile"], page.FindAll("section h2").Select(h => h.TextContent.Trim()));
        var links = page.FindAll("a[data-test=catalog-entry]");
        Assert.Equal(SourceCatalog.All.Count, links.Count);
        var python = links.Single(a => a.GetAttribute("data-slug") == "python");
        Assert.Equal("/w/acme/sources/new/python", python.GetAttribute("href"));
        Assert.Equal("/catalog/logos/python.svg", python.QuerySelector("img")!.GetAttribute("src"));
        Assert.Contains("Python", python.TextContent, StringComparison.Ordinal);
        Assert.Contains(SourceCatalog.All.Single(e => e.Slug == "python").Description, python.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void TypingInTheSearchKeepsOnlyTheMatchingEntriesAndTheirHeadings()
    {
        var page = Render(Workspaces.AsOwner());

        page.Find("input").Input("swift");

        Assert.Equal(["Mobile"], page.FindAll("section h2").Select(h => h.TextContent.Trim()));
        Assert.Equal(["apple"], page.FindAll("a[data-test=catalog-entry]").Select(a => a.GetAttribute("data-slug")));

        page.Find("input").Input("cobol");

        Assert.Empty(page.FindAll("a[data-test=catalog-entry]"));
        Assert.Contains("No source in the catalog matches \"cobol\"", page.Find("[data-test=catalog-no-match]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void AMemberWhoMayNotCreateSourcesIsToldWhatRoleItTakesInsteadOfTheCatalog()
    {
        var page = Render(Workspaces.AsSourceReader());

        Assert.Contains("You need Source Admin on all sources", page.Find("[data-test=needs-source-admin]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("a[data-test=catalog-entry]"));
    }

    public ValueTask DisposeAsync() => _context.DisposeAsync();

    private IRenderedComponent<SourceCatalogList> Render(WorkspaceContext workspace) =>
        _context.Render<SourceCatalogList>(p => p.AddCascadingValue(workspace));
}
