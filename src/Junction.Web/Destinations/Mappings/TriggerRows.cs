using System.Globalization;
using Junction.Subscriptions;

namespace Junction.Web.Destinations.Mappings;

/// <summary>One condition row of the trigger builder, as the person fills it: a field, a path, an operator and a value.</summary>
internal sealed class TriggerRow
{
    public TriggerField Field { get; set; } = TriggerField.Type;

    /// <summary>The path after <c>properties.</c>, <c>traits.</c> or <c>context.</c>; unused for the other fields.</summary>
    public string Path { get; set; } = "";

    public TriggerOperator Operator { get; set; } = TriggerOperator.EqualTo;

    /// <summary>The value as typed: text, or a number for the number operators; unused by the operators without a value.</summary>
    public string Value { get; set; } = "";

    public TriggerRow Copy() => (TriggerRow)MemberwiseClone();
}

/// <summary>
/// The trigger builder's rows and the trigger engine's condition tree, both ways: the rows of one group joined by ALL
/// (and) or ANY (or) become a <see cref="TriggerGroup"/> checked and written by <see cref="Trigger.FromTree"/>, and a
/// parsed trigger without nested groups becomes rows again. The engine decides what is valid; this only translates.
/// </summary>
internal static class TriggerRows
{
    public static readonly TriggerField[] Fields =
    [
        TriggerField.Type, TriggerField.Event, TriggerField.Name, TriggerField.UserId,
        TriggerField.Properties, TriggerField.Traits, TriggerField.Context,
    ];

    /// <summary>The operators offered for a field: those the engine accepts on it.</summary>
    public static IReadOnlyList<TriggerOperator> OperatorsFor(TriggerField field) => field switch
    {
        TriggerField.Type => [TriggerOperator.EqualTo, TriggerOperator.NotEqualTo],
        TriggerField.Event =>
        [
            TriggerOperator.EqualTo, TriggerOperator.NotEqualTo, TriggerOperator.Contains, TriggerOperator.NotContains,
            TriggerOperator.StartsWith, TriggerOperator.NotStartsWith, TriggerOperator.EndsWith, TriggerOperator.NotEndsWith,
        ],
        TriggerField.Name =>
        [
            TriggerOperator.EqualTo, TriggerOperator.NotEqualTo, TriggerOperator.Contains, TriggerOperator.NotContains,
            TriggerOperator.StartsWith, TriggerOperator.NotStartsWith, TriggerOperator.EndsWith, TriggerOperator.NotEndsWith,
            TriggerOperator.Exists, TriggerOperator.NotExists,
        ],
        TriggerField.UserId =>
        [
            TriggerOperator.EqualTo, TriggerOperator.NotEqualTo, TriggerOperator.Contains, TriggerOperator.NotContains,
            TriggerOperator.StartsWith, TriggerOperator.NotStartsWith, TriggerOperator.EndsWith, TriggerOperator.NotEndsWith,
            TriggerOperator.Exists, TriggerOperator.NotExists,
        ],
        _ => Enum.GetValues<TriggerOperator>(),
    };

    public static string Label(TriggerField field) => field switch
    {
        TriggerField.Type => "Event type",
        TriggerField.Event => "Event name",
        TriggerField.Name => "Page or screen name",
        TriggerField.UserId => "User ID",
        TriggerField.Properties => "Property",
        TriggerField.Traits => "Trait",
        TriggerField.Context => "Context field",
        _ => field.ToString(),
    };

    public static string Label(TriggerOperator op) => op switch
    {
        TriggerOperator.EqualTo => "is",
        TriggerOperator.NotEqualTo => "is not",
        TriggerOperator.LessThan => "is less than",
        TriggerOperator.LessThanOrEqual => "is at most",
        TriggerOperator.GreaterThan => "is greater than",
        TriggerOperator.GreaterThanOrEqual => "is at least",
        TriggerOperator.NumberEqualTo => "equals the number",
        TriggerOperator.NumberNotEqualTo => "does not equal the number",
        TriggerOperator.Contains => "contains",
        TriggerOperator.NotContains => "does not contain",
        TriggerOperator.StartsWith => "starts with",
        TriggerOperator.NotStartsWith => "does not start with",
        TriggerOperator.EndsWith => "ends with",
        TriggerOperator.NotEndsWith => "does not end with",
        TriggerOperator.Exists => "exists",
        TriggerOperator.NotExists => "does not exist",
        TriggerOperator.IsTrue => "is true",
        TriggerOperator.IsFalse => "is false",
        _ => op.ToString(),
    };

    public static bool TakesValue(TriggerOperator op) => op.TakesText() || op.TakesNumber();

    /// <summary>
    /// The trigger the rows make, checked by the engine, or why they make none (a value that is not a number, or the
    /// engine's own message for the first condition it refuses).
    /// </summary>
    public static (Trigger? Trigger, string? Error) ToTrigger(TriggerJoin join, IReadOnlyList<TriggerRow> rows)
    {
        if (rows.Count == 0)
        {
            return (null, "Add at least one condition.");
        }

        var conditions = new List<TriggerNode>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            double? number = null;
            if (row.Operator.TakesNumber())
            {
                if (!double.TryParse(row.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
                {
                    return (null, $"Condition {i + 1}: \"{row.Value}\" is not a number; write it with a dot for decimals, such as 42.5.");
                }

                number = parsed;
            }

            conditions.Add(new TriggerCondition(
                row.Field,
                TriggerRules.HasPath(row.Field) ? row.Path.Trim() : null,
                row.Operator,
                row.Operator.TakesText() ? row.Value : null,
                number));
        }

        var result = Trigger.FromTree(new TriggerGroup(join, conditions));
        return result.IsValid ? (result.Trigger, null) : (null, result.Error.ToString());
    }

    /// <summary>
    /// The rows of a trigger whose conditions all sit in one group; false for a trigger with nested groups, which only
    /// the text mode can show as written.
    /// </summary>
    public static bool TryFromTree(TriggerGroup tree, out TriggerJoin join, out List<TriggerRow> rows)
    {
        join = tree.Join;
        rows = [];
        foreach (var child in tree.Children)
        {
            if (child is not TriggerCondition condition)
            {
                return false;
            }

            rows.Add(new TriggerRow
            {
                Field = condition.Field,
                Path = condition.Path ?? "",
                Operator = condition.Operator,
                Value = condition.Text ?? (condition.Number is { } n ? n.ToString("R", CultureInfo.InvariantCulture) : ""),
            });
        }

        return true;
    }

    /// <summary>The trigger in words for the list (<c>Event type is track and Event name is Order Completed</c>); invalid text as written.</summary>
    public static string Describe(string trigger)
    {
        var parsed = Trigger.Parse(trigger);
        return parsed.IsValid ? Describe(parsed.Trigger.Tree) : trigger;
    }

    private static string Describe(TriggerNode node) => node switch
    {
        TriggerGroup group => string.Join(
            group.Join == TriggerJoin.And ? " and " : " or ",
            group.Children.Select(c => c is TriggerGroup ? $"({Describe(c)})" : Describe(c))),
        TriggerCondition condition => DescribeCondition(condition),
        _ => "",
    };

    private static string DescribeCondition(TriggerCondition condition)
    {
        var field = TriggerRules.HasPath(condition.Field)
            ? $"{TriggerRules.FieldName(condition.Field)}.{condition.Path}"
            : Label(condition.Field);
        var value = condition.Text is { } text ? $" \"{text}\""
            : condition.Number is { } number ? " " + number.ToString("R", CultureInfo.InvariantCulture)
            : "";
        return $"{field} {Label(condition.Operator)}{value}";
    }
}
