using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Junction.Fql;

internal enum FqlFunction : byte
{
    Contains,
    Length,
    Lowercase,
    Uppercase,
    Snakecase,
    Kebabcase,
    Titlecase,
    Typeof,
    Match,
    Bool,
    String,
    Number,
}

/// <summary>The built-in functions: their names, arity, and what they give back.</summary>
internal static class FqlFunctions
{
    public static readonly IReadOnlyDictionary<string, FqlFunction> ByName = new Dictionary<string, FqlFunction>(StringComparer.Ordinal)
    {
        ["contains"] = FqlFunction.Contains,
        ["length"] = FqlFunction.Length,
        ["lowercase"] = FqlFunction.Lowercase,
        ["uppercase"] = FqlFunction.Uppercase,
        ["snakecase"] = FqlFunction.Snakecase,
        ["kebabcase"] = FqlFunction.Kebabcase,
        ["titlecase"] = FqlFunction.Titlecase,
        ["typeof"] = FqlFunction.Typeof,
        ["match"] = FqlFunction.Match,
        ["bool"] = FqlFunction.Bool,
        ["string"] = FqlFunction.String,
        ["number"] = FqlFunction.Number,
    };

    public static string Names => string.Join(", ", ByName.Keys);

    public static int Arity(FqlFunction function) => function is FqlFunction.Contains or FqlFunction.Match ? 2 : 1;

    public static FqlType ResultType(FqlFunction function) => function switch
    {
        FqlFunction.Contains or FqlFunction.Match or FqlFunction.Bool => FqlType.Bool,
        FqlFunction.Length or FqlFunction.Number => FqlType.Number,
        _ => FqlType.String,
    };

    /// <summary>The kinds an argument may statically have, beyond null and event fields (which are always allowed).</summary>
    public static bool Accepts(FqlFunction function, FqlType type) => type switch
    {
        FqlType.Any or FqlType.Null => true,
        _ => function switch
        {
            FqlFunction.Typeof or FqlFunction.Bool or FqlFunction.String => true,
            FqlFunction.Length => type is FqlType.String or FqlType.List,
            FqlFunction.Number => type is FqlType.String or FqlType.Number,
            _ => type == FqlType.String,
        },
    };

    public static string Expectation(FqlFunction function) => function switch
    {
        FqlFunction.Length => "a string or a list",
        FqlFunction.Number => "a number or a string",
        _ => "a string",
    };

    // Words for the case functions are split at spaces, underscores and dashes, and where a lower-case letter
    // or digit meets an upper-case one ("orderId") or an acronym meets a word ("HTMLPage").
    internal static string JoinWords(string text, char separator)
    {
        var builder = new StringBuilder(text.Length + 4);
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || c is '_' or '-')
            {
                inWord = false;
                continue;
            }

            var boundary = inWord && char.IsUpper(c) && i > 0
                && (char.IsLower(text[i - 1]) || char.IsDigit(text[i - 1])
                    || (char.IsUpper(text[i - 1]) && i + 1 < text.Length && char.IsLower(text[i + 1])));
            if ((!inWord || boundary) && builder.Length > 0)
            {
                builder.Append(separator);
            }

            builder.Append(char.ToLowerInvariant(c));
            inWord = true;
        }

        return builder.ToString();
    }

    internal static string TitleCase(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            var startsWord = i == 0 || char.IsWhiteSpace(source[i - 1]);
            span[i] = startsWord ? char.ToUpperInvariant(source[i]) : source[i];
        }
    });

    internal static FqlValue ToBool(in FqlValue value) => value.Kind switch
    {
        FqlKind.Null => FqlValue.False,
        FqlKind.Bool => value,
        FqlKind.Number => FqlValue.FromBool(value.Number != 0),
        FqlKind.String => FqlValue.FromBool(StringIsTrue(value)),
        FqlKind.List => FqlValue.FromBool(value.ListCount > 0),
        FqlKind.Object => FqlValue.FromBool(value.Element.EnumerateObject().Any()),
        _ => value,
    };

    private static bool StringIsTrue(in FqlValue value)
    {
        Span<char> scratch = stackalloc char[8];
        var text = value.Utf8Length() <= 8 ? value.GetChars(scratch) : "long enough to be true";
        return !(text.IsEmpty
            || text.Equals("false", StringComparison.OrdinalIgnoreCase)
            || text.Equals("0", StringComparison.Ordinal));
    }

    internal static FqlValue ToText(in FqlValue value)
    {
        switch (value.Kind)
        {
            case FqlKind.Null:
                return FqlValue.FromString("null");
            case FqlKind.Bool:
                return FqlValue.FromString(value.Bool ? "true" : "false");
            case FqlKind.Number:
                return FqlValue.FromString(value.Number.ToString("R", CultureInfo.InvariantCulture));
            case FqlKind.String:
                return value.IsElement ? FqlValue.FromString(value.GetString()) : value;
            case FqlKind.List or FqlKind.Object:
                var buffer = new ArrayBufferWriter<byte>();
                using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    value.WriteTo(writer);
                }

                return FqlValue.FromString(Encoding.UTF8.GetString(buffer.WrittenSpan));
            default:
                return value;
        }
    }

    internal static FqlValue ToNumber(in FqlValue value, FqlNode argument)
    {
        switch (value.Kind)
        {
            case FqlKind.Null or FqlKind.Number or FqlKind.Error:
                return value;
            case FqlKind.String:
                Span<char> scratch = stackalloc char[64];
                var text = value.GetChars(scratch);
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                    ? FqlValue.FromNumber(number)
                    : FqlValue.Fail($"number() cannot read \"{text}\" ({argument.Label}) as a number.");
            default:
                return FqlValue.Fail($"number() takes a number or a string, but {argument.Label} is a {value.TypeName}.");
        }
    }
}
