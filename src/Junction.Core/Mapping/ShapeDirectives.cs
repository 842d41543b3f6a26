namespace Junction.Mapping;

/// <summary>
/// <c>@arrayPath</c>. The first argument (a path, or a directive whose result is used as the root itself) gives
/// the root. When an item shape is given and the root is an object or an array, each item (a lone object counts
/// as one item) is resolved with the shape, reading paths from the item. Otherwise the root is returned as is.
/// </summary>
internal sealed class ArrayPathNode(MappingNode root, MappingNode? itemShape) : MappingNode
{
    public override MappingValue Evaluate(Evaluation evaluation, MappingValue payload)
    {
        var value = root.Evaluate(evaluation, payload);
        if (itemShape is null || !(value.IsObject || value.IsArray))
        {
            return value;
        }

        MappingValue[] items = value.IsArray ? value.ToItems() : [value];
        var shaped = new MappingValue[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            shaped[i] = itemShape.Evaluate(evaluation, items[i]);
        }

        return MappingValue.FromArray(shaped);
    }
}

/// <summary>
/// <c>@flatten</c>: nested objects (and arrays, unless <c>omitArrays</c>) become one level, keys joined with the
/// separator (<c>products.0.id</c>). Empty objects and arrays disappear; a value that is not an object gives
/// <c>{"": value}</c>.
/// </summary>
internal sealed class FlattenNode(MappingNode value, string separator, bool omitArrays) : MappingNode
{
    public override MappingValue Evaluate(Evaluation evaluation, MappingValue payload)
    {
        var result = new MappingObject();
        Flatten(value.Evaluate(evaluation, payload), "", result);
        return MappingValue.FromObject(result);
    }

    private void Flatten(MappingValue current, string prefix, MappingObject result)
    {
        if (current.IsObject || (!omitArrays && current.IsArray))
        {
            current.ForEachEntry((Node: this, Prefix: prefix, Result: result), static (state, key, child) =>
                state.Node.Flatten(child, state.Node.JoinKey(state.Prefix, key), state.Result));
            return;
        }

        result.Set(prefix, current);
    }

    private string JoinKey(string prefix, string key) => prefix.Length > 0 ? prefix + separator + key : key;
}

/// <summary>
/// <c>@merge</c>: a shallow merge of the resolved objects, later ones winning (<c>right</c>) or earlier ones
/// winning (<c>left</c>). Entries are spread as JavaScript's <c>Object.assign</c> does: an array by index, a string
/// character by character, other values not at all; a member that is undefined overwrites (and so removes) the
/// same key from earlier objects.
/// </summary>
internal sealed class MergeNode(MappingNode[] objects, bool leftWins) : MappingNode
{
    public override MappingValue Evaluate(Evaluation evaluation, MappingValue payload)
    {
        var resolved = new MappingValue[objects.Length];
        for (var i = 0; i < objects.Length; i++)
        {
            resolved[i] = objects[i].Evaluate(evaluation, payload);
        }

        if (leftWins)
        {
            Array.Reverse(resolved);
        }

        var result = new MappingObject();
        foreach (var source in resolved)
        {
            source.ForEachEntry(result, static (target, key, member) => target.Set(key, member));
        }

        return MappingValue.FromObject(result);
    }
}

/// <summary>
/// <c>@transform</c>: resolves <c>apply</c> against the payload (undefined members removed), then resolves
/// <c>mapping</c> against that result, so that mappings can run one after the other.
/// </summary>
internal sealed class TransformNode(string pointer, MappingNode apply, MappingNode mapping) : MappingNode
{
    public override MappingValue Evaluate(Evaluation evaluation, MappingValue payload)
    {
        if (!payload.IsObject)
        {
            return evaluation.Fail(pointer, $"@transform reads from an object, but here the value read from is {Describe.Type(payload)}.");
        }

        var intermediate = Undefineds.Remove(apply.Evaluate(evaluation, payload));
        return mapping.Evaluate(evaluation, intermediate);
    }
}

/// <summary>
/// <c>@excludeWhenNull</c>: null becomes undefined (the key is left out); in an object, members that are null are
/// left out too, at every depth, including objects inside arrays.
/// </summary>
internal sealed class ExcludeWhenNullNode(MappingNode value) : MappingNode
{
    public override MappingValue Evaluate(Evaluation evaluation, MappingValue payload) =>
        WithoutNulls(value.Evaluate(evaluation, payload), topLevel: true);

    private static MappingValue WithoutNulls(MappingValue value, bool topLevel)
    {
        if (value.IsNull)
        {
            return topLevel ? MappingValue.Undefined : value;
        }

        if (value.IsObject)
        {
            var result = new MappingObject();
            value.ForEachEntry(result, static (target, key, member) =>
            {
                if (!member.IsNullOrUndefined)
                {
                    target.Set(key, WithoutNulls(member, topLevel: false));
                }
            });
            return MappingValue.FromObject(result);
        }

        if (value.IsArray)
        {
            var items = value.ToItems();
            var result = new MappingValue[items.Length];
            for (var i = 0; i < items.Length; i++)
            {
                result[i] = WithoutNulls(items[i], topLevel: false);
            }

            return MappingValue.FromArray(result);
        }

        return value;
    }
}

/// <summary>Removes undefined members from built objects, at every depth, as Segment does after resolving.</summary>
internal static class Undefineds
{
    public static MappingValue Remove(MappingValue value)
    {
        switch (value.Kind)
        {
            case ValueKind.Object:
                var source = value.BuiltObject;
                var result = new MappingObject(source.Count);
                for (var i = 0; i < source.Count; i++)
                {
                    var member = source.ValueAt(i);
                    if (!member.IsUndefined)
                    {
                        result.AddNew(source.KeyAt(i), Remove(member));
                    }
                }

                return MappingValue.FromObject(result);
            case ValueKind.Array:
                var items = value.BuiltArray;
                var cleaned = new MappingValue[items.Length];
                for (var i = 0; i < items.Length; i++)
                {
                    cleaned[i] = Remove(items[i]);
                }

                return MappingValue.FromArray(cleaned);
            default:
                return value;
        }
    }
}
