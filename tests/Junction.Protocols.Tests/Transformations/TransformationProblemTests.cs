using Junction.Protocols.Transformations;
using static Junction.Protocols.Tests.Transformations.TransformationTests;

namespace Junction.Protocols.Tests.Transformations;

public sealed class TransformationProblemTests
{
    private static string Problem(TransformationDefinition definition)
    {
        var problem = TransformationCompiler.Problem(definition);
        Assert.NotNull(problem);
        var exception = Assert.Throws<ArgumentException>(() => TransformationCompiler.Compile(definition));
        Assert.StartsWith(problem, exception.Message, StringComparison.Ordinal);
        return problem;
    }

    [Fact]
    public void AConditionThatIsNotFqlIsRefusedWithTheParsersMessage()
    {
        Assert.Contains("the condition \"if\" is not valid FQL", Problem(Definition("event = ")), StringComparison.Ordinal);
        Assert.Contains("not valid FQL", Problem(Definition("")), StringComparison.Ordinal);
    }

    [Fact]
    public void NewEventNameOnAConditionForAnotherCallTypeIsRefused()
    {
        Assert.Contains("newEventName renames track events only, but the condition selects type = 'identify'",
            Problem(Definition("type = 'identify'", newEventName: "X")), StringComparison.Ordinal);
        Assert.Contains("type = 'page'", Problem(Definition("properties.a = 1 and type = 'page'", newEventName: "X")), StringComparison.Ordinal);
        Assert.Null(TransformationCompiler.Problem(Definition("type = 'identify' or event = 'a'", newEventName: "X")));
        Assert.Null(TransformationCompiler.Problem(Definition("type = 'track'", newEventName: "X")));
        Assert.Contains("blank", Problem(Definition(newEventName: "  ")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("userId", "x", "\"userId\" is a top-level field, which renames cannot change")]
    [InlineData("a", "messageId", "\"messageId\" is a top-level field")]
    [InlineData("properties", "props", "\"properties\" is a top-level field")]
    [InlineData("properties.products.$.sku", "properties.products.$.id", "array items ($)")]
    [InlineData("properties.a.b.c.d.e", "properties.x", "5 levels deep; renames go at most 4 levels")]
    [InlineData("a", "a", "gives it the same name")]
    [InlineData("a", "properties.a", "gives it the same name")]
    [InlineData("a.", "b", "has an empty key")]
    [InlineData("a", "b\\", "ends with a backslash")]
    [InlineData("", "b", "a path is empty")]
    public void RenamesSegmentRefusesAreRefused(string oldName, string newName, string expected) =>
        Assert.Contains(expected, Problem(Definition(renames: [new(oldName, newName)])), StringComparison.Ordinal);

    [Theory]
    [InlineData("a", "b", "a", "c", "is renamed twice")]
    [InlineData("a", "c", "b", "c", "two renames give the same name")]
    [InlineData("a", "b", "b", "c", "renames cannot chain")]
    [InlineData("a", "x", "a.b", "y", "overlap")]
    [InlineData("a", "x.y", "b", "x", "overlap")]
    [InlineData("a", "b", "properties.a", "c", "is renamed twice")]
    public void ConflictingRenamesAreRefused(string old1, string new1, string old2, string new2, string expected) =>
        Assert.Contains(expected, Problem(Definition(renames: [new(old1, new1), new(old2, new2)])), StringComparison.Ordinal);

    [Fact]
    public void ValueTransformationsSetAtMostTenPaths()
    {
        var eleven = Enumerable.Range(0, 11).Select(i => $"properties.p{i}").ToArray();

        Assert.Contains("set 11 property paths; at most 10", Problem(Definition(values: [new(eleven[..6], "x"), new(eleven[6..], "y")])), StringComparison.Ordinal);
        Assert.Null(TransformationCompiler.Problem(Definition(values: [new(eleven[..10], "x")])));
    }

    [Theory]
    [InlineData("properties.a", "properties.a", "is set twice")]
    [InlineData("type", "properties.b", "a top-level field Junction does not let transformations change")]
    [InlineData("messageId", "properties.b", "does not let transformations change")]
    [InlineData("integrations.All", "properties.b", "must be a top-level field or start with properties., traits. or context.")]
    public void ValuePathsAreRefusedWhenDuplicatedOrNotChangeable(string first, string second, string expected) =>
        Assert.Contains(expected, Problem(Definition(values: [new([first], "x"), new([second], "y")])), StringComparison.Ordinal);

    [Fact]
    public void AValueTransformationOnARenameTargetIsRefused()
    {
        Assert.Contains("is the target of a rename",
            Problem(Definition(renames: [new("orderId", "order_id")], values: [new(["properties.order_id"], "x")])), StringComparison.Ordinal);
        Assert.Contains("is the target of a rename",
            Problem(Definition(renames: [new("firstName", "first_name")], values: [new(["traits.first_name"], "x")])), StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyValueTransformationsAreRefused()
    {
        Assert.Contains("lists no property paths", Problem(Definition(values: [new([], "x")])), StringComparison.Ordinal);
        Assert.Contains("has no value", Problem(Definition(values: [new(["properties.a"], null!)])), StringComparison.Ordinal);
    }

    [Fact]
    public void OneFqlDefinedPropertyAloneIsAllowed()
    {
        Assert.Contains("one FQL-defined property only",
            Problem(Definition(defined: [new("lowercase(properties.a)", "properties.b"), new("uppercase(properties.a)", "properties.c")])), StringComparison.Ordinal);
        Assert.Contains("cannot be combined with property renames or value transformations",
            Problem(Definition(renames: [new("a", "b")], defined: [new("lowercase(properties.a)", "properties.c")])), StringComparison.Ordinal);
        Assert.Null(TransformationCompiler.Problem(Definition(newEventName: "X", defined: [new("lowercase(properties.a)", "properties.c")])));
    }

    [Theory]
    [InlineData("reverse(properties.a)", "properties.b", "\"reverse\" is not a function an FQL-defined property can use")]
    [InlineData("lowercase(properties.a", "properties.b", "expected \")\"")]
    [InlineData("lowercase()", "properties.b", "is not valid")]
    [InlineData("lowercase(properties.a) x", "properties.b", "unexpected text at column 25")]
    [InlineData("'open", "properties.b", "a string that is not closed")]
    [InlineData("", "properties.b", "the FQL expression is empty")]
    [InlineData("lowercase(properties.a)", "userId", "must be under properties., traits. or context.")]
    public void FqlDefinedPropertiesMustBeValidAndTargetAField(string fql, string target, string expected) =>
        Assert.Contains(expected, Problem(Definition(defined: [new(fql, target)])), StringComparison.Ordinal);

    [Fact]
    public void ADroppingTransformationIsValidWhateverElseItSays() =>
        Assert.Null(TransformationCompiler.Problem(Definition(drop: true, renames: [new("userId", "x")])));
}
