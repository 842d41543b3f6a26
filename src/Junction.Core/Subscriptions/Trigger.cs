using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Junction.Subscriptions;

/// <summary>
/// Why a trigger was refused: a stable <paramref name="Code"/>, a sentence for people, and the 1-based
/// <paramref name="Column"/> in the trigger text where the problem starts (counting every character, newlines
/// included). <paramref name="Column"/> is 0 when the problem was found in a condition tree rather than in text.
/// </summary>
internal sealed record TriggerError(string Code, string Message, int Column)
{
    public override string ToString() => Column > 0 ? $"Column {Column}: {Message}" : Message;
}

/// <summary>Either a compiled <see cref="Trigger"/> or the <see cref="TriggerError"/> that refused it.</summary>
internal readonly record struct TriggerResult(Trigger? Trigger, TriggerError? Error)
{
    [MemberNotNullWhen(true, nameof(Trigger))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Trigger is not null;
}

/// <summary>
/// A Destination Actions subscription: the condition that decides whether an event goes to a mapping.
/// Compile it once with <see cref="Parse"/> (from the trigger text Segment stores) or <see cref="FromTree"/> (from
/// the app's condition builder), then call <see cref="Matches"/> for each event; matching never throws.
/// Everything Junction accepts means what it means to Segment's own parser and matcher; the triggers Segment reads
/// in surprising ways are refused with a <see cref="TriggerError"/> (docs/destinations/triggers.md lists them).
/// </summary>
internal sealed class Trigger
{
    private readonly TriggerMatcher _matcher;

    private Trigger(string text, TriggerGroup tree)
    {
        Text = text;
        Tree = tree;
        _matcher = TriggerMatcher.Compile(tree);
    }

    /// <summary>The trigger text: as given to <see cref="Parse"/>, or as written by <see cref="FromTree"/>.</summary>
    public string Text { get; }

    /// <summary>The condition tree, in canonical form (see <see cref="FromTree"/>).</summary>
    public TriggerGroup Tree { get; }

    /// <summary>The canonical text for <see cref="Tree"/>, as Segment's condition builder would write it.</summary>
    public string CanonicalText => TriggerWriter.Write(Tree);

    /// <summary>Reads trigger text such as <c>type = "track" and event = "Order Completed"</c>.</summary>
    public static TriggerResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (tree, error) = TriggerParser.Parse(text);
        return tree is null ? new(null, error) : new(new Trigger(text, tree), null);
    }

    /// <summary>
    /// Checks a condition tree from the condition builder and writes its trigger text. The tree is first put in
    /// canonical form, which changes no meaning: a nested group with a single child is replaced by that child, and
    /// a root holding a single group becomes that group. For a canonical tree,
    /// <c>Parse(FromTree(tree).Trigger.Text).Trigger.Tree</c> equals the tree.
    /// </summary>
    public static TriggerResult FromTree(TriggerGroup tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var (canonical, error) = TriggerRules.Canonicalize(tree);
        return canonical is null ? new(null, error) : new(new Trigger(TriggerWriter.Write(canonical), canonical), null);
    }

    /// <summary>True when the event satisfies the trigger. An event that is not a JSON object never matches.</summary>
    public bool Matches(JsonElement message) => message.ValueKind == JsonValueKind.Object && _matcher.Matches(message);

    public override string ToString() => Text;
}
