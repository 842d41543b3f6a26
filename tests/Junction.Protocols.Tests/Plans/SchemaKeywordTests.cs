using Junction.Protocols.Plans;

namespace Junction.Protocols.Tests.Plans;

public sealed class SchemaKeywordTests
{
    [Theory]
    [InlineData("""{"type":"integer"}""", "\"12\"", "Invalid type. Expected: integer, given: string")]
    [InlineData("""{"type":"integer"}""", "1.5", "Invalid type. Expected: integer, given: number")]
    [InlineData("""{"type":"string"}""", "3", "Invalid type. Expected: string, given: integer")]
    [InlineData("""{"type":["number","null"]}""", "true", "Invalid type. Expected: number or null, given: boolean")]
    [InlineData("""{"type":"object"}""", "[]", "Invalid type. Expected: object, given: array")]
    [InlineData("""{"type":"array"}""", "{}", "Invalid type. Expected: array, given: object")]
    [InlineData("""{"type":"null"}""", "0", "Invalid type. Expected: null, given: integer")]
    [InlineData("""{"type":"boolean"}""", "null", "Invalid type. Expected: boolean, given: null")]
    public void AWrongTypeIsAnInvalidTypeViolationThatNamesBothTypes(string schema, string instance, string description)
    {
        var violation = Schemas.Single(schema, instance);

        Assert.Equal(ViolationTypes.InvalidType, violation.Type);
        Assert.Equal("(root)", violation.Field);
        Assert.Equal(description, violation.Description);
    }

    [Theory]
    [InlineData("""{"type":"integer"}""", "1.0")]
    [InlineData("""{"type":"integer"}""", "1e3")]
    [InlineData("""{"type":"number"}""", "7")]
    [InlineData("""{"type":["string","null"]}""", "null")]
    [InlineData("""{"type":"object"}""", """{"a":1}""")]
    public void ValuesOfAnAllowedTypePass(string schema, string instance) => Assert.Empty(Schemas.Validate(schema, instance));

    [Fact]
    public void AMissingRequiredPropertyIsReportedAtItsOwnPath()
    {
        const string Schema = """
            {"type":"object","properties":{"properties":{"type":"object","required":["order_id","total"]}},"required":["properties"]}
            """;

        var violations = Schemas.Validate(Schema, """{"properties":{"total":3}}""");

        var violation = Assert.Single(violations);
        Assert.Equal(new Violation(ViolationTypes.Required, "properties.order_id", "properties.order_id is required"), violation);
        Assert.Equal("properties is required", Schemas.Single(Schema, "{}").Description);
    }

    [Fact]
    public void NestedViolationsCarryTheJsonPathOfTheFieldThroughArrays()
    {
        const string Schema = """
            {"properties":{"properties":{"properties":{"products":{"type":"array","items":{"properties":{"sku":{"type":"string"}}}}}}}}
            """;

        var violation = Schemas.Single(Schema, """{"properties":{"products":[{"sku":"a"},{"sku":"b"},{"sku":7}]}}""");

        Assert.Equal("properties.products.2.sku", violation.Field);
        Assert.Equal(ViolationTypes.InvalidType, violation.Type);
    }

    [Fact]
    public void EveryViolationOfAnEventIsReportedNotOnlyTheFirst()
    {
        const string Schema = """
            {"properties":{"properties":{"properties":{"price":{"type":"number"},"sku":{"type":"string"}},"required":["currency"]}}}
            """;

        var violations = Schemas.Validate(Schema, """{"properties":{"price":"9.99","sku":12}}""");

        Assert.Equal(["properties.price", "properties.sku", "properties.currency"], violations.Select(v => v.Field));
    }

    [Fact]
    public void AValueOfTheWrongTypeIsReportedOnceNotAgainByTheKeywordsThatDoNotFitIt()
    {
        var violation = Schemas.Single("""{"type":"string","enum":["a","b"],"minLength":2}""", "5");

        Assert.Equal(ViolationTypes.InvalidType, violation.Type);
    }

    [Theory]
    [InlineData("""{"enum":["web","ios"]}""", "\"android\"", "Must be one of the following: \"web\", \"ios\"")]
    [InlineData("""{"enum":[1,"1",null]}""", "2", "Must be one of the following: 1, \"1\", null")]
    [InlineData("""{"const":"USD"}""", "\"EUR\"", "Must be equal to \"USD\"")]
    [InlineData("""{"const":{"a":[1,2]}}""", """{"a":[2,1]}""", "Must be equal to {\"a\":[1,2]}")]
    public void EnumAndConstFailuresAreInvalidValues(string schema, string instance, string description)
    {
        var violation = Schemas.Single(schema, instance);

        Assert.Equal(ViolationTypes.InvalidValue, violation.Type);
        Assert.Equal(description, violation.Description);
    }

