using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Junction.Fql;

/// <summary>The kinds of value an FQL expression works with; <see cref="Error"/> carries an evaluation failure.</summary>
internal enum FqlKind : byte
{
    Null,
    Bool,
    Number,
    String,
    List,
    Object,
    Error,
}

/// <summary>
/// One value during evaluation. Strings, lists and objects read from the event stay as the
/// <see cref="JsonElement"/> they came from, so looking a field up and comparing it with a literal allocates
/// nothing; literal strings and lists, and the results of functions, are held as .NET objects instead.
/// </summary>
internal readonly struct FqlValue
{
    private readonly double _number;
    private readonly object? _reference;
    private readonly JsonElement _element;
    private readonly bool _fromElement;

    private FqlValue(FqlKind kind, double number = 0, object? reference = null, JsonElement element = default, bool fromElement = false)
    {
        Kind = kind;
        _number = number;
        _reference = reference;
        _element = element;
        _fromElement = fromElement;
    }

    public FqlKind Kind { get; }

    public static FqlValue Null => default;

    public static FqlValue True { get; } = new(FqlKind.Bool, number: 1);

    public static FqlValue False { get; } = new(FqlKind.Bool, number: 0);

    public bool IsError => Kind == FqlKind.Error;

    public bool Bool => _number != 0;

    public double Number => _number;

    /// <summary>The failure message of an <see cref="FqlKind.Error"/> value.</summary>
    public string ErrorMessage => _reference as string ?? "";

    /// <summary>True when this string, list or object is a view over the event's JSON.</summary>
    public bool IsElement => _fromElement;

    public JsonElement Element => _element;

    public static FqlValue FromBool(bool value) => value ? True : False;

    public static FqlValue FromNumber(double value) => new(FqlKind.Number, number: value);

    public static FqlValue FromString(string value) => new(FqlKind.String, reference: value);

    public static FqlValue FromList(FqlValue[] items) => new(FqlKind.List, reference: items);

    public static FqlValue Fail(string message) => new(FqlKind.Error, reference: message);

    public static FqlValue FromElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => new(FqlKind.String, element: element, fromElement: true),
        JsonValueKind.Number => element.TryGetDouble(out var number) && double.IsFinite(number)
            ? FromNumber(number)
            : Fail("A number in the event is too large to compare."),
        JsonValueKind.True => True,
        JsonValueKind.False => False,
        JsonValueKind.Array => new(FqlKind.List, element: element, fromElement: true),
        JsonValueKind.Object => new(FqlKind.Object, element: element, fromElement: true),
        _ => Null,
    };

    /// <summary>The items of a literal list; null when the list is a JSON array from the event.</summary>
    public FqlValue[]? LiteralItems => _reference as FqlValue[];

    public int ListCount => _fromElement ? _element.GetArrayLength() : LiteralItems!.Length;

    public FqlListEnumerator EnumerateList() => _fromElement ? new(_element.EnumerateArray()) : new(LiteralItems!);

    /// <summary>The text of a string value; allocates when the string comes from the event.</summary>
    public string GetString() => _fromElement ? _element.GetString()! : (string)_reference!;

    /// <summary>
    /// The characters of a string value. A string from the event is decoded into <paramref name="scratch"/> when
    /// it has no escape sequences and fits; otherwise it is read into a new string.
    /// </summary>
    public ReadOnlySpan<char> GetChars(Span<char> scratch)
    {
        if (!_fromElement)
        {
            return (string)_reference!;
        }

        var inner = RawStringBytes();
        if (inner.Length <= scratch.Length && !inner.Contains((byte)'\\'))
        {
            return scratch[..Encoding.UTF8.GetChars(inner, scratch)];
        }

        return _element.GetString();
    }

    /// <summary>The number of UTF-8 bytes of a string value.</summary>
    public int Utf8Length()
    {
        if (!_fromElement)
        {
            return Encoding.UTF8.GetByteCount((string)_reference!);
        }

        var inner = RawStringBytes();
        return inner.Contains((byte)'\\') ? Encoding.UTF8.GetByteCount(_element.GetString()!) : inner.Length;
    }

    /// <summary>The UTF-8 bytes between the quotes of a string from the event, escapes included.</summary>
    private ReadOnlySpan<byte> RawStringBytes()
    {
        var raw = JsonMarshal.GetRawUtf8Value(_element);
        return raw[1..^1];
    }

    /// <summary>The name <c>typeof</c> gives this kind.</summary>
    public string TypeName => Kind switch
    {
        FqlKind.Null => "null",
        FqlKind.Bool => "bool",
        FqlKind.Number => "number",
        FqlKind.String => "string",
        FqlKind.List => "list",
        FqlKind.Object => "object",
        _ => "error",
    };

    /// <summary>
    /// Strict equality: values of different kinds are never equal; numbers compare by value, strings ordinally,
    /// lists item by item and objects key by key.
    /// </summary>
    public static bool StrictEquals(in FqlValue left, in FqlValue right)
    {
        if (left.Kind != right.Kind)
        {
            return false;
        }

        switch (left.Kind)
        {
            case FqlKind.Null:
                return true;
            case FqlKind.Bool:
            case FqlKind.Number:
                return left._number == right._number;
            case FqlKind.String:
                if (left._fromElement && right._fromElement)
                {
                    return JsonElement.DeepEquals(left._element, right._element);
                }

                if (left._fromElement)
                {
                    return left._element.ValueEquals((string)right._reference!);
                }

                return right._fromElement
                    ? right._element.ValueEquals((string)left._reference!)
                    : string.Equals((string?)left._reference, (string?)right._reference, StringComparison.Ordinal);
            case FqlKind.List:
                return ListEquals(left, right);
            case FqlKind.Object:
                return JsonElement.DeepEquals(left._element, right._element);
            default:
                return false;
        }
    }

    private static bool ListEquals(in FqlValue left, in FqlValue right)
    {
        if (left._fromElement && right._fromElement)
        {
            return JsonElement.DeepEquals(left._element, right._element);
        }

        if (left.ListCount != right.ListCount)
        {
            return false;
        }

        var a = left.EnumerateList();
        var b = right.EnumerateList();
        while (a.MoveNext() && b.MoveNext())
        {
            if (!StrictEquals(a.Current, b.Current))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes the value as compact JSON (used by <c>string()</c> for lists and objects).</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        switch (Kind)
        {
            case FqlKind.Null:
                writer.WriteNullValue();
                break;
            case FqlKind.Bool:
                writer.WriteBooleanValue(Bool);
                break;
            case FqlKind.Number:
                writer.WriteNumberValue(_number);
                break;
            case FqlKind.String when !_fromElement:
                writer.WriteStringValue((string)_reference!);
                break;
            case FqlKind.List when !_fromElement:
                writer.WriteStartArray();
                foreach (var item in LiteralItems!)
                {
                    item.WriteTo(writer);
                }

                writer.WriteEndArray();
                break;
            default:
                _element.WriteTo(writer);
                break;
        }
    }

    public override string ToString() => Kind switch
    {
        FqlKind.Number => _number.ToString("R", CultureInfo.InvariantCulture),
        FqlKind.String => GetString(),
        FqlKind.Error => "error: " + ErrorMessage,
        _ => TypeName,
    };
}

/// <summary>Walks a literal list or a JSON array without allocating.</summary>
internal struct FqlListEnumerator
{
    private readonly FqlValue[]? _items;
    private JsonElement.ArrayEnumerator _array;
    private int _index;

    public FqlListEnumerator(FqlValue[] items)
    {
        _items = items;
        _index = -1;
    }

    public FqlListEnumerator(JsonElement.ArrayEnumerator array)
    {
        _array = array;
        _index = -1;
    }

    public FqlValue Current { get; private set; }

    public bool MoveNext()
    {
        if (_items is not null)
        {
            if (++_index >= _items.Length)
            {
                return false;
            }

            Current = _items[_index];
            return true;
        }

        if (!_array.MoveNext())
        {
            return false;
        }

        Current = FqlValue.FromElement(_array.Current);
        return true;
    }
}
