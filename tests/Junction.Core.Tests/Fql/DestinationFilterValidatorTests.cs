using Junction.Fql;
using static Junction.Core.Tests.Fql.DestinationFilterSetTests;

namespace Junction.Core.Tests.Fql;

public sealed class DestinationFilterValidatorTests
{
    [Fact]
    public void AValidFilterHasNoErrors()
    {
        var filter = Filter("length( userId ) < 1", Drop(), Sample(0.25, "userId"),
            Fields("DROP_PROPERTIES", ("", ["userId"]), ("properties.products", ["price"])),
            Fields("ALLOW_PROPERTIES", ("properties", ["total"]))) with
        { Title = "Drop events without userId" };

        Assert.Empty(DestinationFilterValidator.Validate(filter));
    }

    // The filter types are internal, so the theory receives an index into this table.
    private static readonly (DestinationFilter Filter, string Field, string Message)[] Invalid =
    [
        (Filter("", Drop()), "if", "A filter needs a condition in \"if\": an FQL expression such as type = 'track', or all."),
        (new DestinationFilter { Actions = [Drop()] }, "if", "A filter needs a condition in \"if\": an FQL expression such as type = 'track', or all."),
        (Filter("userId =", Drop()), "if", "Invalid FQL: Expected a value after \"=\" at column 9."),
        (Filter("all"), "actions", "A filter needs at least one action: DROP, SAMPLE, DROP_PROPERTIES or ALLOW_PROPERTIES."),
        (Filter("all", new DestinationFilterAction { Type = "DELETE" }), "actions[0].type", "Unknown action type \"DELETE\"; use DROP, SAMPLE, DROP_PROPERTIES or ALLOW_PROPERTIES."),
        (Filter("all", Drop(), Sample(1.5)), "actions[1].percent", "\"percent\" is 1.5, but it must be between 0 and 1 (0.25 keeps a quarter of the events)."),
        (Filter("all", Sample(-0.1)), "actions[0].percent", "\"percent\" is -0.1, but it must be between 0 and 1 (0.25 keeps a quarter of the events)."),
        (Filter("all", new DestinationFilterAction { Type = "SAMPLE" }), "actions[0].percent", "A SAMPLE action needs \"percent\": the share of events to keep, from 0 to 1."),
        (Filter("all", Sample(double.NaN)), "actions[0].percent", "A SAMPLE action needs \"percent\": the share of events to keep, from 0 to 1."),
        (Filter("all", Sample(0.5, "user id")), "actions[0].path", "\"user id\" is not a field path: Unexpected character \" \" at column 5; write it after a \"\\\" to use it in a key."),
        (Filter("all", new DestinationFilterAction { Type = "DROP", Percent = 0.5 }), "actions[0].percent", "\"percent\" belongs to SAMPLE actions only."),
        (Filter("all", Fields("DROP")), "actions[0].fields", "\"fields\" belongs to DROP_PROPERTIES and ALLOW_PROPERTIES actions only."),
        (Filter("all", new DestinationFilterAction { Type = "DROP_PROPERTIES" }), "actions[0].fields", "List the properties in \"fields\": object path → keys, such as {\"properties\": [\"email\"]} or {\"\": [\"userId\"]} for the top level."),
        (Filter("all", Fields("ALLOW_PROPERTIES")), "actions[0].fields", "List the properties in \"fields\": object path → keys, such as {\"properties\": [\"email\"]} or {\"\": [\"userId\"]} for the top level."),
        (Filter("all", Fields("DROP_PROPERTIES", ("properties", []))), "actions[0].fields[\"properties\"]", "List at least one key under \"properties\"."),
        (Filter("all", Fields("DROP_PROPERTIES", ("properties", [""]))), "actions[0].fields[\"properties\"]", "The keys under \"properties\" must be non-empty names."),
        (Filter("all", Fields("DROP_PROPERTIES", ("properties..x", ["a"]))), "actions[0].fields[\"properties..x\"]", "\"properties..x\" is not an object path: Expected a field name after \".\" at column 12."),
        (Filter("all", Drop()) with { Title = new string('t', 65) }, "title", "The title is 65 characters long; at most 64 are allowed."),
    ];

    public static TheoryData<int> InvalidCases => [.. Enumerable.Range(0, Invalid.Length)];

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void AnInvalidFilterGetsAnErrorNamingTheFieldAtFault(int index)
    {
        var (filter, field, message) = Invalid[index];

        var errors = DestinationFilterValidator.Validate(filter);

        Assert.Contains(new DestinationFilterError(field, message), errors);
    }

    [Fact]
    public void ADestinationHoldsAtMostTenFiltersAndErrorsNameTheFilter()
    {
        var filters = Enumerable.Range(0, 11).Select(_ => Filter("all", Drop())).Append(Filter("(", Drop())).ToList();

        var errors = DestinationFilterValidator.Validate(filters);

        Assert.Contains(errors, e => e.Field == "filters");
        Assert.Contains(errors, e => e.Field == "filters[11].if");
    }
}