    [Theory]
    [InlineData("""{"enum":["web","ios"]}""", "\"ios\"")]
    [InlineData("""{"enum":[1,"1",null]}""", "1.0")]
    [InlineData("""{"enum":[1,"1",null]}""", "null")]
    [InlineData("""{"enum":[{"a":1,"b":[true]}]}""", """{"b":[true],"a":1}""")]
    [InlineData("""{"const":10}""", "1e1")]
    [InlineData("""{"const":"caf\u00e9"}""", "\"café\"")]
    public void EnumAndConstCompareValuesNotText(string schema, string instance) => Assert.Empty(Schemas.Validate(schema, instance));

    [Theory]
    [InlineData("""{"minimum":10}""", "9.5", "Must be greater than or equal to 10")]
    [InlineData("""{"exclusiveMinimum":10}""", "10", "Must be greater than 10")]
    [InlineData("""{"maximum":100}""", "100.01", "Must be less than or equal to 100")]
    [InlineData("""{"exclusiveMaximum":1.5}""", "1.5", "Must be less than 1.5")]
    [InlineData("""{"multipleOf":0.01}""", "19.999", "Must be a multiple of 0.01")]
    [InlineData("""{"multipleOf":3}""", "10", "Must be a multiple of 3")]
    public void NumericLimitsAreOutOfRangeViolations(string schema, string instance, string description)
    {
        var violation = Schemas.Single(schema, instance);

        Assert.Equal(ViolationTypes.OutOfRange, violation.Type);
        Assert.Equal(description, violation.Description);
    }

    [Theory]
    [InlineData("""{"minimum":10}""", "10")]
    [InlineData("""{"maximum":100}""", "100")]
    [InlineData("""{"multipleOf":0.01}""", "19.99")]
    [InlineData("""{"multipleOf":0.1}""", "0.3")]
    [InlineData("""{"multipleOf":2}""", "1e2")]
    [InlineData("""{"minimum":10}""", "\"not a number\"")]
    public void NumbersWithinTheirLimitsAndNonNumbersPass(string schema, string instance) => Assert.Empty(Schemas.Validate(schema, instance));

    [Theory]
    [InlineData("""{"minLength":3}""", "\"ab\"", "String length must be greater than or equal to 3")]
    [InlineData("""{"maxLength":2}""", "\"abc\"", "String length must be less than or equal to 2")]
    [InlineData("""{"maxLength":1}""", "\"\u00e9\u00e9\"", "String length must be less than or equal to 1")]
    [InlineData("""{"minItems":1}""", "[]", "Array must have at least 1 items")]
    [InlineData("""{"maxItems":1}""", "[1,2]", "Array must have at most 1 items")]
    [InlineData("""{"minProperties":1}""", "{}", "Must have at least 1 properties")]
    [InlineData("""{"maxProperties":1}""", """{"a":1,"b":2}""", "Must have at most 1 properties")]
    public void SizeLimitsAreInvalidLengthViolations(string schema, string instance, string description)
    {
        var violation = Schemas.Single(schema, instance);

        Assert.Equal(ViolationTypes.InvalidLength, violation.Type);
        Assert.Equal(description, violation.Description);
    }

    [Theory]
    [InlineData("\"😀😀\"")]
    [InlineData("\"\\ud83d\\ude00\\ud83d\\ude00\"")]
    [InlineData("\"日本\"")]
    public void StringLengthsCountCodePointsNotUtf16Units(string instance)
    {
        Assert.Empty(Schemas.Validate("""{"maxLength":2,"minLength":2}""", instance));
    }

    [Fact]
    public void APatternIsMatchedAnywhereInTheStringUnlessAnchored()
    {
        Assert.Empty(Schemas.Validate("""{"pattern":"[0-9]{3}"}""", "\"order-123-x\""));

        var violation = Schemas.Single("""{"pattern":"^SKU-[0-9]+$"}""", "\"sku-12\"");

        Assert.Equal(ViolationTypes.PatternMismatch, violation.Type);
        Assert.Equal("Does not match pattern '^SKU-[0-9]+$'", violation.Description);
    }

    [Fact]
    public void PatternsUseJavaScriptMeaningsOfDigitAndWordClasses() =>
        Assert.Single(Schemas.Validate("""{"pattern":"^\\d+$"}""", "\"١٢٣\""));

