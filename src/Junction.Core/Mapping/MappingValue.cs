using System.Globalization;
using System.Text.Json;

namespace Junction.Mapping;

/// <summary>What a <see cref="MappingValue"/> holds.</summary>
internal enum ValueKind : byte
{
    /// <summary>No value: JavaScript's <c>undefined</c>. A field that ends up undefined is left out of the payload.</summary>
    Undefined,

    /// <summary>A piece of JSON read from the event or written in the mapping (any JSON type, <c>null</c> included).</summary>
    Json,

    /// <summary>A string built by a directive (a template, a replacement, an encoding...).</summary>
    String,

    /// <summary>An object built by the mapping; its members may still be undefined.</summary>
    Object,

    /// <summary>An array built by the mapping; its items may still be undefined.</summary>
    Array,
}

/// <summary>
/// One value while a mapping is evaluated. Values read from the event stay <see cref="JsonElement"/>s, so reading
/// a path copies nothing; only what directives build is allocated.
/// </summary>
internal readonly struct MappingValue
{
    private static readonly JsonElement NullElement = Parse("null");
    private static readonly JsonElement TrueElement = Parse("true");
    private static readonly JsonElement FalseElement = Parse("false");

    private readonly JsonElement _json;
    private readonly object? _built;

    private MappingValue(ValueKind kind, JsonElement json, object? built)
    {
        Kind = kind;
        _json = json;
        _built = built;
    }

    public ValueKind Kind { get; }

    public static MappingValue Undefined => default;

    public static MappingValue Null => new(ValueKind.Json, NullElement, null);

    public bool IsUndefined => Kind == ValueKind.Undefined;

    /// <summary>The element of a <see cref="ValueKind.Json"/> value.</summary>
    public JsonElement Json => _json;

    /// <summary>The text of a <see cref="ValueKind.String"/> value.</summary>
    public string BuiltString => (string)_built!;

    public MappingObject BuiltObject => (MappingObject)_built!;

    public MappingValue[] BuiltArray => (MappingValue[])_built!;

    /// <summary>True for undefined and for JSON <c>null</c>.</summary>
    public bool IsNullOrUndefined => Kind == ValueKind.Undefined || (Kind == ValueKind.Json && _json.ValueKind == JsonValueKind.Null);

    public bool IsNull => Kind == ValueKind.Json && _json.ValueKind == JsonValueKind.Null;

    /// <summary>True for a JSON object, read or built (what JavaScript's <c>realTypeOf</c> calls "object").</summary>
    public bool IsObject => Kind == ValueKind.Object || (Kind == ValueKind.Json && _json.ValueKind == JsonValueKind.Object);

    public bool IsArray => Kind == ValueKind.Array || (Kind == ValueKind.Json && _json.ValueKind == JsonValueKind.Array);

    public bool IsNumber => Kind == ValueKind.Json && _json.ValueKind == JsonValueKind.Number;

    public bool IsBoolean => Kind == ValueKind.Json && _json.ValueKind is JsonValueKind.True or JsonValueKind.False;

    public static MappingValue FromJson(JsonElement element) => new(ValueKind.Json, element, null);

    public static MappingValue FromString(string text) => new(ValueKind.String, default, text);

    public static MappingValue FromObject(MappingObject value) => new(ValueKind.Object, default, value);

    public static MappingValue FromArray(MappingValue[] items) => new(ValueKind.Array, default, items);

    public static MappingValue FromBoolean(bool value) => FromJson(value ? TrueElement : FalseElement);

    /// <summary>A number; only the <c>length</c> of an array or string is computed this way, so the cost is rare.</summary>
    public static MappingValue FromNumber(int value) => FromJson(Parse(value.ToString(CultureInfo.InvariantCulture)));

    public bool TryGetString(out string text)
    {
        if (Kind == ValueKind.String)
        {
            text = BuiltString;
            return true;
        }

        if (Kind == ValueKind.Json && _json.ValueKind == JsonValueKind.String)
        {
            text = _json.GetString()!;
            return true;
        }

        text = "";
        return false;
    }

    /// <summary>The number of a JSON number; JSON text too large for a double reads as infinity, as in JavaScript.</summary>
    public double GetNumber() => _json.TryGetDouble(out var number) ? number : double.NaN;

    /// <summary>The items of an array, read or built.</summary>
    public MappingValue[] ToItems()
    {
        if (Kind == ValueKind.Array)
        {
            return BuiltArray;
        }

        var items = new MappingValue[_json.GetArrayLength()];
        var index = 0;
        foreach (var item in _json.EnumerateArray())
        {
            items[index++] = FromJson(item);
        }

        return items;
    }

    /// <summary>
    /// Calls <paramref name="visit"/> for every own member as JavaScript's <c>Object.entries</c> lists them: the
    /// members of an object, the indexes of an array, the characters of a string. Other values have none.
    /// </summary>
    public void ForEachEntry<TState>(TState state, Action<TState, string, MappingValue> visit)
    {
        switch (Kind)
        {
            case ValueKind.Object:
                var built = BuiltObject;
                for (var i = 0; i < built.Count; i++)
                {
                    visit(state, built.KeyAt(i), built.ValueAt(i));
                }

                break;
            case ValueKind.Array:
                var items = BuiltArray;
                for (var i = 0; i < items.Length; i++)
                {
                    visit(state, i.ToString(CultureInfo.InvariantCulture), items[i]);
                }

                break;
            case ValueKind.String:
                VisitCharacters(BuiltString, state, visit);
                break;
            case ValueKind.Json when _json.ValueKind == JsonValueKind.Object:
                foreach (var member in _json.EnumerateObject())
                {
                    visit(state, member.Name, FromJson(member.Value));
                }

                break;
            case ValueKind.Json when _json.ValueKind == JsonValueKind.Array:
                var index = 0;
                foreach (var item in _json.EnumerateArray())
                {
                    visit(state, index++.ToString(CultureInfo.InvariantCulture), FromJson(item));
                }

                break;
            case ValueKind.Json when _json.ValueKind == JsonValueKind.String:
                VisitCharacters(_json.GetString()!, state, visit);
                break;
        }
    }

    /// <summary>
    /// One step of a path: an object's own member, an array's item by index, a string's character by index, or
    /// the <c>length</c> of an array or string. Anything else is undefined.
    /// </summary>
    public MappingValue Member(string key)
    {
        switch (Kind)
        {
            case ValueKind.Object:
                return BuiltObject.TryGet(key, out var member) ? member : Undefined;
            case ValueKind.Array:
                var items = BuiltArray;
                if (TryParseIndex(key, out var index))
                {
                    return index < items.Length ? items[index] : Undefined;
                }

                return key == "length" ? FromNumber(items.Length) : Undefined;
            case ValueKind.String:
                return StringMember(BuiltString, key);
            case ValueKind.Json:
                return JsonMember(key);
            default:
                return Undefined;
        }
    }

    private MappingValue JsonMember(string key)
    {
        switch (_json.ValueKind)
        {
            case JsonValueKind.Object:
                return _json.TryGetProperty(key, out var member) ? FromJson(member) : Undefined;
            case JsonValueKind.Array:
                if (TryParseIndex(key, out var index))
                {
                    return index < _json.GetArrayLength() ? FromJson(_json[index]) : Undefined;
                }

                return key == "length" ? FromNumber(_json.GetArrayLength()) : Undefined;
            case JsonValueKind.String:
                return StringMember(_json.GetString()!, key);
            default:
                return Undefined;
        }
    }

    private static MappingValue StringMember(string text, string key)
    {
        if (TryParseIndex(key, out var index))
        {
            return index < text.Length ? FromString(text[index].ToString()) : Undefined;
        }

        return key == "length" ? FromNumber(text.Length) : Undefined;
    }

    private static void VisitCharacters<TState>(string text, TState state, Action<TState, string, MappingValue> visit)
    {
        for (var i = 0; i < text.Length; i++)
        {
            visit(state, i.ToString(CultureInfo.InvariantCulture), FromString(text[i].ToString()));
        }
    }

    /// <summary>An array index as JavaScript writes it: "0", or digits without a leading zero.</summary>
    private static bool TryParseIndex(string key, out int index)
    {
        index = 0;
        if (key.Length == 0 || key.Length > 9 || !key.All(char.IsAsciiDigit) || (key.Length > 1 && key[0] == '0'))
        {
            return false;
        }

        index = int.Parse(key, NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
