using System.Text.Json;
using Junction.Protocols.Plans;

namespace Junction.Protocols.Tests.Plans;

public sealed class PlanCheckTests
{
    private static PlanRule Track(string name, int version, string properties, string? required = null)
    {
        var requiredPart = required is null ? "" : ",\"required\":" + required;
        return new PlanRule(
            RuleType.Track,
            name,
            version,
            Schemas.Parse(
                "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\","
                + "\"properties\":{\"properties\":{\"type\":\"object\",\"properties\":" + properties + requiredPart + "}}}"));
    }

    private static PlanRule Rule(RuleType type, string? key, string schema) => new(type, key, 1, Schemas.Parse(schema));

    private static PlanCheck Check(CompiledPlan plan, string @event) => plan.Check(Schemas.Parse(@event));

    private static readonly CompiledPlan Orders = PlanCompiler.Compile(
    [
        Track("Order Completed", 1, """{"order_id":{"type":"string"},"total":{"type":"number"}}""", """["order_id"]"""),
        Track("Order Completed", 2, """{"order_id":{"type":"string"},"total":{"type":"integer"},"currency":{"type":"string"}}""", """["order_id","currency"]"""),
        Track("Signed Up", 1, """{"plan":{"enum":["free","pro"]}}"""),
    ]);

    [Fact]
    public void AnEventThatFollowsItsRuleIsCleanAndPlanned()
    {
        var check = Check(Orders, """{"type":"track","event":"Order Completed","properties":{"order_id":"o1","total":9.5}}""");

        Assert.Same(PlanCheck.Clean, check);
    }

    [Fact]
    public void ViolationsOfTheEventsRuleAreReportedWithSegmentsTypesAndPaths()
    {
        var check = Check(Orders, """{"type":"track","event":"Order Completed","properties":{"total":"9.5"}}""");

        Assert.True(check.Planned);
        Assert.Equal(
            [
                new Violation(ViolationTypes.InvalidType, "properties.total", "Invalid type. Expected: number, given: string"),
                new Violation(ViolationTypes.Required, "properties.order_id", "properties.order_id is required"),
            ],
            check.Violations);
    }

    [Fact]
    public void WithoutAVersionTheOldestVersionOfTheRuleApplies()
    {
        var check = Check(Orders, """{"type":"track","event":"Order Completed","properties":{"order_id":"o","total":9.5}}""");

        Assert.Empty(check.Violations);
    }

    [Fact]
    public void ContextProtocolsEventVersionChoosesAnExistingVersion()
    {
        var check = Check(Orders, """
            {"type":"track","event":"Order Completed","context":{"protocols":{"event_version":2}},"properties":{"order_id":"o","total":9.5}}
            """);

        Assert.Equal(["properties.total", "properties.currency"], check.Violations.Select(v => v.Field));
    }

    [Theory]
    [InlineData("7")]
    [InlineData("\"2\"")]
    [InlineData("null")]
    public void AVersionThatDoesNotExistFallsBackToTheOldest(string version)
    {
        var check = Check(Orders, """{"type":"track","event":"Order Completed","context":{"protocols":{"event_version":"""
            + version + """}},"properties":{"order_id":"o","total":9.5}}""");

        Assert.Empty(check.Violations);
    }

    [Fact]
    public void ATrackEventWithNoRuleIsUnplannedAndOnlyTheCommonRuleChecksIt()
    {
        var check = Check(Orders, """{"type":"track","event":"Order completed","properties":{"x":1}}""");

        Assert.False(check.Planned);
        Assert.Empty(check.Violations);
        Assert.Empty(check.UnplannedFields);
    }

    [Fact]
    public void EventNamesMatchExactlyWithCaseAndSpacing()
    {
        Assert.False(Check(Orders, """{"type":"track","event":"signed up"}""").Planned);
        Assert.False(Check(Orders, """{"type":"track","event":"Signed Up "}""").Planned);
        Assert.False(Check(Orders, """{"type":"track"}""").Planned);
        Assert.True(Check(Orders, """{"type":"track","event":"Signed Up"}""").Planned);
    }

    [Fact]
    public void TopLevelPropertiesTheRuleDoesNotListAreUnplannedFields()
    {
        var check = Check(Orders, """
            {"type":"track","event":"Signed Up","properties":{"plan":"pro","referrer":"ad","nested":{"deep":1}}}
            """);

        Assert.True(check.Planned);
        Assert.Empty(check.Violations);
        Assert.Equal(["properties.referrer", "properties.nested"], check.UnplannedFields);
    }

