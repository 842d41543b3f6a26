namespace Junction.Subscriptions;

/// <summary>
/// What a condition tree may hold so that its trigger text means the same to Segment and to Junction. The parser
/// and <see cref="Trigger.FromTree"/> apply the same rules, so a tree is accepted from text exactly when it is
/// accepted from the condition builder.
/// </summary>
internal static class TriggerRules
{
    /// <summary>The call types, which <c>type</c> compares exactly (lower case).</summary>
    public static readonly string[] EventTypes = ["identify", "track", "page", "screen", "group", "alias"];

    /// <summary>The problem with one condition, or null when it is acceptable. The error's column is 0.</summary>
    public static TriggerError? Check(TriggerCondition condition)
    {
        var (field, path, op, text, number) = (condition.Field, condition.Path, condition.Operator, condition.Text, condition.Number);
        var name = FieldName(field);
        if (!Enum.IsDefined(field) || !Enum.IsDefined(op))
        {
            return Problem("unknown_operator", "The condition has an unknown field or operator.");
        }

        if (HasPath(field))
        {
            if (path is null || !path.Any(static c => c is not ('.' or '[' or ']')))
            {
                return Problem("path_required", $"`{name}` needs a field path, such as `{name}.{Example(field)}`.");
            }
        }
        else if (path is not null)
        {
            return Problem("no_subfield", $"`{name}` has no sub-fields; Segment ignores `.{path}` and tests `{name}` itself.");
        }

        if (FieldProblem(field, op, text) is { } fieldProblem)
        {
            return fieldProblem;
        }

        if (op.TakesText())
        {
            if (text is null || number is not null)
            {
                return Problem("bad_value", $"A `{op.SegmentName()}` condition on `{name}` takes text and no number.");
            }

            if (text.Contains('"', StringComparison.Ordinal))
            {
                return Problem("quote_in_text", "Text in a trigger cannot contain a double quote: trigger strings have no escapes, so Segment would end the string there.");
            }

            if (op is >= TriggerOperator.StartsWith and <= TriggerOperator.NotEndsWith && text.Contains('*', StringComparison.Ordinal))
            {
                return Problem("star_in_pattern", "A starts-with or ends-with value cannot contain `*`: in match() it would look like a wildcard, but Segment compares it as a plain character.");
            }
        }
        else if (op.TakesNumber())
        {
            if (number is not { } n || text is not null)
            {
                return Problem("bad_value", $"A `{op.SegmentName()}` condition takes a number and no text.");
            }

            if (!double.IsFinite(n))
            {
                return Problem("bad_number", "The number is too large for a trigger.");
            }
        }
        else if (text is not null || number is not null)
        {
            return Problem("bad_value", $"A `{op.SegmentName()}` condition takes no value.");
        }

        return null;
    }

    /// <summary>
    /// Checks a tree from the condition builder and returns its canonical form: nested groups with one child are
    /// replaced by the child, a root holding only a group becomes that group, and a single-child root joins with
    /// <c>and</c>, as the parser returns them.
    /// </summary>
    public static (TriggerGroup? Tree, TriggerError? Error) Canonicalize(TriggerGroup root)
    {
        var (children, error) = CanonicalChildren(root, nested: false);
        if (children is null)
        {
            return (null, error);
        }

        if (children.Count == 1)
        {
            return children[0] is TriggerGroup only ? (only, null) : (new TriggerGroup(TriggerJoin.And, children), null);
        }

        return (new TriggerGroup(root.Join, children), null);
    }

