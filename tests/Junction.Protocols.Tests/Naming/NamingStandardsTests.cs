using Junction.Protocols.Naming;

namespace Junction.Protocols.Tests.Naming;

public sealed class NamingStandardsTests
{
    [Theory]
    [InlineData("Menu Clicked")]
    [InlineData("Order Completed")]
    [InlineData("Product Added to Wishlist")]
    [InlineData("Email Marked as Spam")]
    [InlineData("URL Copied")]
    [InlineData("Step 2 Completed")]
    [InlineData("Video Content Playing")]
    public void ObjectActionNamesInTitleCasePass(string name) => Assert.Null(NamingStandards.CheckEvent(name));

    [Theory]
    [InlineData("menu clicked", "Menu Clicked", "is not in Title Case: \"menu\" should start with a capital letter")]
    [InlineData("Menu clicked", "Menu Clicked", "\"clicked\" should start with a capital letter")]
    [InlineData("MenuClicked", "Menu Clicked", "runs words together (\"MenuClicked\")")]
    [InlineData("menuClicked", "Menu Clicked", "runs words together")]
    [InlineData("menu_clicked", "Menu Clicked", "uses \"_\"")]
    [InlineData("menu-clicked", "Menu Clicked", "uses \"-\"")]
    [InlineData("MENU CLICKED", "Menu Clicked", null)]
    [InlineData("Menu  Clicked", "Menu Clicked", "spaces at its ends or doubled")]
    [InlineData("product added to wishlist", "Product Added to Wishlist", "\"product\" should start with a capital letter")]
    [InlineData("URLCopied", "URL Copied", "runs words together")]
    public void OtherEventNamesAreFlaggedWithTheTitleCaseFix(string name, string suggestion, string? problem)
    {
        var finding = NamingStandards.CheckEvent(name);

        Assert.NotNull(finding);
        Assert.Equal(name, finding.Name);
        Assert.Equal(suggestion, finding.Suggestion);
        if (problem is not null)
        {
            Assert.Contains(problem, finding.Problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AOneWordEventNameNeedsAnActionAndHasNoAutomaticFix()
    {
        var finding = NamingStandards.CheckEvent("signup");

        Assert.NotNull(finding);
        Assert.Null(finding.Suggestion);
        Assert.Equal("\"signup\" has one word; name an object and the action done to it, such as \"Menu Clicked\".", finding.Problem);
        Assert.Null(NamingStandards.CheckEvent("Signup")?.Suggestion);
        Assert.Contains("empty", NamingStandards.CheckEvent("")!.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EventNamingConvention.SnakeCase, "menu_clicked", null)]
    [InlineData(EventNamingConvention.SnakeCase, "Menu Clicked", "menu_clicked")]
    [InlineData(EventNamingConvention.SnakeCase, "menuClicked", "menu_clicked")]
    [InlineData(EventNamingConvention.CamelCase, "menuClicked", null)]
    [InlineData(EventNamingConvention.CamelCase, "Menu Clicked", "menuClicked")]
    [InlineData(EventNamingConvention.CamelCase, "menu_clicked", "menuClicked")]
    [InlineData(EventNamingConvention.PascalCase, "MenuClicked", null)]
    [InlineData(EventNamingConvention.PascalCase, "menu clicked", "MenuClicked")]
    public void OtherEventConventionsAreCheckedAndFixed(object convention, string name, string? suggestion)
    {
        var finding = NamingStandards.CheckEvent(name, (EventNamingConvention)convention);

        Assert.Equal(suggestion, finding?.Suggestion);
    }

    [Theory]
    [InlineData("product_id", null)]
    [InlineData("step2_completed", null)]
    [InlineData("$", null)]
    [InlineData("productId", "product_id")]
    [InlineData("ProductID", "product_id")]
    [InlineData("Product Name", "product_name")]
    [InlineData("product-name", "product_name")]
    [InlineData("product__name", "product_name")]
    [InlineData("_private", "private")]
    [InlineData("HTMLPageURL", "html_page_url")]
    public void PropertyNamesAreSnakeCaseByDefault(string name, string? suggestion)
    {
        var finding = NamingStandards.CheckProperty(name);

        Assert.Equal(suggestion, finding?.Suggestion);
        if (finding is not null)
        {
            Assert.Equal($"The property name \"{name}\" is not snake_case: write lower-case words joined by underscores.", finding.Problem);
        }
    }

    [Theory]
    [InlineData(PropertyNamingConvention.CamelCase, "productId", null)]
    [InlineData(PropertyNamingConvention.CamelCase, "product_id", "productId")]
    [InlineData(PropertyNamingConvention.CamelCase, "ProductId", "productId")]
    [InlineData(PropertyNamingConvention.PascalCase, "ProductId", null)]
    [InlineData(PropertyNamingConvention.PascalCase, "product_id", "ProductId")]
    public void PropertyNamesCanFollowCamelOrPascalCase(object convention, string name, string? suggestion) =>
        Assert.Equal(suggestion, NamingStandards.CheckProperty(name, (PropertyNamingConvention)convention)?.Suggestion);

    [Fact]
    public void WordsSplitAtSeparatorsAndCaseChanges() =>
        Assert.Equal(["order", "ID", "Value", "step2", "HTML", "Page"], NamingStandards.Words("order_ID Value-step2HTMLPage"));

    [Fact]
    public void ConventionsHaveStableStorageNames()
    {
        Assert.Equal("title-case-object-action", NamingConventions.Name(EventNamingConvention.TitleCaseObjectAction));
        Assert.Equal("snake-case", NamingConventions.Name(PropertyNamingConvention.SnakeCase));
        foreach (var convention in Enum.GetValues<EventNamingConvention>())
        {
            Assert.True(NamingConventions.TryParseEvent(NamingConventions.Name(convention), out var parsed));
            Assert.Equal(convention, parsed);
        }

        foreach (var convention in Enum.GetValues<PropertyNamingConvention>())
        {
            Assert.True(NamingConventions.TryParseProperty(NamingConventions.Name(convention), out var parsed));
            Assert.Equal(convention, parsed);
        }

        Assert.False(NamingConventions.TryParseEvent("Title Case", out var fallback));
        Assert.Equal(EventNamingConvention.TitleCaseObjectAction, fallback);
        Assert.False(NamingConventions.TryParseProperty(null, out var propertyFallback));
        Assert.Equal(PropertyNamingConvention.SnakeCase, propertyFallback);
    }
}
