using Junction.Protocols.Naming;
using Junction.Protocols.Plans;
using Junction.Protocols.Templates;

namespace Junction.Protocols.Tests.Templates;

public sealed class SpecTemplatesTests
{
    [Fact]
    public void TheFourSpecsAreOfferedUnderStableIds() =>
        Assert.Equal(["ecommerce-v2", "b2b-saas", "video", "mobile"], SpecTemplates.All.Select(t => t.Id));

    [Fact]
    public void EveryRuleOfEveryTemplateCompilesAsOnePlan()
    {
        foreach (var template in SpecTemplates.All)
        {
            Assert.All(template.Rules, rule => Assert.Null(PlanCompiler.Problem(rule)));
            PlanCompiler.Compile(template.Rules);
            Assert.All(template.Rules, rule =>
            {
                Assert.Equal(RuleType.Track, rule.Type);
                Assert.Equal(1, rule.Version);
                Assert.Equal("http://json-schema.org/draft-07/schema#", rule.JsonSchema.GetProperty("$schema").GetString());
            });
        }
    }

    [Fact]
    public void EventNamesAreTheSpecsAndFollowSegmentsNamingStandard()
    {
        var names = SpecTemplates.All.SelectMany(t => t.Rules).Select(r => r.Key!).ToArray();

        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, name => Assert.Null(NamingStandards.CheckEvent(name)));
        Assert.All(SpecTemplates.All.SelectMany(t => t.Rules).SelectMany(PropertyNames), name => Assert.Null(NamingStandards.CheckProperty(name)));
    }

    [Fact]
    public void TheEcommerceTemplateHasTheV2Events()
    {
        var template = SpecTemplates.Find("ecommerce-v2")!;

        Assert.Equal(28, template.Rules.Count);
        Assert.Contains(template.Rules, r => r.Key == "Product List Filtered");
        Assert.Contains(template.Rules, r => r.Key == "Wishlist Product Added to Cart");
        Assert.Equal(
            ["checkout_id", "order_id", "affiliation", "subtotal", "total", "revenue", "shipping", "tax", "discount", "coupon", "currency", "products"],
            PropertyNames(template.Rules.Single(r => r.Key == "Order Completed")));
    }

    [Fact]
    public void TemplatesCheckTypesWithoutRequiringProperties()
    {
        var plan = PlanCompiler.Compile(SpecTemplates.Find("ecommerce-v2")!.Rules);

        var empty = plan.Check(Schemas("""{"type":"track","event":"Order Completed","properties":{}}"""));
        var wrong = plan.Check(Schemas("""{"type":"track","event":"Order Completed","properties":{"total":"30","products":[{"sku":"a","price":"9"}]}}"""));

        Assert.Same(PlanCheck.Clean, empty);
        Assert.Equal(["properties.total", "properties.products.0.price"], wrong.Violations.Select(v => v.Field));
    }

    [Fact]
    public void TheOtherTemplatesHaveTheirSpecsEvents()
    {
        Assert.Equal(10, SpecTemplates.Find("b2b-saas")!.Rules.Count);
        Assert.Equal(16, SpecTemplates.Find("video")!.Rules.Count);
        Assert.Equal(13, SpecTemplates.Find("mobile")!.Rules.Count);
        Assert.Contains("quartile", PropertyNames(SpecTemplates.Find("video")!.Rules.Single(r => r.Key == "Video Ad Playing")));
        Assert.Contains("method", PropertyNames(SpecTemplates.Find("video")!.Rules.Single(r => r.Key == "Video Playback Interrupted")));
        Assert.True(SpecTemplates.Find("b2b-saas")!.Rules.All(r => r.JsonSchema.GetProperty("properties").TryGetProperty("context", out _)));
        Assert.Null(SpecTemplates.Find("unknown"));
    }

    [Fact]
    public void VideoEnumsAndRangesAreChecked()
    {
        var plan = PlanCompiler.Compile(SpecTemplates.Find("video")!.Rules);

        var check = plan.Check(Schemas("""{"type":"track","event":"Video Ad Playing","properties":{"type":"pre-roll","quartile":4,"load_type":"static"}}"""));

        Assert.Equal(
            [(ViolationTypes.OutOfRange, "properties.quartile"), (ViolationTypes.InvalidValue, "properties.load_type")],
            check.Violations.Select(v => (v.Type, v.Field)).OrderByDescending(v => v.Field));
    }

    private static string[] PropertyNames(PlanRule rule) =>
        [.. rule.JsonSchema.GetProperty("properties").GetProperty("properties").GetProperty("properties").EnumerateObject().Select(p => p.Name)];

    private static System.Text.Json.JsonElement Schemas(string json) => Tests.Plans.Schemas.Parse(json);
}
