namespace Junction.Fql;

/// <summary>
/// A recursive-descent parser over the tokens of one expression. Precedence, from loosest to tightest:
/// <c>or</c>, <c>and</c>, comparisons (<c>= != &lt; &lt;= &gt; &gt;= in</c>, which do not chain), unary
/// <c>!</c>, then values, function calls and parenthesised groups. The parser also rejects operands whose
/// kind is wrong whatever the event holds, such as <c>'a' and true</c> or <c>length(5)</c>.
/// </summary>
internal sealed class FqlParser
{
    private const int MaxDepth = 64;

    private readonly List<FqlToken> _tokens;
    private int _position;
    private int _depth;

    private FqlParser(List<FqlToken> tokens) => _tokens = tokens;

    private FqlToken Current => _tokens[_position];

    public static FqlParseResult Parse(string text)
    {
        if (!FqlLexer.TryTokenize(text, out var tokens, out var lexError))
        {
            return FqlParseResult.Failed(lexError!);
        }

        if (tokens.Count == 1)
        {
            return FqlParseResult.Failed(new FqlError("The expression is empty; write a condition such as type = 'track', or all.", 1));
        }

        if (tokens.Count == 2 && tokens[0] is { Kind: FqlTokenKind.Path, Text: "all" })
        {
            return FqlParseResult.Succeeded(new FqlExpression(text, root: null));
        }

        var parser = new FqlParser(tokens);
        if (!parser.TryExpression(null, out var root, out var error))
        {
            return FqlParseResult.Failed(error);
        }

        if (parser.Current.Kind != FqlTokenKind.End)
        {
            var token = parser.Current;
            var hint = token.Kind is >= FqlTokenKind.Equal and <= FqlTokenKind.GreaterOrEqual or FqlTokenKind.In
                ? "; put a comparison in parentheses to compare its result"
                : "; expected \"and\", \"or\" or the end of the expression";
            return FqlParseResult.Failed(At(token, $"Unexpected {token.Describe()}{hint}"));
        }

        if (!IsCondition(root.Type))
        {
            return FqlParseResult.Failed(new FqlError(
                $"The expression gives a {Describe(root.Type)}, but a filter needs a condition that is true or false, at column 1.", 1));
        }

        return FqlParseResult.Succeeded(new FqlExpression(text, root));
    }

    // Reads a whole or-level expression. When it follows an operator or an opening token, a missing operand is
    // reported as "Expected a value after …".
    private bool TryExpression(FqlToken? after, out FqlNode node, out FqlError error)
    {
        if (!TryOperand(after, out node, out error) || !TryComparison(node, out node, out error) || !TryAnd(node, out node, out error))
        {
            return false;
        }

        if (Current.Kind != FqlTokenKind.Or)
        {
            return true;
        }

        var first = Current;
        List<FqlNode> operands = [node];
        while (Current.Kind == FqlTokenKind.Or)
        {
            var op = Take();
            if (!TryOperand(op, out var right, out error) || !TryComparison(right, out right, out error)
                || !TryAnd(right, out right, out error) || !TryLogicOperands(op, operands[^1], right, out error))
            {
                return false;
            }

            operands.Add(right);
        }

        node = new FqlLogicNode(first.Start + 1, isAnd: false, [.. operands]);
        return true;
    }

    // Continues an and-chain whose first operand is already read.
    private bool TryAnd(FqlNode first, out FqlNode node, out FqlError error)
    {
        node = first;
        error = null!;
        if (Current.Kind != FqlTokenKind.And)
        {
            return true;
        }

        var start = Current;
        List<FqlNode> operands = [first];
        while (Current.Kind == FqlTokenKind.And)
        {
            var op = Take();
            if (!TryOperand(op, out var right, out error) || !TryComparison(right, out right, out error)
                || !TryLogicOperands(op, operands[^1], right, out error))
            {
                return false;
            }

            operands.Add(right);
        }

        node = new FqlLogicNode(start.Start + 1, isAnd: true, [.. operands]);
        return true;
    }