    [Fact]
    public void PatternPropertiesAndAnAdditionalPropertiesSchemaPlanFields()
    {
        var plan = PlanCompiler.Compile(
        [
            Rule(RuleType.Track, "A", """{"properties":{"properties":{"properties":{"a":{}},"patternProperties":{"^utm_":{"type":"string"}}}}}"""),
            Rule(RuleType.Track, "B", """{"properties":{"properties":{"additionalProperties":{"type":"string"}}}}"""),
            Rule(RuleType.Track, "C", """{"properties":{"properties":{"properties":{"a":{}},"additionalProperties":true}}}"""),
        ]);

        Assert.Equal(["properties.other"], Check(plan, """{"type":"track","event":"A","properties":{"a":1,"utm_source":"x","other":1}}""").UnplannedFields);
        Assert.Empty(Check(plan, """{"type":"track","event":"B","properties":{"anything":"x"}}""").UnplannedFields);
        Assert.Equal(["properties.b"], Check(plan, """{"type":"track","event":"C","properties":{"a":1,"b":2}}""").UnplannedFields);
    }

    [Fact]
    public void IdentifyAndGroupRulesCheckTraitsAndPlanTraitNames()
    {
        var plan = PlanCompiler.Compile(
        [
            Rule(RuleType.Identify, null, """{"properties":{"traits":{"properties":{"email":{"type":"string","format":"email"}}}}}"""),
            Rule(RuleType.Group, null, """{"properties":{"traits":{"properties":{"employees":{"type":"integer"}}}}}"""),
        ]);

        var identify = Check(plan, """{"type":"identify","userId":"u","traits":{"email":"nope","age":3}}""");
        var group = Check(plan, """{"type":"group","groupId":"g","traits":{"employees":"many"}}""");

        Assert.Equal(new Violation(ViolationTypes.InvalidFormat, "traits.email", "Does not match format 'email'"), Assert.Single(identify.Violations));
        Assert.Equal(["traits.age"], identify.UnplannedFields);
        Assert.Equal("traits.employees", Assert.Single(group.Violations).Field);
    }

    [Fact]
    public void IdentifyAndGroupCallsWithoutARuleArePlannedWithNothingToCheck()
    {
        Assert.Same(PlanCheck.Clean, Check(Orders, """{"type":"identify","userId":"u","traits":{"anything":1}}"""));
        Assert.Same(PlanCheck.Clean, Check(Orders, """{"type":"group","groupId":"g","traits":{"anything":1}}"""));
        Assert.Same(PlanCheck.Clean, Check(Orders, """{"type":"alias","userId":"u","previousId":"p"}"""));
    }

    [Fact]
    public void PageCallsUseTheRuleOfTheirNameThenTheKeylessPageRule()
    {
        var plan = PlanCompiler.Compile(
        [
            Rule(RuleType.Page, "Pricing", """{"properties":{"properties":{"properties":{"plan":{"type":"string"}},"required":["plan"]}}}"""),
            Rule(RuleType.Page, null, """{"properties":{"properties":{"properties":{"path":{"type":"string"}},"required":["path"]}}}"""),
        ]);

        Assert.Equal("properties.plan", Assert.Single(Check(plan, """{"type":"page","name":"Pricing","properties":{}}""").Violations).Field);
        Assert.Equal("properties.path", Assert.Single(Check(plan, """{"type":"page","name":"Home","properties":{}}""").Violations).Field);
        Assert.Equal("properties.path", Assert.Single(Check(plan, """{"type":"page","properties":{}}""").Violations).Field);
    }

    [Fact]
    public void ScreenCallsWithoutAMatchingRuleAreUnplannedOnlyWhenThePlanHasScreenRules()
    {
        var withScreens = PlanCompiler.Compile([Rule(RuleType.Screen, "Home", "{}")]);

        Assert.False(Check(withScreens, """{"type":"screen","name":"Settings"}""").Planned);
        Assert.True(Check(withScreens, """{"type":"screen","name":"Home"}""").Planned);
        Assert.True(Check(Orders, """{"type":"screen","name":"Settings"}""").Planned);
        Assert.True(Check(withScreens, """{"type":"page","name":"Settings"}""").Planned);
    }

