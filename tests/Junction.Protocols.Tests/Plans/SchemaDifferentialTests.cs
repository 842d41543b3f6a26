using Json.Schema;

namespace Junction.Protocols.Tests.Plans;

/// <summary>
/// Junction's validator against an independent implementation (JsonSchema.Net, draft-07, formats asserted): for
/// every schema and value of the corpus both must agree on valid or invalid. Junction's own compiled checks decide
/// at run time; the library is only the oracle of this test. The corpus leaves out one known disagreement:
/// JsonSchema.Net 8 treats <c>[{"a":1},{"a":1.0}]</c> as unique items, while JSON Schema equality (and Junction,
/// see <see cref="SchemaKeywordTests"/>) compares numbers by value, so those two objects are equal.
/// </summary>
public sealed class SchemaDifferentialTests
{
    private static readonly (string Schema, string[] Instances)[] Corpus =
    [
        ("""{"type":"string"}""", ["\"a\"", "1", "null", "[]"]),
        ("""{"type":"integer"}""", ["1", "1.0", "1.5", "-0", "1e2", "\"1\"", "12345678901234567890"]),
        ("""{"type":"number"}""", ["1", "1.5", "-1e-5", "true", "\"1.5\""]),
        ("""{"type":["string","null"]}""", ["\"x\"", "null", "0", "{}"]),
        ("""{"type":["integer","boolean"]}""", ["false", "3", "3.1"]),
        ("""{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}""", ["""{"a":"x"}""", """{"a":1}""", """{}""", """{"b":1}""", "[]"]),
        ("""{"enum":["red","green",1,null,{"a":[1]}]}""", ["\"red\"", "\"blue\"", "1.0", "null", """{"a":[1.0]}""", """{"a":[2]}""", "[1]"]),
        ("""{"const":{"k":"v","n":[1,2]}}""", ["""{"n":[1,2],"k":"v"}""", """{"k":"v","n":[2,1]}""", """{"k":"v"}"""]),
        ("""{"const":false}""", ["false", "0", "null"]),
        ("""{"minimum":1.5,"maximum":3}""", ["1.5", "1.49", "3", "3.01", "\"2\""]),
        ("""{"exclusiveMinimum":0,"exclusiveMaximum":10}""", ["0", "0.0001", "9.999", "10"]),
        ("""{"multipleOf":0.01}""", ["19.99", "19.999", "0", "-3.3"]),
        ("""{"multipleOf":1.5}""", ["4.5", "4", "0"]),
        ("""{"minLength":2,"maxLength":3}""", ["\"a\"", "\"ab\"", "\"abcd\"", "\"😀😀\"", "\"😀\"", "5"]),
        ("""{"pattern":"^[A-Z]{3}$"}""", ["\"USD\"", "\"usd\"", "\"USDX\"", "12"]),
        ("""{"pattern":"a+b"}""", ["\"xxaab\"", "\"ba\""]),
        ("""{"format":"date-time"}""", ["\"2024-05-01T10:00:00Z\"", "\"2024-05-01T10:00:00.5+01:00\"", "\"2024-05-01\"", "\"not a date\"", "12"]),
        ("""{"format":"date"}""", ["\"2024-02-29\"", "\"2023-02-29\"", "\"2024-1-1\""]),
        ("""{"format":"email"}""", ["\"a@example.com\"", "\"first.last@sub.example.org\"", "\"no-at-sign\"", "\"two@@example.com\""]),
        ("""{"format":"ipv4"}""", ["\"10.0.0.1\"", "\"10.0.0\"", "\"300.0.0.1\""]),
        ("""{"format":"ipv6"}""", ["\"::1\"", "\"fe80::1:2\"", "\"12345::\"", "\"1.2.3.4\""]),
        ("""{"format":"hostname"}""", ["\"example.com\"", "\"a-b.c\"", "\"-a.com\"", "\"a_b.com\""]),
        ("""{"format":"uri"}""", ["\"https://example.com/path?q=1\"", "\"urn:isbn:0451450523\"", "\"//example.com\"", "\"no scheme\""]),
        ("""{"items":{"type":"integer"}}""", ["[1,2,3]", "[1,\"2\"]", "[]", "{}"]),
        ("""{"items":[{"type":"string"},{"type":"number"}]}""", ["""["a",1]""", """["a"]""", """["a",1,null]""", """[1,"a"]"""]),
        ("""{"items":[{"type":"string"}],"additionalItems":false}""", ["""["a"]""", """["a","b"]""", "[]"]),
        ("""{"items":[{}],"additionalItems":{"type":"boolean"}}""", ["[1,true,false]", "[1,true,2]"]),
        ("""{"additionalItems":false}""", ["[1,2,3]"]),
        ("""{"contains":{"type":"string"}}""", ["""[1,"a"]""", "[1,2]", "[]", "\"a\""]),
        ("""{"minItems":1,"maxItems":2,"uniqueItems":true}""", ["[]", "[1]", "[1,2]", "[1,1]", "[1,2,3]", "[1,1.0]"]),
        ("""{"uniqueItems":true}""", ["""[1,"1",true,null]""", "[[1],[1]]", "[0,false]"]),
        ("""{"properties":{"a":{"type":"integer"}},"additionalProperties":false}""", ["""{"a":1}""", """{"a":1,"b":2}""", "{}"]),
        ("""{"properties":{"a":{}},"patternProperties":{"^x-":{"type":"string"}},"additionalProperties":{"type":"number"}}""",
            ["""{"a":null,"x-1":"s","z":3}""", """{"x-1":1}""", """{"z":"s"}""", """{"a":"anything"}"""]),
        ("""{"patternProperties":{"^[0-9]+$":{"type":"boolean"}},"additionalProperties":false}""", ["""{"12":true}""", """{"12":1}""", """{"ab":true}"""]),
        ("""{"propertyNames":{"maxLength":3}}""", ["""{"abc":1}""", """{"abcd":1}""", "{}"]),
        ("""{"propertyNames":{"pattern":"^[a-z_]+$"}}""", ["""{"order_id":1}""", """{"orderId":1}"""]),
        ("""{"minProperties":1,"maxProperties":2}""", ["{}", """{"a":1}""", """{"a":1,"b":2,"c":3}"""]),
        ("""{"dependencies":{"a":["b"],"c":{"required":["d"]}}}""", ["""{"a":1,"b":2}""", """{"a":1}""", """{"c":1}""", """{"c":1,"d":1}""", "{}"]),
        ("""{"allOf":[{"type":"integer"},{"minimum":3}]}""", ["3", "2", "3.5"]),
        ("""{"anyOf":[{"type":"string","maxLength":2},{"type":"number","minimum":10}]}""", ["\"ab\"", "\"abc\"", "10", "9", "null"]),
        ("""{"oneOf":[{"type":"integer"},{"minimum":2}]}""", ["1", "2", "2.5", "-1.5"]),
        ("""{"not":{"type":"string"}}""", ["1", "\"s\""]),
        ("""{"if":{"properties":{"kind":{"const":"a"}},"required":["kind"]},"then":{"required":["x"]},"else":{"required":["y"]}}""",
            ["""{"kind":"a","x":1}""", """{"kind":"a","y":1}""", """{"kind":"b","y":1}""", """{"y":1}""", "{}"]),
        ("""{"if":{"type":"string"},"then":{"minLength":2}}""", ["\"a\"", "\"ab\"", "1"]),
        ("""{"then":{"type":"string"}}""", ["1"]),
        ("""{"definitions":{"pos":{"type":"number","exclusiveMinimum":0}},"properties":{"price":{"$ref":"#/definitions/pos"}}}""",
            ["""{"price":1}""", """{"price":0}""", """{"price":"1"}""", "{}"]),
        ("""{"type":"object","properties":{"name":{"type":"string"},"children":{"type":"array","items":{"$ref":"#"}}},"required":["name"]}""",
            ["""{"name":"a","children":[{"name":"b","children":[]}]}""", """{"name":"a","children":[{"children":[]}]}"""]),
        ("""{"properties":{"a":{"$ref":"#/definitions/s","maxLength":1}},"definitions":{"s":{"type":"string"}}}""", ["""{"a":"long"}""", """{"a":1}"""]),
        ("true", ["1", "{}"]),
        ("false", ["1", "null"]),
        ("""{"properties":{"a":false}}""", ["""{"a":1}""", """{"b":1}"""]),
        ("""{"description":"annotations only","title":"t","default":1,"examples":[2],"x-custom":{"type":"string"}}""", ["1", "\"a\""]),
        (
            """
            {"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
             "properties":{
               "properties":{"type":"object",
                 "properties":{"order_id":{"type":"string"},"total":{"type":["number","null"]},
                   "products":{"type":"array","items":{"type":"object","properties":{"sku":{"type":"string"},"price":{"type":"number","minimum":0}},"required":["sku"]}}},
                 "required":["order_id"]},
               "context":{"type":"object","properties":{"ip":{"format":"ipv4"}}}},
             "required":["properties"]}
            """,
            [
                """{"type":"track","event":"Order Completed","properties":{"order_id":"o1","total":null,"products":[{"sku":"a","price":1}]}}""",
                """{"properties":{"order_id":1}}""",
                """{"properties":{"order_id":"o","products":[{"price":-1}]}}""",
                """{"properties":{"order_id":"o"},"context":{"ip":"1.2.3.999"}}""",
                """{"event":"Order Completed"}""",
            ]
        ),
        (
            """{"type":"object","properties":{"traits":{"type":"object","properties":{"email":{"type":"string","format":"email"},"plan":{"enum":["free","pro"]},"age":{"type":"integer","minimum":0,"maximum":150}}}}}""",
            ["""{"traits":{"email":"a@b.co","plan":"pro","age":30}}""", """{"traits":{"plan":"gold"}}""", """{"traits":{"age":200}}""", """{"traits":{"email":"nope"}}"""]
        ),
    ];