    // Continues a comparison whose left side is already read.
    private bool TryComparison(FqlNode left, out FqlNode node, out FqlError error)
    {
        node = left;
        error = null!;
        var op = Current;
        var comparison = op.Kind switch
        {
            FqlTokenKind.Equal => FqlComparison.Equal,
            FqlTokenKind.NotEqual => FqlComparison.NotEqual,
            FqlTokenKind.Less => FqlComparison.Less,
            FqlTokenKind.LessOrEqual => FqlComparison.LessOrEqual,
            FqlTokenKind.Greater => FqlComparison.Greater,
            FqlTokenKind.GreaterOrEqual => FqlComparison.GreaterOrEqual,
            _ => (FqlComparison?)null,
        };
        if (comparison is null && op.Kind != FqlTokenKind.In)
        {
            return true;
        }

        Take();
        if (!TryOperand(op, out var right, out error))
        {
            return false;
        }

        if (op.Kind == FqlTokenKind.In)
        {
            if (left.Type is FqlType.List or FqlType.Object)
            {
                error = At(left, $"\"in\" looks for a single value, but the left side is a {Describe(left.Type)}");
                return false;
            }

            if (right.Type is not (FqlType.Any or FqlType.Null or FqlType.List))
            {
                error = At(right, $"\"in\" looks in a list such as ['a', 'b'], but the right side is a {Describe(right.Type)}");
                return false;
            }

            node = new FqlInNode(op.Start + 1, left, right);
            return true;
        }

        if (comparison is not (FqlComparison.Equal or FqlComparison.NotEqual))
        {
            foreach (var side in (ReadOnlySpan<FqlNode>)[left, right])
            {
                if (side.Type is not (FqlType.Any or FqlType.Null or FqlType.Number))
                {
                    error = At(side, $"\"{op.Text}\" compares numbers, but {side.Label} is a {Describe(side.Type)}");
                    return false;
                }
            }
        }

        node = new FqlCompareNode(op.Start + 1, op.Text, comparison!.Value, left, right);
        return true;
    }

    private bool TryUnary(out FqlNode node, out FqlError error)
    {
        if (Current.Kind != FqlTokenKind.Not)
        {
            return TryPrimary(out node, out error);
        }

        var op = Take();
        node = null!;
        if (!Enter(op, out error) || !TryOperand(op, out var operand, out error))
        {
            return false;
        }

        _depth--;
        if (!IsCondition(operand.Type))
        {
            error = At(operand, $"\"!\" negates a condition, but {operand.Label} is a {Describe(operand.Type)}");
            return false;
        }

        node = new FqlNotNode(op.Start + 1, operand);
        return true;
    }

    // Reads the unary operand that must follow an operator, or says that a value was expected after it.
    private bool TryOperand(FqlToken? op, out FqlNode node, out FqlError error)
    {
        if (op is not null && Current.Kind is FqlTokenKind.End or FqlTokenKind.RightParen or FqlTokenKind.RightBracket or FqlTokenKind.Comma
            or FqlTokenKind.And or FqlTokenKind.Or or FqlTokenKind.In
            or >= FqlTokenKind.Equal and <= FqlTokenKind.GreaterOrEqual)
        {
            node = null!;
            error = At(Current, $"Expected a value after \"{op.Value.Text}\"");
            return false;
        }

        return TryUnary(out node, out error);
    }

    private bool TryPrimary(out FqlNode node, out FqlError error)
    {
        var token = Current;
        node = null!;
        error = null!;
        switch (token.Kind)
        {
            case FqlTokenKind.String:
                Take();
                node = new FqlLiteralNode(token.Start + 1, $"'{token.Text}'", FqlValue.FromString(token.Text), FqlType.String);
                return true;
            case FqlTokenKind.Number:
                Take();
                node = new FqlLiteralNode(token.Start + 1, token.Text, FqlValue.FromNumber(token.Number), FqlType.Number);
                return true;
            case FqlTokenKind.True or FqlTokenKind.False:
                Take();
                node = new FqlLiteralNode(token.Start + 1, token.Text, FqlValue.FromBool(token.Kind == FqlTokenKind.True), FqlType.Bool);
                return true;
            case FqlTokenKind.Null:
                Take();
                node = new FqlLiteralNode(token.Start + 1, "null", FqlValue.Null, FqlType.Null);
                return true;
            case FqlTokenKind.LeftBracket:
                return TryList(out node, out error);
            case FqlTokenKind.LeftParen:
                return TryGroup(out node, out error);
            case FqlTokenKind.Path:
                Take();
                if (Current.Kind == FqlTokenKind.LeftParen)
                {
                    return TryCall(token, out node, out error);
                }

                node = new FqlPathNode(token.Start + 1, FqlPath.FromSegments(token.Text, token.Segments!));
                return true;
            case FqlTokenKind.End:
                error = At(token, "The expression ends where a value was expected");
                return false;
            default:
                error = At(token, $"Unexpected {token.Describe()}; expected a field, a value, a function or \"(\"");
                return false;
        }
    }

    private bool TryGroup(out FqlNode node, out FqlError error)
    {
        var open = Take();
        if (!Enter(open, out error) || !TryExpression(open, out node, out error))
        {
            node = null!;
            return false;
        }

        if (Current.Kind != FqlTokenKind.RightParen)
        {
            error = At(Current, $"Expected \")\" to close the \"(\" at column {open.Start + 1}, but found {Current.Describe()}");
            return false;
        }

        Take();
        _depth--;
        return true;
    }

