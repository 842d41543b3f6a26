using static Junction.Core.Tests.Mapping.MappingKit;

namespace Junction.Core.Tests.Mapping;

public sealed class TemplateDirectiveTests
{
    [Fact]
    public void PlaceholdersAreReplacedAndMissingValuesBecomeEmpty()
    {
        Assert.Equal("\"Big-Sale/\"", Field("""{"@template": "{{properties.tag}}/{{missing}}"}"""));
    }

    [Fact]
    public void SpacesInsideTheBracesAreIgnored()
    {
        Assert.Equal("\"Viewed Ada\"", Field("""{"@template": "Viewed {{  traits.name }}"}"""));
    }

    [Fact]
    public void TripleBracesInsertTheSameTextAndNothingIsHtmlEscaped()
    {
        var @event = """{"properties": {"html": "<b>&\"'</b>"}}""";

        Assert.Equal(Json("\"<b>&\\\"'</b>|<b>&\\\"'</b>\""), Field("""{"@template": "{{{properties.html}}}|{{properties.html}}"}""", @event));
    }

    [Fact]
    public void NullBecomesEmptyAndNumbersAndBooleansPrintAsJavaScriptDoes()
    {
        var @event = """{"properties": {"n": null, "a": 12.50, "b": 1e21, "c": 0.0000001, "d": true, "e": 100}}""";

        Assert.Equal("[|12.5|1e+21|1e-7|true|100]", StringField("""{"@template": "[{{properties.n}}|{{properties.a}}|{{properties.b}}|{{properties.c}}|{{properties.d}}|{{properties.e}}]"}""", @event));
    }

    [Fact]
    public void ObjectsAndArraysPrintAsJavaScriptStringConversionDoes()
    {
        var @event = """{"properties": {"o": {"a": 1}, "list": ["x", 2, null, ["y", "z"]]}}""";

        Assert.Equal("\"[object Object] x,2,,y,z\"", Field("""{"@template": "{{properties.o}} {{properties.list}}"}""", @event));
    }

    [Fact]
    public void TheDollarDotPrefixIsNotStrippedInsideATemplate()
    {
        Assert.Equal("\"-\"", Field("""{"@template": "-{{$.userId}}"}"""));
    }

    [Fact]
    public void ATemplateWithoutPlaceholdersIsItsText()
    {
        Assert.Equal("\"Order Completed\"", Field("""{"@template": "Order Completed"}"""));
        Assert.Equal("\"\"", Field("""{"@template": ""}"""));
    }

    [Fact]
    public void UnclosedBracesStayAsText()
    {
        Assert.Equal("\"{{userId} {userId}}\"", Field("""{"@template": "{{userId} {userId}}"}"""));
    }

    [Fact]
    public void InsertedValuesAreNeverReadAsPlaceholders()
    {
        var @event = """{"userId": "u1", "traits": {"name": "{{userId}}"}}""";

        Assert.Equal("\"{{userId}}\"", Field("""{"@template": "{{{traits.name}}}"}""", @event));
    }

    [Fact]
    public void QuotedKeysAndIndexesWorkInsideBraces()
    {
        Assert.Equal("\"Shirt a\"", Field("""{"@template": "{{properties['product name']}} {{properties.products[0].id}}"}"""));
    }
}