    private static (List<TriggerNode>? Children, TriggerError? Error) CanonicalChildren(TriggerGroup group, bool nested)
    {
        if (group.Children is null || group.Children.Count == 0)
        {
            return (null, Problem("empty_group", "A group needs at least one condition."));
        }

        if (!Enum.IsDefined(group.Join))
        {
            return (null, Problem("unknown_join", "A group must join its conditions with and or or."));
        }

        var children = new List<TriggerNode>(group.Children.Count);
        foreach (var child in group.Children)
        {
            switch (child)
            {
                case TriggerCondition condition:
                    if (Check(condition) is { } problem)
                    {
                        return (null, problem with { Message = $"In `{TriggerWriter.WriteCondition(condition)}`: {problem.Message}" });
                    }

                    children.Add(condition);
                    break;
                case TriggerGroup inner when !nested:
                    var (innerChildren, error) = CanonicalChildren(inner, nested: true);
                    if (innerChildren is null)
                    {
                        return (null, error);
                    }

                    children.Add(innerChildren.Count == 1 ? innerChildren[0] : new TriggerGroup(inner.Join, innerChildren));
                    break;
                case TriggerGroup:
                    return (null, Problem("nested_group", NestedGroupMessage));
                default:
                    return (null, Problem("unknown_node", "A trigger holds only groups and conditions."));
            }
        }

        if (nested && children.Count > 1)
        {
            for (var i = 0; i < children.Count - 1; i++)
            {
                if (children[i] is TriggerCondition { Operator: var op } && op.IsFunction())
                {
                    return (null, Problem("function_in_group", FunctionInGroupMessage));
                }
            }
        }

        return (children, null);
    }

    public const string NestedGroupMessage =
        "Groups can nest only one level deep: Segment's trigger parser ends a group at the first `)`, so it reads deeper parentheses differently from how they are written.";

    public const string FunctionInGroupMessage =
        "Inside parentheses, a contains() or match() condition must be the group's last condition: Segment's trigger parser ends the group at that call's `)` and reads the rest of the group as part of the outer level.";

    public static bool HasPath(TriggerField field) => field is TriggerField.Properties or TriggerField.Traits or TriggerField.Context;

    public static string FieldName(TriggerField field) => field switch
    {
        TriggerField.Type => "type",
        TriggerField.Event => "event",
        TriggerField.Name => "name",
        TriggerField.UserId => "userId",
        TriggerField.Properties => "properties",
        TriggerField.Traits => "traits",
        TriggerField.Context => "context",
        _ => "?",
    };

    private static string Example(TriggerField field) => field switch
    {
        TriggerField.Traits => "email",
        TriggerField.Context => "page.url",
        _ => "total",
    };

    /// <summary>The operators each top-level field supports, and why the others are refused.</summary>
    private static TriggerError? FieldProblem(TriggerField field, TriggerOperator op, string? text)
    {
        if (HasPath(field))
        {
            return null;
        }

        var name = FieldName(field);
        if (field == TriggerField.Type)
        {
            if (op is not (TriggerOperator.EqualTo or TriggerOperator.NotEqualTo))
            {
                return Problem("type_operator", "`type` can only be compared with = or != and a call type, such as `type = \"track\"`.");
            }

            if (text is not null && !EventTypes.Contains(text, StringComparer.Ordinal))
            {
                return Problem(
                    "unknown_event_type",
                    $"\"{text}\" is not a call type. Types are lower case (identify, track, page, screen, group, alias) and compared exactly, so Segment never finds this one.");
            }

            return null;
        }

        if (op.TakesNumber())
        {
            return Problem("number_on_text_field", $"`{name}` is compared as text; number comparisons apply to properties., traits. and context. fields. Write the value in double quotes to compare text.");
        }

        if (op is TriggerOperator.Exists or TriggerOperator.NotExists && field == TriggerField.Event)
        {
            return Problem("event_null", "Segment reads `event = null` and `event != null` as comparisons with the text \"null\", not as presence tests. To select track calls use `type = \"track\"`; to compare with the text, write \"null\" in quotes.");
        }

        if (op is TriggerOperator.IsTrue or TriggerOperator.IsFalse && field != TriggerField.UserId)
        {
            return Problem("boolean_on_text_field", $"Segment compares `{name}` with the text \"true\" or \"false\" here; write it in double quotes if that is meant.");
        }

        return null;
    }

    private static TriggerError Problem(string code, string message) => new(code, message, 0);
}
