using Bunit;
using Junction.Destinations.Catalog;
using Junction.Destinations.ControlPlane;
using Junction.Web.Destinations.New;
using Junction.Web.Shared;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Junction.Web.Tests.Destinations;

/// <summary>Step one of adding a destination: the catalog under its category headings, and its search.</summary>
public sealed class DestinationCatalogListTests : IAsyncDisposable
{
    private readonly BunitContext _context = new();

    public DestinationCatalogListTests()
    {
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
        _context.Services.AddSingleton(new DestinationCatalog(BuiltInDestinations.All));
    }

    [Fact]
    public void EachDestinationIsListedOnceUnderItsMainCategoryInTheCatalogsOrder()
    {
        var page = Render(Sources.Workspaces.AsOwner());

        var headings = page.FindAll("section h2").Select(h => h.TextContent.Trim()).ToList();
        Assert.Equal(["Analytics", "Advertising", "Email Marketing", "Marketing Automation", "CRM", "Live Chat", "Raw Data", "Other"], headings);
        var links = page.FindAll("a[data-test=catalog-entry]");
        Assert.Equal(BuiltInDestinations.All.Count, links.Count);
        var webhooks = links.Single(a => a.GetAttribute("data-slug") == "actions-webhook");
        Assert.Equal("/w/acme/destinations/new/actions-webhook", webhooks.GetAttribute("href"));
        Assert.Equal("/catalog/destination-logos/actions-webhook.svg", webhooks.QuerySelector("img")!.GetAttribute("src"));
        Assert.Contains("Webhooks (Actions)", webhooks.TextContent, StringComparison.Ordinal);
        Assert.Equal("Raw Data", webhooks.Closest("section")!.QuerySelector("h2")!.TextContent.Trim());
    }

    [Fact]
    public void TheSearchKeepsOnlyMatchingDestinationsAndTheirHeadings()
    {
        var page = Render(Sources.Workspaces.AsOwner());

        page.Find("#destination-search").Input("mixpanel");

        Assert.Equal(["Analytics"], page.FindAll("section h2").Select(h => h.TextContent.Trim()));
        Assert.Equal(["actions-mixpanel"], page.FindAll("a[data-test=catalog-entry]").Select(a => a.GetAttribute("data-slug")));

        page.Find("#destination-search").Input("live chat");
        page.WaitForAssertion(() => Assert.Equal(["Live Chat"], page.FindAll("section h2").Select(h => h.TextContent.Trim())), TimeSpan.FromSeconds(10));

        page.Find("#destination-search").Input("cobol");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("a[data-test=catalog-entry]")), TimeSpan.FromSeconds(10));
        Assert.Contains("No destination in the catalog matches \"cobol\"", page.Find("[data-test=catalog-no-match]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ASourceChosenInAdvanceIsCarriedToTheConfigureStep()
    {
        var page = _context.Render<DestinationCatalogList>(p => p.AddCascadingValue(Sources.Workspaces.AsOwner()).Add(c => c.SourceId, "src_web"));

        Assert.Equal("/w/acme/destinations/new/actions-webhook?sourceId=src_web",
            page.Find("a[data-slug=actions-webhook]").GetAttribute("href"));
    }

    [Fact]
    public void AMemberWhoAdministersNoSourceIsToldWhatRoleItTakes()
    {
        var page = Render(Sources.Workspaces.AsSourceReader());

        Assert.Contains("You need Source Admin on a source", page.Find("[data-test=needs-source-admin]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("a[data-test=catalog-entry]"));
    }

    public ValueTask DisposeAsync() => _context.DisposeAsync();

    private IRenderedComponent<DestinationCatalogList> Render(WorkspaceContext workspace) =>
        _context.Render<DestinationCatalogList>(p => p.AddCascadingValue(workspace));
}
