using Junction.Web.Sources.New;
using Junction.Workspace.Sources;

namespace Junction.Web.Tests.Sources.New;

public sealed class SourceSlugsTests
{
    [Theory]
    [InlineData("Marketing Website", "marketing-website")]
    [InlineData("  Marketing   Site (EU) ", "marketing-site-eu")]
    [InlineData("iOS App 2", "ios-app-2")]
    [InlineData("café_orders--prod", "caf-orders-prod")]
    [InlineData("---", "")]
    [InlineData("", "")]
    public void TheSuggestedSlugIsTheNamesLettersAndDigitsJoinedByDashes(string name, string slug) =>
        Assert.Equal(slug, SourceSlugs.FromName(name));

    [Fact]
    public void EverySuggestedSlugOfANameWithALetterPassesTheServicesRules()
    {
        string[] names = ["Marketing Website", "A", "ÉÉ x", "9 lives", "Web / Shop (Prod)", new string('x', 300), "ab " + new string('-', 98) + " cd"];

        foreach (var name in names)
        {
            Assert.Null(SourceService.CheckSlug(SourceSlugs.FromName(name)));
        }
    }

    [Fact]
    public void ALongNameIsCutToTheLongestSlugWithoutATrailingDash()
    {
        var slug = SourceSlugs.FromName(new string('a', 99) + " b");

        Assert.Equal(new string('a', 99), slug);
        Assert.True(slug.Length <= SourceService.MaxSlugLength);
    }
}
