using Junction.Protocols.Plans;

namespace Junction.Protocols.Tests.Plans;

public sealed class PlanProblemTests
{
    private static PlanRule Track(string schema, string key = "Order Completed") => new(RuleType.Track, key, 1, Schemas.Parse(schema));

    [Theory]
    [InlineData("""{"type":5}""", "\"type\" at # must be a type name or a non-empty array of type names, not the number 5.")]
    [InlineData("""{"type":"any"}""", "\"type\" at # names \"any\"")]
    [InlineData("""{"type":"String"}""", "names \"String\", which is not a JSON Schema type")]
    [InlineData("""{"required":"x"}""", "\"required\" at # must be an array of property names, not the string \"x\".")]
    [InlineData("""{"properties":{"properties":{"properties":{"price":{"minimum":"0"}}}}}""", "\"minimum\" at #/properties/properties/properties/price must be a number")]
    [InlineData("""{"exclusiveMinimum":true}""", "the true/false form is draft-04")]
    [InlineData("""{"maxLength":-1}""", "\"maxLength\" at # must be a whole number of 0 or more, not -1.")]
    [InlineData("""{"minItems":1.5}""", "\"minItems\" at # must be a whole number")]
    [InlineData("""{"multipleOf":0}""", "\"multipleOf\" at # must be greater than 0.")]
    [InlineData("""{"enum":[]}""", "\"enum\" at # must be an array of at least one value")]
    [InlineData("""{"enum":"a"}""", "\"enum\" at # must be an array")]
    [InlineData("""{"properties":[]}""", "\"properties\" at # must be an object")]
    [InlineData("""{"items":5}""", "The schema at #/items is the number 5")]
    [InlineData("""{"allOf":[]}""", "\"allOf\" at # must be a non-empty array of schemas")]
    [InlineData("""{"anyOf":{}}""", "\"anyOf\" at # must be a non-empty array of schemas")]
    [InlineData("""{"pattern":"("}""", "is not a valid regular expression")]
    [InlineData("""{"pattern":5}""", "\"pattern\" at # must be a string")]
    [InlineData("""{"format":true}""", "\"format\" at # must be a string")]
    [InlineData("""{"uniqueItems":"yes"}""", "\"uniqueItems\" at # must be true or false")]
    [InlineData("""{"$ref":"#/definitions/missing"}""", "points to nothing in the schema")]
    [InlineData("""{"$ref":"https://example.com/schema.json"}""", "only references inside the same schema")]
    [InlineData("""{"$ref":"#"}""", "leads back to itself")]
    [InlineData("""{"definitions":{"a":{"$ref":"#/definitions/b"},"b":{"allOf":[{"$ref":"#/definitions/a"}]}},"$ref":"#/definitions/a"}""", "leads back to itself")]
    [InlineData("""{"$schema":"http://json-schema.org/draft-04/schema#"}""", "Junction validates JSON Schema draft-07 only")]
    [InlineData("""{"definitions":{"unused":{"type":7}}}""", "\"type\" at #/definitions/unused must be")]
    public void ASchemaJunctionCannotUseIsAProblemNamingTheRuleTheKeywordAndItsPlace(string schema, string expected)
    {
        var problem = PlanCompiler.Problem(Track(schema));

        Assert.NotNull(problem);
        Assert.StartsWith("Rule TRACK \"Order Completed\" v1: ", problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        var exception = Assert.Throws<PlanException>(() => PlanCompiler.Compile([Track(schema)]));
        Assert.Equal(problem, exception.Message);
    }

    [Theory]
    [InlineData("^(?!test).*$")]
    [InlineData("^a(?<!b)c")]
    [InlineData("x|(?!y)")]
    public void NegativeLookaroundIsRefusedAsInSegmentWithTheWayAround(string pattern)
    {
        var schema = """{"properties":{"properties":{"properties":{"id":{"pattern":""" + System.Text.Json.JsonSerializer.Serialize(pattern) + "}}}}}";

        var problem = PlanCompiler.Problem(Track(schema));

        Assert.Contains("negative lookahead", problem, StringComparison.Ordinal);
        Assert.Contains("\"not\": {\"pattern\": …}", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("^\\(?!$")]
    [InlineData("^[(?!]+$")]
    [InlineData("^(?=a)a$")]
    [InlineData("^(?:ab)+$")]
    public void PatternsThatOnlyLookLikeNegativeLookaheadAreAccepted(string pattern) =>
        Assert.Null(PlanCompiler.Problem(Track($$"""{"pattern":{{System.Text.Json.JsonSerializer.Serialize(pattern)}}}""")));

    [Fact]
    public void PatternsWithUnicodeClassesCompile() =>
        Assert.True(Schemas.IsValid("""{"pattern":"^\\p{L}+$"}""", "\"Zoë\""));

    [Fact]
    public void ANotPatternIsTheSupportedWayToForbidAPattern()
    {
        const string Schema = """{"not":{"pattern":"^test"}}""";

        Assert.True(Schemas.IsValid(Schema, "\"prod-1\""));
        Assert.False(Schemas.IsValid(Schema, "\"test-1\""));
    }

    [Theory]
    [InlineData("Track", null, "a TRACK rule needs the exact event name as its key.")]
    [InlineData("Track", " ", "a TRACK rule needs the exact event name as its key.")]
    [InlineData("Identify", "x", "an IDENTIFY rule has no key")]
    [InlineData("Common", "x", "a COMMON rule has no key")]
    public void RuleKeysMustFitTheirType(string type, string? key, string expected) =>
        Assert.Contains(expected, PlanCompiler.Problem(new PlanRule(Enum.Parse<RuleType>(type), key, 1, Schemas.Parse("{}"))), StringComparison.Ordinal);

    [Fact]
    public void VersionsStartAtOneAndASchemaMustBeAnObject()
    {
        Assert.Contains("the version must be 1 or more, not 0", PlanCompiler.Problem(new PlanRule(RuleType.Track, "A", 0, Schemas.Parse("{}"))), StringComparison.Ordinal);
        Assert.Contains("the JSON Schema must be an object", PlanCompiler.Problem(new PlanRule(RuleType.Track, "A", 1, Schemas.Parse("[]"))), StringComparison.Ordinal);
        Assert.Contains("has no JSON Schema", PlanCompiler.Problem(new PlanRule(RuleType.Track, "A", 1, default)), StringComparison.Ordinal);
    }

    [Fact]
    public void ARuleTwiceInOnePlanIsRefused()
    {
        var exception = Assert.Throws<PlanException>(() => PlanCompiler.Compile([Track("{}"), Track("{}")]));

        Assert.Contains("the plan has this rule twice", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UsableRulesHaveNoProblem()
    {
        Assert.Null(PlanCompiler.Problem(Track("""{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"properties":{"type":"object"}}}""")));
        Assert.Null(PlanCompiler.Problem(new PlanRule(RuleType.Page, null, 1, Schemas.Parse("{}"))));
        Assert.Null(PlanCompiler.Problem(new PlanRule(RuleType.Identify, "", 1, Schemas.Parse("true"))));
    }
}