    [Theory]
    [InlineData("date-time", "\"2024-02-29T10:20:30Z\"", true)]
    [InlineData("date-time", "\"2024-02-29T10:20:30.123+02:00\"", true)]
    [InlineData("date-time", "\"2023-02-29T10:20:30Z\"", false)]
    [InlineData("date-time", "\"2024-01-01 10:20:30Z\"", false)]
    [InlineData("date-time", "\"2024-01-01T10:20:30\"", false)]
    [InlineData("date", "\"2024-12-31\"", true)]
    [InlineData("date", "\"2024-13-01\"", false)]
    [InlineData("time", "\"23:59:59Z\"", true)]
    [InlineData("time", "\"24:00:00Z\"", false)]
    [InlineData("email", "\"ada@example.com\"", true)]
    [InlineData("email", "\"ada.example.com\"", false)]
    [InlineData("email", "\"ada..l@example.com\"", false)]
    [InlineData("uri", "\"https://example.com/a?b=c#d\"", true)]
    [InlineData("uri", "\"mailto:ada@example.com\"", true)]
    [InlineData("uri", "\"/relative/path\"", false)]
    [InlineData("uri", "\"http://exa mple.com\"", false)]
    [InlineData("uuid", "\"123e4567-e89b-12d3-a456-426614174000\"", true)]
    [InlineData("uuid", "\"123e4567e89b12d3a456426614174000\"", false)]
    [InlineData("ipv4", "\"192.168.0.1\"", true)]
    [InlineData("ipv4", "\"256.1.1.1\"", false)]
    [InlineData("ipv6", "\"2001:db8::1\"", true)]
    [InlineData("ipv6", "\"2001:db8::g\"", false)]
    [InlineData("hostname", "\"api.example.com\"", true)]
    [InlineData("hostname", "\"-bad.example.com\"", false)]
    [InlineData("made-up-format", "\"anything\"", true)]
    [InlineData("email", "42", true)]
    public void FormatsAreChecked(string format, string instance, bool valid)
    {
        var violations = Schemas.Validate($$"""{"format":"{{format}}"}""", instance);

        if (valid)
        {
            Assert.Empty(violations);
        }
        else
        {
            var violation = Assert.Single(violations);
            Assert.Equal(ViolationTypes.InvalidFormat, violation.Type);
            Assert.Equal($"Does not match format '{format}'", violation.Description);
        }
    }

    [Fact]
    public void AdditionalPropertiesFalseNamesTheExtraProperty()
    {
        var violation = Schemas.Single("""{"properties":{"a":{}},"additionalProperties":false}""", """{"a":1,"b":2}""");

        Assert.Equal(new Violation(ViolationTypes.InvalidValue, "b", "Additional property b is not allowed"), violation);
    }

    [Fact]
    public void AdditionalPropertiesAsASchemaChecksOnlyUnlistedAndUnmatchedProperties()
    {
        const string Schema = """{"properties":{"a":{"type":"string"}},"patternProperties":{"^x_":{"type":"integer"}},"additionalProperties":{"type":"boolean"}}""";

        Assert.Empty(Schemas.Validate(Schema, """{"a":"s","x_1":3,"other":true}"""));
        Assert.Equal(["x_1", "other"], Schemas.Validate(Schema, """{"a":"s","x_1":"3","other":1}""").Select(v => v.Field));
    }

    [Fact]
    public void PropertyNamesChecksEachName()
    {
        var violation = Schemas.Single("""{"propertyNames":{"pattern":"^[a-z_]+$"}}""", """{"ok_name":1,"BadName":2}""");

        Assert.Equal("BadName", violation.Field);
        Assert.Equal(ViolationTypes.InvalidValue, violation.Type);
    }

    [Fact]
    public void TupleItemsCheckEachPositionAndAdditionalItemsTheRest()
    {
        const string Schema = """{"items":[{"type":"string"},{"type":"integer"}],"additionalItems":{"type":"boolean"}}""";

        Assert.Empty(Schemas.Validate(Schema, """["a",1,true,false]"""));
        Assert.Equal(["1", "3"], Schemas.Validate(Schema, """["a","1",true,0]""").Select(v => v.Field));
        Assert.Equal(ViolationTypes.InvalidLength, Schemas.Single("""{"items":[{}],"additionalItems":false}""", "[1,2]").Type);
    }

    [Fact]
    public void ContainsNeedsOneMatchingItemAndUniqueItemsNamesTheDuplicates()
    {
        Assert.Empty(Schemas.Validate("""{"contains":{"const":"x"}}""", """["a","x"]"""));
        Assert.Equal(ViolationTypes.InvalidValue, Schemas.Single("""{"contains":{"const":"x"}}""", """["a","b"]""").Type);

        var duplicate = Schemas.Single("""{"uniqueItems":true}""", """[1,{"a":1},"x",{"a":1.0}]""");

        Assert.Equal("Array items 1 and 3 must be unique", duplicate.Description);
    }

