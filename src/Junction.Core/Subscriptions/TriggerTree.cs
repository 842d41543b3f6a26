namespace Junction.Subscriptions;

/// <summary>The part of an event a trigger condition reads, named as in the trigger text.</summary>
internal enum TriggerField : byte
{
    /// <summary><c>type</c>: the call type (<c>"track"</c>, <c>"identify"</c>...).</summary>
    Type,

    /// <summary><c>event</c>: a track call's event name.</summary>
    Event,

    /// <summary><c>name</c>: a page or screen name.</summary>
    Name,

    /// <summary><c>userId</c>.</summary>
    UserId,

    /// <summary><c>properties.…</c>: a path inside the event's <c>properties</c>.</summary>
    Properties,

    /// <summary><c>traits.…</c>: a path inside the event's top-level <c>traits</c> (not <c>context.traits</c>).</summary>
    Traits,

    /// <summary><c>context.…</c>: a path inside the event's <c>context</c>.</summary>
    Context,
}

/// <summary>The operators of Segment's subscription conditions, in the order Segment lists them.</summary>
internal enum TriggerOperator : byte
{
    /// <summary><c>=</c> with text: true only when the field is a string equal to the text.</summary>
    EqualTo,

    /// <summary><c>!=</c> with text: true unless the field is a string equal to the text (so true when missing).</summary>
    NotEqualTo,

    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,

    /// <summary><c>= 5</c>: the field is a number equal to the value.</summary>
    NumberEqualTo,

    /// <summary><c>!= 5</c>: the field is a number different from the value (false when it is not a number).</summary>
    NumberNotEqualTo,

    Contains,
    NotContains,
    StartsWith,
    NotStartsWith,
    EndsWith,
    NotEndsWith,

    /// <summary><c>!= null</c>: present and not null.</summary>
    Exists,

    /// <summary><c>= null</c>: missing or null.</summary>
    NotExists,

    /// <summary><c>= true</c>: the JSON value <c>true</c>.</summary>
    IsTrue,

    /// <summary><c>= false</c>: the JSON value <c>false</c>.</summary>
    IsFalse,
}

/// <summary>How a group combines its children.</summary>
internal enum TriggerJoin : byte
{
    And,
    Or,
}

/// <summary>A node of a trigger's condition tree: a <see cref="TriggerGroup"/> or a <see cref="TriggerCondition"/>.</summary>
internal abstract record TriggerNode;

/// <summary>
/// Children joined by one <see cref="TriggerJoin"/>. A trigger's root is always a group; the groups Segment can
/// write nest one level deep. Two groups are equal when their joins and children are equal, in order.
/// </summary>
internal sealed record TriggerGroup(TriggerJoin Join, IReadOnlyList<TriggerNode> Children) : TriggerNode
{
    public bool Equals(TriggerGroup? other) =>
        other is not null && Join == other.Join && Children.SequenceEqual(other.Children);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Join);
        foreach (var child in Children)
        {
            hash.Add(child);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => TriggerWriter.Write(this);
}

/// <summary>
/// One test of one field. <see cref="Path"/> is set for <see cref="TriggerField.Properties"/>,
/// <see cref="TriggerField.Traits"/> and <see cref="TriggerField.Context"/> only: the path after the prefix, without
/// escapes, where <c>.</c>, <c>[</c> and <c>]</c> separate the steps (<c>items[0].sku</c>, <c>product 1.price</c>).
/// The operator decides which value is used: <see cref="Text"/> for <c>=</c>, <c>!=</c> and the text operators,
/// <see cref="Number"/> for the number operators, neither for exists, not exists, is true and is false.
/// </summary>
internal sealed record TriggerCondition(
    TriggerField Field,
    string? Path,
    TriggerOperator Operator,
    string? Text = null,
    double? Number = null) : TriggerNode
{
    public override string ToString() => TriggerWriter.WriteCondition(this);
}

internal static class TriggerOperators
{
    /// <summary>True for the operators written as <c>contains(...)</c> or <c>match(...)</c>.</summary>
    public static bool IsFunction(this TriggerOperator op) => op is >= TriggerOperator.Contains and <= TriggerOperator.NotEndsWith;

    /// <summary>True for the operators that compare with a number.</summary>
    public static bool TakesNumber(this TriggerOperator op) => op is >= TriggerOperator.LessThan and <= TriggerOperator.NumberNotEqualTo;

    /// <summary>True for the operators that compare with text.</summary>
    public static bool TakesText(this TriggerOperator op) =>
        op is TriggerOperator.EqualTo or TriggerOperator.NotEqualTo || op.IsFunction();

    /// <summary>The name Segment's condition builder uses for the operator (<c>number_equals</c>, <c>&lt;=</c>).</summary>
    public static string SegmentName(this TriggerOperator op) => op switch
    {
        TriggerOperator.EqualTo => "=",
        TriggerOperator.NotEqualTo => "!=",
        TriggerOperator.LessThan => "<",
        TriggerOperator.LessThanOrEqual => "<=",
        TriggerOperator.GreaterThan => ">",
        TriggerOperator.GreaterThanOrEqual => ">=",
        TriggerOperator.NumberEqualTo => "number_equals",
        TriggerOperator.NumberNotEqualTo => "number_not_equals",
        TriggerOperator.Contains => "contains",
        TriggerOperator.NotContains => "not_contains",
        TriggerOperator.StartsWith => "starts_with",
        TriggerOperator.NotStartsWith => "not_starts_with",
        TriggerOperator.EndsWith => "ends_with",
        TriggerOperator.NotEndsWith => "not_ends_with",
        TriggerOperator.Exists => "exists",
        TriggerOperator.NotExists => "not_exists",
        TriggerOperator.IsTrue => "is_true",
        TriggerOperator.IsFalse => "is_false",
        _ => op.ToString(),
    };
}
