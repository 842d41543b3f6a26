using Bunit;
using Junction.Web.Shared;
using Junction.Web.Sources.New;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Junction.Web.Tests.Sources.New;

/// <summary>The name step of adding a source, before anything is saved: the slug, its checks and the button.</summary>
public sealed class NewSourceFormTests : IAsyncDisposable
{
    private readonly BunitContext _context = new();

    public NewSourceFormTests()
    {
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
        _context.Services.AddScoped<Scoped>();
    }

    [Fact]
    public void TheSlugFollowsTheNameUntilItIsEditedAndThenKeepsItsOwnValue()
    {
        var form = Render("javascript");

        form.Find("#source-name").Input("Marketing Website");
        form.WaitForAssertion(() => Assert.Equal("marketing-website", form.Find("#source-slug").GetAttribute("value")), TimeSpan.FromSeconds(10));

        form.Find("#source-slug").Input("web");
        form.Find("#source-name").Input("Marketing Website EU");
        form.WaitForAssertion(() => Assert.Equal("web", form.Find("#source-slug").GetAttribute("value")), TimeSpan.FromSeconds(10));

        form.Find("#source-slug").Input("");
        form.WaitForAssertion(() => Assert.Equal("marketing-website-eu", form.Find("#source-slug").GetAttribute("value")), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void ASlugTheServiceWouldRefuseIsExplainedAndTheButtonStaysOff()
    {
        var form = Render("python");
        form.Find("#source-name").Input("Billing");

        form.Find("#source-slug").Input("Billing_Jobs");

        Assert.Contains("This must be 1 to 100 lower-case letters, digits and dashes", form.Markup, StringComparison.Ordinal);
        Assert.True(form.Find("[data-test=create-source]").HasAttribute("disabled"));

        form.Find("#source-slug").Input("billing-jobs");

        Assert.DoesNotContain("This must be", form.Markup, StringComparison.Ordinal);
        Assert.False(form.Find("[data-test=create-source]").HasAttribute("disabled"));
    }

    [Fact]
    public void TheButtonStaysOffUntilTheSourceHasAName()
    {
        var form = Render("go");

        Assert.True(form.Find("[data-test=create-source]").HasAttribute("disabled"));
        Assert.Contains("Tracks events from Go services", form.Find("[data-test=catalog-about]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void AKindThatIsNotInTheCatalogLeadsBackToTheCatalog()
    {
        var form = Render("cobol");

        Assert.Equal("Not in the catalog", form.Find("h1").TextContent);
        Assert.Equal("/w/acme/sources/new", form.Find("a.mud-link").GetAttribute("href"));
    }

    [Fact]
    public void AMemberWhoMayNotCreateSourcesGetsNoForm()
    {
        var form = _context.Render<NewSourceForm>(p => p.AddCascadingValue(Workspaces.AsSourceReader()).Add(f => f.CatalogSlug, "ruby"));

        Assert.NotNull(form.Find("[data-test=needs-source-admin]"));
        Assert.Empty(form.FindAll("form"));
    }

    public ValueTask DisposeAsync() => _context.DisposeAsync();

    private IRenderedComponent<NewSourceForm> Render(string catalogSlug) =>
        _context.Render<NewSourceForm>(p => p.AddCascadingValue(Workspaces.AsOwner()).Add(f => f.CatalogSlug, catalogSlug));
}
