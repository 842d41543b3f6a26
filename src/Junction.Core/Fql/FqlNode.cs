using System.Text.Json;

namespace Junction.Fql;

/// <summary>What the parser knows about the value a node can give; <see cref="Any"/> for event fields.</summary>
internal enum FqlType : byte
{
    Any,
    Null,
    Bool,
    Number,
    String,
    List,
    Object,
}

/// <summary>
/// A node of a compiled expression. Evaluation never throws for a well-formed event: a type mismatch comes
/// back as an <see cref="FqlKind.Error"/> value, which the operators above pass through.
/// </summary>
internal abstract class FqlNode(int column, string label)
{
    /// <summary>The 1-based column where the node starts in the expression.</summary>
    public int Column { get; } = column;

    /// <summary>How the node is named in messages: a field path, a literal, or a function call.</summary>
    public string Label { get; } = label;

    public abstract FqlType Type { get; }

    public abstract FqlValue Evaluate(JsonElement root);

    /// <summary>Reads a value where a condition is expected: null counts as false, a non-boolean is an error.</summary>
    protected static bool TryCondition(in FqlValue value, FqlNode node, string where, out bool result, out FqlValue error)
    {
        error = default;
        result = false;
        switch (value.Kind)
        {
            case FqlKind.Bool:
                result = value.Bool;
                return true;
            case FqlKind.Null:
                return true;
            case FqlKind.Error:
                error = value;
                return false;
            default:
                error = FqlValue.Fail($"{where} needs true, false or null, but {node.Label} is a {value.TypeName}.");
                return false;
        }
    }
}

internal sealed class FqlLiteralNode(int column, string label, FqlValue value, FqlType type) : FqlNode(column, label)
{
    public FqlValue Value { get; } = value;

    public override FqlType Type { get; } = type;

    public override FqlValue Evaluate(JsonElement root) => Value;
}

internal sealed class FqlPathNode(int column, FqlPath path) : FqlNode(column, path.Text)
{
    public FqlPath Path { get; } = path;

    public override FqlType Type => FqlType.Any;

    public override FqlValue Evaluate(JsonElement root) =>
        Path.TryResolve(root, out var value) ? FqlValue.FromElement(value) : FqlValue.Null;
}

internal sealed class FqlNotNode(int column, FqlNode operand) : FqlNode(column, "!" + operand.Label)
{
    public override FqlType Type => FqlType.Bool;

    public override FqlValue Evaluate(JsonElement root)
    {
        var value = operand.Evaluate(root);
        return TryCondition(value, operand, "\"!\"", out var result, out var error) ? FqlValue.FromBool(!result) : error;
    }
}

/// <summary>
/// A chain of <c>and</c> or of <c>or</c>, held flat so that a long chain is evaluated in a loop rather than by
/// recursion. Operands are read left to right and reading stops as soon as one decides the result.
/// </summary>
internal sealed class FqlLogicNode(int column, bool isAnd, FqlNode[] operands) : FqlNode(column, isAnd ? "and" : "or")
{
    public override FqlType Type => FqlType.Bool;

    public override FqlValue Evaluate(JsonElement root)
    {
        var where = isAnd ? "\"and\"" : "\"or\"";
        foreach (var operand in operands)
        {
            if (!TryCondition(operand.Evaluate(root), operand, where, out var value, out var error))
            {
                return error;
            }

            if (value != isAnd)
            {
                return FqlValue.FromBool(value);
            }
        }

        return FqlValue.FromBool(isAnd);
    }
}

internal enum FqlComparison : byte
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

internal sealed class FqlCompareNode(int column, string symbol, FqlComparison comparison, FqlNode left, FqlNode right)
    : FqlNode(column, symbol + " comparison")
{
    public override FqlType Type => FqlType.Bool;

    public override FqlValue Evaluate(JsonElement root)
    {
        var l = left.Evaluate(root);
        if (l.IsError)
        {
            return l;
        }

        var r = right.Evaluate(root);
        if (r.IsError)
        {
            return r;
        }

        switch (comparison)
        {
            case FqlComparison.Equal:
                return FqlValue.FromBool(FqlValue.StrictEquals(l, r));
            case FqlComparison.NotEqual:
                return FqlValue.FromBool(!FqlValue.StrictEquals(l, r));
        }

        // Ordering compares numbers only. A missing field (null) is simply not greater or smaller than
        // anything; any other kind is a mistake in the filter and reported as such.
        if (l.Kind == FqlKind.Null || r.Kind == FqlKind.Null)
        {
            return FqlValue.False;
        }

        if (l.Kind != FqlKind.Number || r.Kind != FqlKind.Number)
        {
            var culprit = l.Kind != FqlKind.Number ? (left, l) : (right, r);
            return FqlValue.Fail($"\"{symbol}\" compares numbers, but {culprit.Item1.Label} is a {culprit.Item2.TypeName}.");
        }

        return FqlValue.FromBool(comparison switch
        {
            FqlComparison.Less => l.Number < r.Number,
            FqlComparison.LessOrEqual => l.Number <= r.Number,
            FqlComparison.Greater => l.Number > r.Number,
            _ => l.Number >= r.Number,
        });
    }
}

/// <summary><c>value in list</c>: true when a list item is strictly equal to the value.</summary>
internal sealed class FqlInNode(int column, FqlNode left, FqlNode right) : FqlNode(column, "in")
{
    public override FqlType Type => FqlType.Bool;

    public override FqlValue Evaluate(JsonElement root)
    {
        var value = left.Evaluate(root);
        if (value.IsError)
        {
            return value;
        }

        if (value.Kind is FqlKind.List or FqlKind.Object)
        {
            return FqlValue.Fail($"\"in\" looks for a single value, but {left.Label} is a {value.TypeName}.");
        }

        var list = right.Evaluate(root);
        switch (list.Kind)
        {
            case FqlKind.Error:
                return list;
            case FqlKind.Null:
                return FqlValue.False;
            case FqlKind.List:
                break;
            default:
                return FqlValue.Fail($"\"in\" looks in a list, but {right.Label} is a {list.TypeName}.");
        }

        var items = list.EnumerateList();
        while (items.MoveNext())
        {
            if (FqlValue.StrictEquals(value, items.Current))
            {
                return FqlValue.True;
            }
        }

        return FqlValue.False;
    }
}
