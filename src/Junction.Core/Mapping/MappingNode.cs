using System.Text.Json;

namespace Junction.Mapping;

/// <summary>
/// State of one evaluation. A directive whose input has the wrong type for this event (a <c>@path</c> whose inner
/// directive produced a number, say) records the failure here instead of throwing; the first failure wins.
/// </summary>
internal sealed class Evaluation
{
    public MappingError? Failure { get; private set; }

    public MappingValue Fail(string path, string message)
    {
        Failure ??= new MappingError(path, message);
        return MappingValue.Undefined;
    }
}

/// <summary>A compiled piece of a mapping. Nodes are immutable and shared by every evaluation.</summary>
internal abstract class MappingNode
{
    /// <summary>Resolves this piece against <paramref name="payload"/> (the event, or an item of <c>@arrayPath</c>).</summary>
    public abstract MappingValue Evaluate(Evaluation evaluation, MappingValue payload);
}

/// <summary>
/// A JSON value returned as written: raw mapping JSON with no directive inside (<paramref name="isRaw"/>), or
/// the value of a <c>@literal</c> or a directive option.
/// </summary>
internal sealed class ConstantNode(JsonElement value, bool isRaw) : MappingNode
{
    /// <summary>True when the value is the mapping's own JSON at this place, so a parent may keep it whole.</summary>
    public bool IsRaw => isRaw;

    public JsonElement Value => value;

    public override MappingValue Evaluate(Evaluation evaluation, MappingValue payload) => MappingValue.FromJson(value);
}

/// <summary>Always undefined: a directive that Segment resolves to nothing whatever the event.</summary>
internal sealed class UndefinedNode : MappingNode
{
    public static readonly UndefinedNode Instance = new();

    public override MappingValue Evaluate(Evaluation evaluation, MappingValue payload) => MappingValue.Undefined;
}

/// <summary>A plain object: each member resolved in turn. Undefined members stay until the payload is written.</summary>
internal sealed class ObjectNode(string[] keys, MappingNode[] values) : MappingNode
{
    public override MappingValue Evaluate(Evaluation evaluation, MappingValue payload)
    {
        var result = new MappingObject(keys.Length);
        for (var i = 0; i < keys.Length; i++)
        {
            result.AddNew(keys[i], values[i].Evaluate(evaluation, payload));
        }

        return MappingValue.FromObject(result);
    }
}

/// <summary>An array: each item resolved in turn; an undefined item is written as null.</summary>
internal sealed class ArrayNode(MappingNode[] items) : MappingNode
{
    public override MappingValue Evaluate(Evaluation evaluation, MappingValue payload)
    {
        var result = new MappingValue[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            result[i] = items[i].Evaluate(evaluation, payload);
        }

        return MappingValue.FromArray(result);
    }
}
