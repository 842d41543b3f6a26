using System.Text.Json;
using System.Text.Json.Nodes;

namespace Junction.Protocols.Transformations;

/// <summary>
/// A compiled transformation. Thread-safe: it holds no state of its own and changes only the event it is given.
/// </summary>
/// <remarks>
/// For an event that matches the condition, the steps run in this order: drop (and nothing else); the new event
/// name (track calls only); property renames, in the order listed; value transformations; the FQL-defined property.
/// A disabled transformation skips every event.
/// </remarks>
internal sealed class CompiledTransformation
{
    private readonly TransformationCondition _condition;
    private readonly string? _newEventName;
    private readonly (EventPath Old, EventPath New)[] _renames;
    private readonly (string[] Keys, string Value)[] _values;
    private readonly (ValueExpression Expression, string[] Keys)[] _defined;

    internal CompiledTransformation(
        TransformationDefinition definition,
        TransformationCondition condition,
        string? newEventName,
        (EventPath Old, EventPath New)[] renames,
        (string[] Keys, string Value)[] values,
        (ValueExpression Expression, string[] Keys)[] defined)
    {
        Definition = definition;
        _condition = condition;
        _newEventName = newEventName;
        _renames = renames;
        _values = values;
        _defined = defined;
    }

    public TransformationDefinition Definition { get; }

    /// <summary>Applies the transformation to an event (a normalized event's root object), changing it in place.</summary>
    public TransformOutcome Apply(JsonObject @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (!Definition.Enabled || !_condition.Matches(@event))
        {
            return TransformOutcome.Skipped;
        }

        if (Definition.Drop)
        {
            return TransformOutcome.Dropped;
        }

        var type = Text(@event["type"]);
        var changed = false;
        if (_newEventName is not null && type == "track" && Text(@event["event"]) != _newEventName)
        {
            @event["event"] = _newEventName;
            changed = true;
        }

        var root = type is "identify" or "group" ? "traits" : "properties";
        foreach (var (old, renamed) in _renames)
        {
            changed |= Move(@event, old.Resolve(root), renamed.Resolve(root));
        }

        foreach (var (keys, value) in _values)
        {
            if (Text(EventPath.Get(@event, keys)) != value && EventPath.Parent(@event, keys, create: true) is { } parent)
            {
                parent[keys[^1]] = value;
                changed = true;
            }
        }

        foreach (var (expression, keys) in _defined)
        {
            if (expression.Evaluate(@event) is { } value && EventPath.Parent(@event, keys, create: true) is { } parent)
            {
                if (!parent.TryGetPropertyValue(keys[^1], out var current) || !JsonNode.DeepEquals(current, value))
                {
                    parent[keys[^1]] = value;
                    changed = true;
                }
            }
        }

        return changed ? TransformOutcome.Changed : TransformOutcome.Skipped;
    }

    // Moves the value at one path to another, creating the objects on the way; nothing happens when the old path is
    // missing or the new one cannot be made (a key on the way holds something other than an object).
    private static bool Move(JsonObject @event, string[] from, string[] to)
    {
        if (EventPath.Parent(@event, from, create: false) is not { } source || !source.TryGetPropertyValue(from[^1], out var value))
        {
            return false;
        }

        source.Remove(from[^1]);
        if (EventPath.Parent(@event, to, create: true) is { } target)
        {
            target[to[^1]] = value;
            return true;
        }

        source[from[^1]] = value;
        return false;
    }

    private static string? Text(JsonNode? node) => TextOf(node);

    /// <summary>
    /// The text of a string node, or null for anything else; a string that cannot be decoded (an escaped lone
    /// surrogate) also reads as null, so that transforming such an event never throws.
    /// </summary>
    internal static string? TextOf(JsonNode? node)
    {
        try
        {
            return node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