    private bool TryCall(FqlToken name, out FqlNode node, out FqlError error)
    {
        node = null!;
        var open = Take();
        if (!name.IsWord || !FqlFunctions.ByName.TryGetValue(name.Text, out var function))
        {
            error = At(name, $"Unknown function \"{name.Text}\"; the functions are {FqlFunctions.Names}");
            return false;
        }

        if (!Enter(open, out error))
        {
            return false;
        }

        var arguments = new List<FqlNode>();
        if (Current.Kind != FqlTokenKind.RightParen)
        {
            while (true)
            {
                if (!TryExpression(_tokens[_position - 1], out var argument, out error))
                {
                    return false;
                }

                arguments.Add(argument);
                if (Current.Kind != FqlTokenKind.Comma)
                {
                    break;
                }

                Take();
            }
        }

        if (Current.Kind != FqlTokenKind.RightParen)
        {
            error = At(Current, $"Expected \",\" or \")\" in the call of {name.Text}(), but found {Current.Describe()}");
            return false;
        }

        Take();
        _depth--;
        var arity = FqlFunctions.Arity(function);
        if (arguments.Count != arity)
        {
            error = At(name, $"{name.Text}() takes {arity} argument{(arity == 1 ? "" : "s")}, but was given {arguments.Count}");
            return false;
        }

        for (var i = 0; i < arguments.Count; i++)
        {
            if (!FqlFunctions.Accepts(function, arguments[i].Type))
            {
                error = At(arguments[i], $"{name.Text}() takes {FqlFunctions.Expectation(function)}, but {arguments[i].Label} is a {Describe(arguments[i].Type)}");
                return false;
            }
        }

        FqlGlob? glob = null;
        if (function == FqlFunction.Match && arguments[1] is FqlLiteralNode { Type: FqlType.String } literal)
        {
            if (!FqlGlob.TryCompile(literal.Value.GetString(), out glob, out var globError))
            {
                error = At(literal, $"Invalid pattern {literal.Label}: {globError}");
                return false;
            }
        }

        node = new FqlCallNode(name.Start + 1, name.Text, function, [.. arguments], glob);
        return true;
    }

    private bool TryList(out FqlNode node, out FqlError error)
    {
        var open = Take();
        var items = new List<FqlValue>();
        var labels = new List<string>();
        node = null!;
        error = null!;
        if (Current.Kind != FqlTokenKind.RightBracket)
        {
            while (true)
            {
                var token = Current;
                var item = token.Kind switch
                {
                    FqlTokenKind.String => FqlValue.FromString(token.Text),
                    FqlTokenKind.Number => FqlValue.FromNumber(token.Number),
                    FqlTokenKind.True => FqlValue.True,
                    FqlTokenKind.False => FqlValue.False,
                    FqlTokenKind.Null => FqlValue.Null,
                    _ => (FqlValue?)null,
                };
                if (item is null)
                {
                    error = At(token, $"Unexpected {token.Describe()} in a list; a list holds strings, numbers, true, false or null");
                    return false;
                }

                Take();
                items.Add(item.Value);
                labels.Add(token.Kind == FqlTokenKind.String ? $"'{token.Text}'" : token.Text);
                if (Current.Kind != FqlTokenKind.Comma)
                {
                    break;
                }

                Take();
            }
        }

        if (Current.Kind != FqlTokenKind.RightBracket)
        {
            error = At(Current, $"Expected \",\" or \"]\" in the list that starts at column {open.Start + 1}, but found {Current.Describe()}");
            return false;
        }

        Take();
        node = new FqlLiteralNode(open.Start + 1, $"[{string.Join(", ", labels)}]", FqlValue.FromList([.. items]), FqlType.List);
        return true;
    }

    private static bool TryLogicOperands(FqlToken op, FqlNode left, FqlNode right, out FqlError error)
    {
        foreach (var side in (ReadOnlySpan<FqlNode>)[left, right])
        {
            if (!IsCondition(side.Type))
            {
                error = At(side, $"\"{op.Text}\" joins conditions, but {side.Label} is a {Describe(side.Type)}");
                return false;
            }
        }

        error = null!;
        return true;
    }

    private bool Enter(FqlToken token, out FqlError error)
    {
        error = null!;
        if (++_depth <= MaxDepth)
        {
            return true;
        }

        error = At(token, $"The expression nests more than {MaxDepth} levels deep");
        return false;
    }

    private FqlToken Take() => _tokens[_position++];

    private static bool IsCondition(FqlType type) => type is FqlType.Any or FqlType.Bool or FqlType.Null;

    private static string Describe(FqlType type) => type switch
    {
        FqlType.Bool => "bool",
        FqlType.Number => "number",
        FqlType.String => "string",
        FqlType.List => "list",
        FqlType.Object => "object",
        FqlType.Null => "null",
        _ => "value",
    };

    private static FqlError At(FqlToken token, string message) => new($"{message} at column {token.Start + 1}.", token.Start + 1);

    private static FqlError At(FqlNode node, string message) => new($"{message} at column {node.Column}.", node.Column);
}