    public static TheoryData<int, int> Pairs()
    {
        var data = new TheoryData<int, int>();
        for (var s = 0; s < Corpus.Length; s++)
        {
            for (var i = 0; i < Corpus[s].Instances.Length; i++)
            {
                data.Add(s, i);
            }
        }

        return data;
    }

    [Fact]
    public void TheCorpusHasAtLeastAHundredPairs() => Assert.True(Corpus.Sum(c => c.Instances.Length) >= 100);

    [Theory]
    [MemberData(nameof(Pairs))]
    public void JunctionAgreesWithJsonSchemaNet(int schemaIndex, int instanceIndex)
    {
        var (schemaText, instances) = Corpus[schemaIndex];
        var instance = Schemas.Parse(instances[instanceIndex]);

        var oracle = JsonSchema.Build(
            Schemas.Parse(schemaText),
            new BuildOptions { Dialect = Dialect.Draft07, SchemaRegistry = new SchemaRegistry() },
            new Uri($"https://junction.test/corpus/{schemaIndex}"));
        var expected = oracle.Evaluate(instance, new EvaluationOptions { RequireFormatValidation = true, OutputFormat = OutputFormat.Flag }).IsValid;

        var compiled = Schemas.Compile(schemaText);
        var violations = compiled.Violations(instance);

        Assert.True(
            expected == compiled.IsValid(instance),
            $"{schemaText} with {instances[instanceIndex]}: JsonSchema.Net says {(expected ? "valid" : "invalid")}, Junction disagrees.");
        Assert.Equal(expected, violations.Length == 0);
    }
}
