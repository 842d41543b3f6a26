using Junction.Web.Sources.New;
using Junction.Workspace.Catalog;

namespace Junction.Web.Tests.Sources.New;

public sealed class CatalogGroupsTests
{
    [Fact]
    public void TheCatalogIsListedUnderWebsiteServerAndMobileInThatOrderWithoutEmptyHeadings()
    {
        var groups = CatalogGroups.Of(SourceCatalog.All, search: null);

        Assert.Equal(["Website", "Server", "Mobile"], groups.Select(g => g.Name));
        Assert.Equal(SourceCatalog.All.Count, groups.Sum(g => g.Entries.Count));
        Assert.Equal("javascript", Assert.Single(groups[0].Entries).Slug);
    }

    [Fact]
    public void ACloudAppsHeadingComesAfterMobileAndAnUnknownCategoryAfterIt()
    {
        SourceCatalogEntry[] entries =
        [
            Entry("zendesk", "Cloud apps"), Entry("custom", "Custom"), Entry("ios", SourceCatalog.Mobile), Entry("web", SourceCatalog.Website),
        ];

        var groups = CatalogGroups.Of(entries, search: "");

        Assert.Equal(["Website", "Mobile", "Cloud apps", "Custom"], groups.Select(g => g.Name));
    }

    [Theory]
    [InlineData("python", new[] { "python" })]
    [InlineData("PYTHON", new[] { "python" })]
    [InlineData("mobile", new[] { "kotlin-android", "apple", "react-native" })]
    [InlineData("  rails  ", new[] { "ruby" })]
    [InlineData("events website", new[] { "javascript" })]
    public void ASearchKeepsTheEntriesWhoseNameSlugDescriptionOrCategoryHasEveryWord(string search, string[] slugs)
    {
        var groups = CatalogGroups.Of(SourceCatalog.All, search);

        Assert.Equal(slugs, groups.SelectMany(g => g.Entries).Select(e => e.Slug));
    }

    [Fact]
    public void ASearchThatMatchesNothingLeavesNoHeading() =>
        Assert.Empty(CatalogGroups.Of(SourceCatalog.All, "cobol"));

    private static SourceCatalogEntry Entry(string slug, string category) =>
        new(slug, slug, slug, "A test entry.", [category], new SourceBadge("T", "#000000"));
}
