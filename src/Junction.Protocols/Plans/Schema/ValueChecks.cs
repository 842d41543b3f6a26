using System.Text.Json;

namespace Junction.Protocols.Plans.Schema;

/// <summary>The JSON Schema type names a <c>type</c> keyword can list.</summary>
[Flags]
internal enum JsonTypes
{
    None = 0,
    Null = 1,
    Boolean = 2,
    Object = 4,
    Array = 8,
    Number = 16,
    String = 32,
    Integer = 64,
}

/// <summary><c>type</c>: the value must be of one of the listed types (an integer also counts as a number).</summary>
internal sealed class TypeCheck(JsonTypes allowed, string expected) : SchemaCheck
{
    public override bool Validate(JsonElement instance, SchemaRun run)
    {
        var valid = instance.ValueKind switch
        {
            JsonValueKind.String => (allowed & JsonTypes.String) != 0,
            JsonValueKind.Number => (allowed & JsonTypes.Number) != 0 || ((allowed & JsonTypes.Integer) != 0 && JsonText.IsInteger(instance)),
            JsonValueKind.True or JsonValueKind.False => (allowed & JsonTypes.Boolean) != 0,
            JsonValueKind.Object => (allowed & JsonTypes.Object) != 0,
            JsonValueKind.Array => (allowed & JsonTypes.Array) != 0,
            _ => (allowed & JsonTypes.Null) != 0,
        };
        if (!valid)
        {
            run.Report(ViolationTypes.InvalidType, $"Invalid type. Expected: {expected}, given: {JsonText.TypeName(instance)}");
        }

        return valid;
    }
}

/// <summary><c>enum</c>: the value must equal one of the listed values. Lists of strings are looked up in a set.</summary>
internal sealed class EnumCheck : SchemaCheck
{
    private readonly JsonElement[] _values;
    private readonly HashSet<string>? _strings;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly bool _hasNonStrings;
    private readonly string _shown;

    public EnumCheck(JsonElement[] values)
    {
        _values = values;
        _hasNonStrings = values.Any(v => v.ValueKind != JsonValueKind.String);
        if (values.Any(v => v.ValueKind == JsonValueKind.String))
        {
            _strings = new HashSet<string>(values.Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!), StringComparer.Ordinal);
            _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        var shown = string.Join(", ", values.Take(20).Select(JsonText.Show));
        _shown = values.Length > 20 ? shown + ", ..." : shown;
    }

    public override bool Validate(JsonElement instance, SchemaRun run)
    {
        bool valid;
        if (instance.ValueKind == JsonValueKind.String)
        {
            Span<char> scratch = stackalloc char[JsonText.Scratch];
            valid = _strings is not null && _lookup.Contains(JsonText.Chars(instance, scratch));
        }
        else
        {
            valid = false;
            if (_hasNonStrings)
            {
                foreach (var value in _values)
                {
                    if (JsonText.SameValue(instance, value))
                    {
                        valid = true;
                        break;
                    }
                }
            }
        }

        if (!valid)
        {
            run.Report(ViolationTypes.InvalidValue, $"Must be one of the following: {_shown}");
        }

        return valid;
    }
}

/// <summary><c>const</c>: the value must equal the given value.</summary>
internal sealed class ConstCheck(JsonElement value) : SchemaCheck
{
    public override bool Validate(JsonElement instance, SchemaRun run)
    {
        if (JsonText.SameValue(instance, value))
        {
            return true;
        }

        run.Report(ViolationTypes.InvalidValue, $"Must be equal to {JsonText.Show(value)}");
        return false;
    }
}
