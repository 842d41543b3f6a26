using System.Text.Json;
using Junction.Protocols.Plans;
using Junction.Web.Protocols.Plans;

namespace Junction.Web.Tests.Protocols;

/// <summary>The plan page's property table over a rule's JSON Schema: read, edited and written back in Segment's rule shape.</summary>
public sealed class RuleDraftTests
{
    private const string Rule = """
        {
          "$schema": "http://json-schema.org/draft-07/schema#",
          "type": "object",
          "properties": {
            "context": { "type": "object", "required": ["locale"] },
            "properties": {
              "type": "object",
              "description": "kept",
              "properties": {
                "order_id": { "type": "string", "pattern": "^o-" },
                "revenue": { "type": ["number", "null"] },
                "currency": { "type": "string", "enum": ["EUR", "USD"] }
              },
              "required": ["order_id", "coupon"]
            }
          }
        }
        """;

    [Fact]
    public void ARulesPropertiesAreReadWithTheirTypesRequiredAndAllowedValues()
    {
        var draft = RuleDraft.From(RuleType.Track, "Order Completed", 1, JsonDocument.Parse(Rule).RootElement);

        Assert.Equal("properties", draft.Root);
        Assert.Equal(["order_id", "revenue", "currency", "coupon"], draft.Properties.Select(p => p.Name));
        Assert.Equal(["string"], draft.Properties[0].Types);
        Assert.Equal(["number", "null"], draft.Properties[1].Types);
        Assert.Equal("EUR, USD", draft.Properties[2].AllowedValues);
        Assert.Equal([true, false, false, true], draft.Properties.Select(p => p.Required));
        Assert.Empty(draft.Properties[3].Types);
    }

    [Fact]
    public void WritingTheTableBackChangesOnlyWhatItShowsAndKeepsEveryOtherKeyword()
    {
        var draft = RuleDraft.From(RuleType.Track, "Order Completed", 1, JsonDocument.Parse(Rule).RootElement);
        draft.Properties[1].Required = true;
        draft.Properties[1].Types = ["integer"];
        draft.Properties.RemoveAt(3);

        var schema = draft.ToSchema();

        var properties = schema.GetProperty("properties").GetProperty("properties");
        Assert.Equal("kept", properties.GetProperty("description").GetString());
        Assert.Equal("^o-", properties.GetProperty("properties").GetProperty("order_id").GetProperty("pattern").GetString());
        Assert.Equal("integer", properties.GetProperty("properties").GetProperty("revenue").GetProperty("type").GetString());
        Assert.Equal(["order_id", "revenue"], properties.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("locale", schema.GetProperty("properties").GetProperty("context").GetProperty("required")[0].GetString());
        Assert.Null(PlanCompiler.Problem(new PlanRule(RuleType.Track, "Order Completed", 1, schema)));
    }

    [Fact]
    public void AllowedValuesAreTextForATextPropertyAndJsonScalarsOtherwise()
    {
        Assert.Equal(["\"1\"", "\"true\""], RuleDraft.AllowedValuesOf("1, true", ["string"]).Select(v => v!.ToJsonString()));
        var mixed = RuleDraft.AllowedValuesOf("1, 2.5, true, null, plain", ["number", "string", "boolean", "null"]);
        Assert.Equal(["1", "2.5", "true", "null", "\"plain\""], mixed.Select(v => v?.ToJsonString() ?? "null"));
    }

    [Fact]
    public void ANewIdentifyRuleWritesItsTraitsWithTypesAndRequired()
    {
        var draft = RuleDraft.New(RuleType.Identify, null);
        draft.Properties.Add(new PropertyDraft { Name = "email", Types = ["string"], Required = true });
        draft.Properties.Add(new PropertyDraft { Name = "plan", Types = ["string"], AllowedValues = "free, pro" });

        var traits = draft.ToSchema().GetProperty("properties").GetProperty("traits");

        Assert.Equal("object", traits.GetProperty("type").GetString());
        Assert.Equal(["email"], traits.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["free", "pro"], traits.GetProperty("properties").GetProperty("plan").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public void AnEmptyOrRepeatedNameIsRefusedBeforeTheSchemaIsWritten()
    {
        var draft = RuleDraft.New(RuleType.Track, "Signed Up");
        draft.Properties.Add(new PropertyDraft { Name = " " });
        Assert.Equal("Every property needs a name.", draft.Problem());

        draft.Properties[0].Name = "plan";
        draft.Properties.Add(new PropertyDraft { Name = "plan" });
        Assert.Equal("The property plan is listed twice.", draft.Problem());
    }

    [Fact]
    public void APropertyReadsInTheRulesListWithItsTypesAndWhetherItIsRequired()
    {
        Assert.Equal("revenue (number or null, required)", RuleDraft.Summary(new PropertyDraft { Name = "revenue", Types = ["null", "number"], Required = true }));
        Assert.Equal("currency (string, one of EUR, USD)", RuleDraft.Summary(new PropertyDraft { Name = "currency", Types = ["string"], AllowedValues = "EUR, USD" }));
        Assert.Equal("anything", RuleDraft.Summary(new PropertyDraft { Name = "anything" }));
    }
}
