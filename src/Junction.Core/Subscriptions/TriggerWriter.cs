using System.Globalization;
using System.Text;

namespace Junction.Subscriptions;

/// <summary>
/// Writes a condition tree as trigger text in the forms Segment's condition builder writes: <c>type = "track"</c>,
/// <c>properties.total = 5</c>, <c>properties.plan != null</c>, <c>contains(context.page.url, "checkout")</c>,
/// <c>!match(event, "Test*")</c>, children joined by <c> and </c> or <c> or </c>, nested groups in parentheses.
/// The writer does not check the tree; <see cref="Trigger.FromTree"/> does that first.
/// </summary>
internal static class TriggerWriter
{
    public static string Write(TriggerGroup group)
    {
        var text = new StringBuilder();
        WriteGroup(text, group);
        return text.ToString();
    }

    public static string WriteCondition(TriggerCondition condition)
    {
        var text = new StringBuilder();
        WriteCondition(text, condition);
        return text.ToString();
    }

    private static void WriteGroup(StringBuilder text, TriggerGroup group)
    {
        var join = group.Join == TriggerJoin.Or ? " or " : " and ";
        for (var i = 0; i < group.Children.Count; i++)
        {
            if (i > 0)
            {
                text.Append(join);
            }

            switch (group.Children[i])
            {
                case TriggerGroup inner:
                    text.Append('(');
                    WriteGroup(text, inner);
                    text.Append(')');
                    break;
                case TriggerCondition condition:
                    WriteCondition(text, condition);
                    break;
            }
        }
    }

    private static void WriteCondition(StringBuilder text, TriggerCondition condition)
    {
        var op = condition.Operator;
        if (op.IsFunction())
        {
            if (op is TriggerOperator.NotContains or TriggerOperator.NotStartsWith or TriggerOperator.NotEndsWith)
            {
                text.Append('!');
            }

            text.Append(op is TriggerOperator.Contains or TriggerOperator.NotContains ? "contains(" : "match(");
            WriteField(text, condition);
            text.Append(", \"");
            if (op is TriggerOperator.EndsWith or TriggerOperator.NotEndsWith)
            {
                text.Append('*');
            }

            text.Append(condition.Text);
            if (op is TriggerOperator.StartsWith or TriggerOperator.NotStartsWith)
            {
                text.Append('*');
            }

            text.Append("\")");
            return;
        }

        WriteField(text, condition);
        text.Append(op switch
        {
            TriggerOperator.EqualTo or TriggerOperator.NumberEqualTo or TriggerOperator.NotExists
                or TriggerOperator.IsTrue or TriggerOperator.IsFalse => " = ",
            TriggerOperator.NotEqualTo or TriggerOperator.NumberNotEqualTo or TriggerOperator.Exists => " != ",
            _ => $" {op.SegmentName()} ",
        });
        switch (op)
        {
            case TriggerOperator.EqualTo or TriggerOperator.NotEqualTo:
                text.Append('"').Append(condition.Text).Append('"');
                break;
            case TriggerOperator.Exists or TriggerOperator.NotExists:
                text.Append("null");
                break;
            case TriggerOperator.IsTrue:
                text.Append("true");
                break;
            case TriggerOperator.IsFalse:
                text.Append("false");
                break;
            default:
                var number = condition.Number ?? double.NaN;
                text.Append(double.IsFinite(number)
                    ? TriggerNumbers.ToPlainDecimal(number)
                    : number.ToString(CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void WriteField(StringBuilder text, TriggerCondition condition)
    {
        text.Append(TriggerRules.FieldName(condition.Field));
        if (condition.Path is { } path)
        {
            WritePath(text, path);
        }
    }

    /// <summary>
    /// Writes <c>.</c> and the path, with a backslash before every character other than ASCII letters, digits,
    /// <c>_</c>, <c>-</c> and the dots between steps (Segment's escaping). A step that the lexer could not read
    /// after a plain dot (empty, starting with a digit, <c>-</c> or an escaped character, or a keyword such as
    /// <c>and</c>) follows an escaped dot instead, which keeps it inside the same name and means the same step.
    /// </summary>
    private static void WritePath(StringBuilder text, string path)
    {
        foreach (var step in path.Split('.'))
        {
            var plain = step.Length > 0
                && (char.IsAsciiLetter(step[0]) || step[0] == '_')
                && step is not ("and" or "or" or "null");
            text.Append(plain ? "." : "\\.");
            foreach (var c in step)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-'))
                {
                    text.Append('\\');
                }

                text.Append(c);
            }
        }
    }
}