    [Fact]
    public void DependenciesRequirePropertiesOrASchemaWhenAPropertyIsPresent()
    {
        const string Schema = """{"dependencies":{"coupon":["discount"],"total":{"required":["currency"]}}}""";

        Assert.Empty(Schemas.Validate(Schema, """{"discount":1}"""));
        Assert.Equal("discount is required when coupon is present", Schemas.Single(Schema, """{"coupon":"X"}""").Description);
        Assert.Equal("currency", Schemas.Single(Schema, """{"total":3}""").Field);
    }

    [Fact]
    public void AnyOfOneOfAndNotFailuresAreOneViolationAtTheirPath()
    {
        Assert.Equal(
            new Violation(ViolationTypes.InvalidValue, "(root)", "Must validate at least one schema (anyOf)"),
            Schemas.Single("""{"anyOf":[{"type":"string"},{"minimum":5}]}""", "3"));
        Assert.Equal(
            "Must validate one and only one schema (oneOf), but validates more than one",
            Schemas.Single("""{"oneOf":[{"type":"integer"},{"minimum":0}]}""", "3").Description);
        Assert.Equal(
            "Must validate one and only one schema (oneOf), but validates none",
            Schemas.Single("""{"oneOf":[{"type":"string"},{"minimum":5}]}""", "3").Description);
        Assert.Equal(
            new Violation(ViolationTypes.InvalidValue, "properties.x", "Must not validate the schema (not)"),
            Schemas.Single("""{"properties":{"properties":{"properties":{"x":{"not":{"type":"null"}}}}}}""", """{"properties":{"x":null}}"""));
    }

    [Fact]
    public void AllOfAtTheRootIsOneViolationThatStillSaysWhatIsWrong()
    {
        const string Schema = """{"allOf":[{"required":["userId"]},{"properties":{"context":{"required":["ip"]}}}]}""";

        var violation = Schemas.Single(Schema, """{"context":{}}""");

        Assert.Equal("(root)", violation.Field);
        Assert.Equal(ViolationTypes.Required, violation.Type);
        Assert.Equal("Must validate all the schemas (allOf): userId is required", violation.Description);
    }

    [Fact]
    public void IfThenElseReportsTheBranchThatFailed()
    {
        const string Schema = """
            {"if":{"properties":{"country":{"const":"US"}}},"then":{"required":["state"]},"else":{"required":["region"]}}
            """;

        Assert.Empty(Schemas.Validate(Schema, """{"country":"US","state":"CA"}"""));
        Assert.Equal(
            new Violation(ViolationTypes.Required, "(root)", "Must validate \"then\" as \"if\" was valid: state is required"),
            Schemas.Single(Schema, """{"country":"US"}"""));
        Assert.Equal(
            "Must validate \"else\" as \"if\" was not valid: region is required",
            Schemas.Single(Schema, """{"country":"FR"}""").Description);
    }

    [Fact]
    public void ReferencesReachDefinitionsAndTheRootForRecursiveSchemas()
    {
        const string Schema = """
            {"definitions":{"money":{"type":"number","minimum":0}},
             "properties":{"price":{"$ref":"#/definitions/money"},"children":{"type":"array","items":{"$ref":"#"}}}}
            """;

        Assert.Empty(Schemas.Validate(Schema, """{"price":1,"children":[{"price":2,"children":[{"price":3}]}]}"""));
        Assert.Equal("children.0.children.0.price", Schemas.Single(Schema, """{"children":[{"children":[{"price":-1}]}]}""").Field);
    }

    [Fact]
    public void KeywordsNextToAReferenceAreIgnoredAsDraft07Says() =>
        Assert.Empty(Schemas.Validate("""{"definitions":{"s":{"type":"string"}},"properties":{"a":{"$ref":"#/definitions/s","minLength":5}}}""", """{"a":"x"}"""));

    [Fact]
    public void ReferencesUnescapeJsonPointerAndPercentEncoding() =>
        Assert.Single(Schemas.Validate("""{"definitions":{"a/b c~":{"type":"string"}},"$ref":"#/definitions/a~1b%20c~0"}""", "1"));

    [Fact]
    public void BooleanSchemasAcceptEverythingOrNothing()
    {
        Assert.Empty(Schemas.Validate("true", """{"any":"thing"}"""));
        Assert.Equal(ViolationTypes.InvalidValue, Schemas.Single("""{"properties":{"gone":false}}""", """{"gone":1}""").Type);
    }

    [Fact]
    public void AnnotationsAndUnknownKeywordsAreIgnored() =>
        Assert.Empty(Schemas.Validate(
            """{"$schema":"http://json-schema.org/draft-07/schema#","$id":"x","title":"t","description":"d","examples":[1],"default":2,"x-junction":{"type":5},"deprecated":true}""",
            """{"a":1}"""));

    [Fact]
    public void AnEscapedPropertyNameIsLookedUpByItsValue() =>
        Assert.Single(Schemas.Validate("""{"properties":{"café":{"type":"string"}}}""", """{"caf\u00e9":1}"""));
}
