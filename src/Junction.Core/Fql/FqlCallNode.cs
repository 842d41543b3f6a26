using System.Text.Json;

namespace Junction.Fql;

/// <summary>
/// A call of a built-in function. A literal pattern given to <c>match()</c> is compiled once, with the
/// expression; a pattern read from the event is compiled on each evaluation.
/// </summary>
internal sealed class FqlCallNode(int column, string name, FqlFunction function, FqlNode[] arguments, FqlGlob? pattern)
    : FqlNode(column, name + "(…)")
{
    // Strings read from the event up to this many UTF-8 bytes are decoded on the stack for contains() and
    // match(); longer ones, and ones with escape sequences, are read into a string.
    private const int ScratchChars = 256;

    public override FqlType Type => FqlFunctions.ResultType(function);

    public override FqlValue Evaluate(JsonElement root)
    {
        var first = arguments[0].Evaluate(root);
        if (first.IsError)
        {
            return first;
        }

        switch (function)
        {
            case FqlFunction.Typeof:
                return FqlValue.FromString(first.TypeName);
            case FqlFunction.Bool:
                return FqlFunctions.ToBool(first);
            case FqlFunction.String:
                return FqlFunctions.ToText(first);
            case FqlFunction.Number:
                return FqlFunctions.ToNumber(first, arguments[0]);
            case FqlFunction.Length:
                return first.Kind switch
                {
                    FqlKind.Null => FqlValue.FromNumber(0),
                    FqlKind.String => FqlValue.FromNumber(first.Utf8Length()),
                    FqlKind.List => FqlValue.FromNumber(first.ListCount),
                    _ => WrongKind(0, first),
                };
            case FqlFunction.Contains:
                return Contains(root, first);
            case FqlFunction.Match:
                return Match(root, first);
        }

        // The remaining functions change the case of a string.
        if (first.Kind == FqlKind.Null)
        {
            return FqlValue.Null;
        }

        if (first.Kind != FqlKind.String)
        {
            return WrongKind(0, first);
        }

        var text = first.GetString();
        return FqlValue.FromString(function switch
        {
            FqlFunction.Lowercase => text.ToLowerInvariant(),
            FqlFunction.Uppercase => text.ToUpperInvariant(),
            FqlFunction.Snakecase => FqlFunctions.JoinWords(text, '_'),
            FqlFunction.Kebabcase => FqlFunctions.JoinWords(text, '-'),
            _ => FqlFunctions.TitleCase(text),
        });
    }

    private FqlValue Contains(JsonElement root, in FqlValue subject)
    {
        if (subject.Kind == FqlKind.Null)
        {
            return FqlValue.False;
        }

        if (subject.Kind != FqlKind.String)
        {
            return WrongKind(0, subject);
        }

        var part = arguments[1].Evaluate(root);
        switch (part.Kind)
        {
            case FqlKind.Error:
                return part;
            case FqlKind.Null:
                return FqlValue.False;
            case FqlKind.String:
                break;
            default:
                return WrongKind(1, part);
        }

        Span<char> subjectScratch = subject.IsElement ? stackalloc char[ScratchChars] : default;
        Span<char> partScratch = part.IsElement ? stackalloc char[ScratchChars] : default;
        return FqlValue.FromBool(subject.GetChars(subjectScratch).IndexOf(part.GetChars(partScratch)) >= 0);
    }

    private FqlValue Match(JsonElement root, in FqlValue subject)
    {
        if (subject.Kind == FqlKind.Null)
        {
            return FqlValue.False;
        }

        if (subject.Kind != FqlKind.String)
        {
            return WrongKind(0, subject);
        }

        var glob = pattern;
        if (glob is null)
        {
            var value = arguments[1].Evaluate(root);
            switch (value.Kind)
            {
                case FqlKind.Error:
                    return value;
                case FqlKind.Null:
                    return FqlValue.False;
                case FqlKind.String:
                    if (!FqlGlob.TryCompile(value.GetString(), out glob, out var error))
                    {
                        return FqlValue.Fail($"match() was given an invalid pattern by {arguments[1].Label}: {error}.");
                    }

                    break;
                default:
                    return WrongKind(1, value);
            }
        }

        Span<char> scratch = subject.IsElement ? stackalloc char[ScratchChars] : default;
        return FqlValue.FromBool(glob.IsMatch(subject.GetChars(scratch)));
    }

    private FqlValue WrongKind(int argument, in FqlValue value) => FqlValue.Fail(
        $"{name}() takes {FqlFunctions.Expectation(function)}, but {arguments[argument].Label} is a {value.TypeName}.");
}