    [Fact]
    public void TheCommonRuleChecksEveryEventIntoCommonViolations()
    {
        var plan = PlanCompiler.Compile(
        [
            Track("Order Completed", 1, """{"order_id":{"type":"string"}}"""),
            Rule(RuleType.Common, null, """{"required":["userId"],"properties":{"context":{"required":["ip"]}}}"""),
        ]);

        var planned = Check(plan, """{"type":"track","event":"Order Completed","properties":{"order_id":1},"context":{}}""");
        var unplanned = Check(plan, """{"type":"track","event":"Other","userId":"u","context":{}}""");
        var identify = Check(plan, """{"type":"identify","context":{"ip":"1.1.1.1"}}""");

        Assert.Equal("properties.order_id", Assert.Single(planned.Violations).Field);
        Assert.Equal(["context.ip", "userId"], planned.CommonViolations.Select(v => v.Field));
        Assert.False(unplanned.Planned);
        Assert.Equal("context.ip", Assert.Single(unplanned.CommonViolations).Field);
        Assert.Equal("userId is required", Assert.Single(identify.CommonViolations).Description);
    }

    [Fact]
    public void ACommonRuleWithAllOfAtItsRootReportsOneRootViolation()
    {
        var plan = PlanCompiler.Compile([Rule(RuleType.Common, null, """{"allOf":[{"required":["userId"]},{"required":["anonymousId"]}]}""")]);

        var violation = Assert.Single(Check(plan, """{"type":"track","event":"X","userId":"u"}""").CommonViolations);

        Assert.Equal("(root)", violation.Field);
        Assert.Equal("Must validate all the schemas (allOf): anonymousId is required", violation.Description);
    }

    [Fact]
    public void TheEmptyPlanPlansNoTrackEvent()
    {
        Assert.False(CompiledPlan.Empty.Check(Schemas.Parse("""{"type":"track","event":"A"}""")).Planned);
        Assert.Empty(CompiledPlan.Empty.Rules);
    }

    [Fact]
    public void IsPlannedAnswersAsCheckDoes()
    {
        Assert.True(Orders.IsPlanned("track", "Signed Up"));
        Assert.False(Orders.IsPlanned("track", "Signed In"));
        Assert.True(Orders.IsPlanned("identify", null));
        Assert.True(Orders.IsPlanned("page", "Home"));
    }

    [Fact]
    public void IsFieldPlannedAnswersAsTheUnplannedFieldsOfCheckDo()
    {
        var plan = PlanCompiler.Compile(
        [
            Rule(RuleType.Track, "A", """{"properties":{"properties":{"properties":{"a":{}},"patternProperties":{"^utm_":{"type":"string"}}}}}"""),
            Rule(RuleType.Identify, null, """{"properties":{"traits":{"properties":{"email":{}}}}}"""),
        ]);

        Assert.Equal(["properties.other"], Check(plan, """{"type":"track","event":"A","properties":{"a":{"b":1},"utm_source":"x","other":1}}""").UnplannedFields);
        Assert.True(plan.IsFieldPlanned("track", "A", "properties.a"));
        Assert.True(plan.IsFieldPlanned("track", "A", "properties.a.b"));
        Assert.True(plan.IsFieldPlanned("track", "A", "properties.utm_source"));
        Assert.False(plan.IsFieldPlanned("track", "A", "properties.other"));
        Assert.True(plan.IsFieldPlanned("identify", null, "traits.email"));
        Assert.False(plan.IsFieldPlanned("identify", null, "traits.phone"));
        Assert.Null(plan.IsFieldPlanned("track", "A", "context.ip"));
        Assert.Null(plan.IsFieldPlanned("track", "Unplanned Event", "properties.a"));
        Assert.Null(plan.IsFieldPlanned("group", null, "traits.name"));
    }

    [Fact]
    public void ACompiledPlanCanBeCheckedFromManyThreadsAtOnce()
    {
        var events = Enumerable.Range(0, 400).Select(i => Schemas.Parse(i % 2 == 0
            ? """{"type":"track","event":"Order Completed","properties":{"order_id":"o","total":1}}"""
            : """{"type":"track","event":"Order Completed","properties":{"total":"x"}}""")).ToArray();

        var counts = events.AsParallel().WithDegreeOfParallelism(4).Select(e => Orders.Check(e).Violations.Count).ToArray();

        Assert.Equal(events.Length / 2, counts.Count(c => c == 0));
        Assert.All(counts.Where(c => c != 0), c => Assert.Equal(2, c));
    }

