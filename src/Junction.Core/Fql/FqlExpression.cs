using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Junction.Fql;

/// <summary>Why an expression could not be parsed, and the 1-based column where reading stopped.</summary>
internal sealed record FqlError(string Message, int Column);

/// <summary>The outcome of <see cref="FqlExpression.Parse"/>: a compiled expression, or an error.</summary>
internal readonly record struct FqlParseResult(FqlExpression? Expression, FqlError? Error)
{
    [MemberNotNullWhen(true, nameof(Expression))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Expression is not null;

    public static FqlParseResult Succeeded(FqlExpression expression) => new(expression, null);

    public static FqlParseResult Failed(FqlError error) => new(null, error);
}

internal enum FqlOutcome : byte
{
    /// <summary>The expression is false (or null) for the event.</summary>
    NoMatch,

    /// <summary>The expression is true for the event.</summary>
    Match,

    /// <summary>The expression could not be evaluated, for example <c>"and"</c> over a string field.</summary>
    Error,
}

/// <summary>The result of evaluating an expression against one event; <see cref="Error"/> says what failed.</summary>
internal readonly record struct FqlEvaluation(FqlOutcome Outcome, string? Error = null)
{
    public static FqlEvaluation Matched { get; } = new(FqlOutcome.Match);

    public static FqlEvaluation NotMatched { get; } = new(FqlOutcome.NoMatch);
}

/// <summary>
/// A compiled FQL expression. Parse it once, then evaluate it against any number of events from any thread:
/// evaluation keeps no state, and comparing event fields with literals allocates nothing.
/// </summary>
/// <remarks>
/// Callers choose what an evaluation error means. <see cref="Matches"/> treats it as "no match", which suits
/// triggers; destination filters treat it as a reason to drop the event (see <c>DestinationFilterSet</c>).
/// </remarks>
internal sealed class FqlExpression
{
    private readonly FqlNode? _root;

    internal FqlExpression(string text, FqlNode? root)
    {
        Text = text;
        _root = root;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>True for <c>all</c>, which matches every event.</summary>
    public bool MatchesEverything => _root is null;

    /// <summary>Compiles <paramref name="text"/>; an invalid expression gives an error with its column.</summary>
    public static FqlParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return FqlParser.Parse(text);
    }

    /// <summary>
    /// Evaluates the expression against a Segment event (the whole event object). Missing fields read as null.
    /// </summary>
    public FqlEvaluation Evaluate(JsonElement @event)
    {
        if (_root is null)
        {
            return FqlEvaluation.Matched;
        }

        FqlValue value;
        try
        {
            value = _root.Evaluate(@event);
        }
        catch (InvalidOperationException exception) when (exception is not ObjectDisposedException)
        {
            // JsonElement refuses to read some malformed content, such as a string holding an escaped lone
            // surrogate; such an event cannot be judged, which is an evaluation error, not a crash.
            return new FqlEvaluation(FqlOutcome.Error, "The event holds a value that cannot be read: " + exception.Message);
        }

        return value.Kind switch
        {
            FqlKind.Bool => value.Bool ? FqlEvaluation.Matched : FqlEvaluation.NotMatched,
            FqlKind.Null => FqlEvaluation.NotMatched,
            FqlKind.Error => new FqlEvaluation(FqlOutcome.Error, value.ErrorMessage),
            _ => new FqlEvaluation(FqlOutcome.Error, $"The expression gives a {value.TypeName}, not true or false."),
        };
    }

    /// <summary>True when the expression is true for the event; an evaluation error counts as no match.</summary>
    public bool Matches(JsonElement @event) => Evaluate(@event).Outcome == FqlOutcome.Match;

    public override string ToString() => Text;
}
