using System.Text.Json;

namespace Junction.Protocols.Plans.Schema;

/// <summary>
/// The array keywords: <c>items</c> (one schema for every item, or one per position with <c>additionalItems</c>
/// for the rest), <c>contains</c>, <c>minItems</c>, <c>maxItems</c> and <c>uniqueItems</c>.
/// </summary>
internal sealed class ArrayCheck(
    SchemaNode? items,
    SchemaNode[]? tupleItems,
    SchemaNode? additionalItems,
    bool additionalItemsForbidden,
    SchemaNode? contains,
    int? minItems,
    int? maxItems,
    bool uniqueItems) : SchemaCheck
{
    public override bool Validate(JsonElement instance, SchemaRun run)
    {
        if (instance.ValueKind != JsonValueKind.Array)
        {
            return true;
        }

        var valid = true;
        var count = instance.GetArrayLength();
        if (count < minItems)
        {
            run.Report(ViolationTypes.InvalidLength, $"Array must have at least {minItems} items");
            valid = false;
        }
        else if (count > maxItems)
        {
            run.Report(ViolationTypes.InvalidLength, $"Array must have at most {maxItems} items");
            valid = false;
        }

        if (!valid && !run.Collecting)
        {
            return false;
        }

        if (items is not null || tupleItems is not null)
        {
            var index = 0;
            foreach (var item in instance.EnumerateArray())
            {
                SchemaNode? schema;
                if (tupleItems is null)
                {
                    schema = items;
                }
                else if (index < tupleItems.Length)
                {
                    schema = tupleItems[index];
                }
                else if (additionalItemsForbidden)
                {
                    run.Report(ViolationTypes.InvalidLength, $"Array must have at most {tupleItems.Length} items (no additional items are allowed)");
                    valid = false;
                    break;
                }
                else
                {
                    schema = additionalItems;
                }

                if (schema is not null && !schema.AcceptsAll)
                {
                    run.Push(index);
                    var itemValid = schema.Validate(item, run);
                    run.Pop();
                    if (!itemValid)
                    {
                        valid = false;
                        if (!run.Collecting)
                        {
                            return false;
                        }
                    }
                }

                index++;
            }
        }

        if (contains is not null && !Contains(instance, contains, run))
        {
            run.Report(ViolationTypes.InvalidValue, "At least one of the items must match the \"contains\" schema");
            valid = false;
            if (!run.Collecting)
            {
                return false;
            }
        }

        if (uniqueItems && count > 1 && FindDuplicate(instance) is var (first, second) && first >= 0)
        {
            run.Report(ViolationTypes.InvalidValue, $"Array items {first} and {second} must be unique");
            valid = false;
        }

        return valid;
    }

    private static bool Contains(JsonElement array, SchemaNode schema, SchemaRun run)
    {
        run.BeginQuiet();
        try
        {
            foreach (var item in array.EnumerateArray())
            {
                if (schema.Validate(item, run))
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            run.EndQuiet();
        }
    }

    private static (int First, int Second) FindDuplicate(JsonElement array)
    {
        var count = array.GetArrayLength();
        for (var i = 0; i < count; i++)
        {
            var left = array[i];
            for (var j = i + 1; j < count; j++)
            {
                if (JsonText.SameValue(left, array[j]))
                {
                    return (i, j);
                }
            }
        }

        return (-1, -1);
    }
}