    [Fact]
    public void CheckingAConformingEventAgainstALargePlanAllocatesNothing()
    {
        var rules = new List<PlanRule>();
        for (var e = 0; e < 200; e++)
        {
            var properties = string.Join(',', Enumerable.Range(0, 20).Select(p => (p % 4) switch
            {
                0 => $"\"p{p}\":{{\"type\":\"string\",\"maxLength\":50}}",
                1 => $"\"p{p}\":{{\"type\":[\"number\",\"null\"],\"minimum\":0}}",
                2 => $"\"p{p}\":{{\"enum\":[\"a\",\"b\",\"c\"]}}",
                _ => $"\"p{p}\":{{\"type\":\"boolean\"}}",
            }));
            rules.Add(Track($"Event {e}", 1, $"{{{properties}}}", "[\"p0\",\"p1\"]"));
        }

        var plan = PlanCompiler.Compile(rules);
        var values = string.Join(',', Enumerable.Range(0, 20).Select(p => (p % 4) switch
        {
            0 => $"\"p{p}\":\"value {p}\"",
            1 => $"\"p{p}\":{p}.5",
            2 => $"\"p{p}\":\"b\"",
            _ => $"\"p{p}\":true",
        }));
        var @event = Schemas.Parse("""{"type":"track","event":"Event 123","context":{"ip":"1.2.3.4"},"properties":{""" + values + "}}");
        Assert.Same(PlanCheck.Clean, plan.Check(@event));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            plan.Check(@event);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void AnEventWithUndecodableStringsIsCheckedWithoutThrowing()
    {
        var plan = PlanCompiler.Compile(
        [
            Rule(RuleType.Track, "A", """
                {"properties":{"properties":{"properties":{"code":{"pattern":"^[a-z]+$"},"kind":{"enum":["x"]},"name":{"maxLength":1}},"additionalProperties":false}}}
                """),
        ]);

        var check = Check(plan, """
            {"type":"track","event":"A","properties":{"code":"\ud800","kind":"\udc00x","name":"\ud800\ud800","\ud800key":1}}
            """);

        Assert.Equal(["properties.code", "properties.kind", "properties.name", "properties.\\ud800key"], check.Violations.Select(v => v.Field));
        Assert.Equal(["properties.\\ud800key"], check.UnplannedFields);
    }

    [Fact]
    public void ARuleWhoseSchemaHoldsAnUndecodableStringIsAProblemNotACrash() =>
        Assert.Contains("cannot be read", PlanCompiler.Problem(Rule(RuleType.Track, "A", """{"enum":["\ud800"]}""")), StringComparison.Ordinal);

    [Fact]
    public void FailingBranchesOfCombinatorsCostNoAllocationWhenTheEventConforms()
    {
        var plan = PlanCompiler.Compile(
        [
            Rule(RuleType.Track, "A", """
                {"properties":{"properties":{"properties":{
                  "a":{"anyOf":[{"type":"string","minLength":3},{"type":"number","minimum":100},{"type":"null"}]},
                  "b":{"oneOf":[{"enum":["x","y"]},{"const":5},{"pattern":"^z"}]},
                  "c":{"not":{"type":"integer","maximum":0}},
                  "d":{"if":{"type":"string"},"then":{"maxLength":9},"else":{"type":"array","contains":{"const":1}}}}}}}
                """),
        ]);
        var @event = Schemas.Parse("""{"type":"track","event":"A","properties":{"a":null,"b":"zed","c":4,"d":[0,1]}}""");
        Assert.Same(PlanCheck.Clean, plan.Check(@event));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            plan.Check(@event);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ACheckedEventNeedNotOutliveTheCheckAndTheRuleNeedNotOutliveThePlan()
    {
        CompiledPlan plan;
        using (var document = JsonDocument.Parse("""{"properties":{"properties":{"properties":{"a":{"enum":["x"]}}}}}"""))
        {
            plan = PlanCompiler.Compile([new PlanRule(RuleType.Track, "A", 1, document.RootElement)]);
        }

        Assert.Equal(ViolationTypes.InvalidValue, Assert.Single(Check(plan, """{"type":"track","event":"A","properties":{"a":"y"}}""").Violations).Type);
    }
}
