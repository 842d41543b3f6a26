using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Junction.Subscriptions;

/// <summary>
/// A compiled condition tree. Field names and path steps are encoded once, so matching an event reads the JSON in
/// place: no parsing, and no allocation for the common <c>type</c>, <c>event</c> and number tests.
/// </summary>
internal abstract class TriggerMatcher
{
    /// <summary>True when the event (a JSON object) satisfies this node. Never throws for a live element.</summary>
    public abstract bool Matches(JsonElement message);

    public static TriggerMatcher Compile(TriggerNode node) => node switch
    {
        TriggerGroup { Join: TriggerJoin.Or } group => new AnyOf([.. group.Children.Select(Compile)]),
        TriggerGroup group => new AllOf([.. group.Children.Select(Compile)]),
        TriggerCondition condition => new FieldTest(condition),
        _ => throw new ArgumentException("A trigger holds only groups and conditions.", nameof(node)),
    };

    private sealed class AllOf(TriggerMatcher[] children) : TriggerMatcher
    {
        public override bool Matches(JsonElement message)
        {
            foreach (var child in children)
            {
                if (!child.Matches(message))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private sealed class AnyOf(TriggerMatcher[] children) : TriggerMatcher
    {
        public override bool Matches(JsonElement message)
        {
            foreach (var child in children)
            {
                if (child.Matches(message))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>One condition: where to look, and how to compare what is found.</summary>
    private sealed class FieldTest : TriggerMatcher
    {
        private readonly byte[] _member;
        private readonly PathStep[] _steps;
        private readonly TriggerOperator _operator;
        private readonly string _text;
        private readonly byte[] _textUtf8;
        private readonly double _number;

        public FieldTest(TriggerCondition condition)
        {
            _member = Encoding.UTF8.GetBytes(TriggerRules.FieldName(condition.Field));
            _steps = condition.Path is { } path
                ? [.. path.Split(['.', '[', ']'], StringSplitOptions.RemoveEmptyEntries).Select(PathStep.Of)]
                : [];
            _operator = condition.Operator;
            _text = condition.Text ?? "";
            _textUtf8 = Encoding.UTF8.GetBytes(_text);
            _number = condition.Number ?? 0;
        }

        public override bool Matches(JsonElement message) => Compare(Find(message));

        /// <summary>
        /// Reads the field the way Segment's lookup does: each step indexes the value found so far, and a value
        /// that is missing or JavaScript-falsy (null, false, 0, "") ends the walk and is itself the result.
        /// </summary>
        private Found Find(JsonElement message)
        {
            if (!message.TryGetProperty(_member, out var element))
            {
                return default;
            }

            var found = new Found(element);
            foreach (var step in _steps)
            {
                if (found.IsFalsy)
                {
                    return found;
                }

                found = found.Step(step);
            }

            return found;
        }

        private bool Compare(Found actual) => _operator switch
        {
            TriggerOperator.EqualTo => actual.TextEquals(_text),
            TriggerOperator.NotEqualTo => !actual.TextEquals(_text),
            TriggerOperator.NumberEqualTo => actual.TryNumber(out var n) && n == _number,
            TriggerOperator.NumberNotEqualTo => actual.TryNumber(out var n) && n != _number,
            TriggerOperator.LessThan => actual.TryNumber(out var n) && n < _number,
            TriggerOperator.LessThanOrEqual => actual.TryNumber(out var n) && n <= _number,
            TriggerOperator.GreaterThan => actual.TryNumber(out var n) && n > _number,
            TriggerOperator.GreaterThanOrEqual => actual.TryNumber(out var n) && n >= _number,
            TriggerOperator.Contains or TriggerOperator.NotContains
                or TriggerOperator.StartsWith or TriggerOperator.NotStartsWith
                or TriggerOperator.EndsWith or TriggerOperator.NotEndsWith => actual.IsString && CompareText(actual),
            TriggerOperator.Exists => actual.IsPresent,
            TriggerOperator.NotExists => !actual.IsPresent,
            TriggerOperator.IsTrue => actual is { Kind: FoundKind.Json, Element.ValueKind: JsonValueKind.True },
            TriggerOperator.IsFalse => actual is { Kind: FoundKind.Json, Element.ValueKind: JsonValueKind.False },
            _ => false,
        };

        /// <summary>
        /// The text operators, case-sensitive. A JSON string without escapes is compared as its UTF-8 bytes, which
        /// gives the same answer as comparing the decoded text; one with escapes is decoded first.
        /// </summary>
        private bool CompareText(Found actual)
        {
            if (actual.Kind == FoundKind.Json)
            {
                var raw = JsonMarshal.GetRawUtf8Value(actual.Element);
                var content = raw[1..^1];
                if (!content.Contains((byte)'\\'))
                {
                    return _operator switch
                    {
                        TriggerOperator.Contains => content.IndexOf(_textUtf8) >= 0,
                        TriggerOperator.NotContains => content.IndexOf(_textUtf8) < 0,
                        TriggerOperator.StartsWith => content.StartsWith(_textUtf8),
                        TriggerOperator.NotStartsWith => !content.StartsWith(_textUtf8),
                        TriggerOperator.EndsWith => content.EndsWith(_textUtf8),
                        _ => !content.EndsWith(_textUtf8),
                    };
                }
            }

            var text = actual.GetString();
            return _operator switch
            {
                TriggerOperator.Contains => text.Contains(_text, StringComparison.Ordinal),
                TriggerOperator.NotContains => !text.Contains(_text, StringComparison.Ordinal),
                TriggerOperator.StartsWith => text.StartsWith(_text, StringComparison.Ordinal),
                TriggerOperator.NotStartsWith => !text.StartsWith(_text, StringComparison.Ordinal),
                TriggerOperator.EndsWith => text.EndsWith(_text, StringComparison.Ordinal),
                _ => !text.EndsWith(_text, StringComparison.Ordinal),
            };
        }
    }

    /// <summary>
    /// One step of a path: a member name, and the array (or string) index it also denotes when it is a canonical
    /// non-negative integer such as <c>0</c> or <c>12</c> (not <c>01</c>), as JavaScript indexing has it.
    /// </summary>
    private sealed record PathStep(string Name, byte[] Utf8, int Index)
    {
        public static PathStep Of(string name)
        {
            var canonical = name.Length > 0 && name.All(char.IsAsciiDigit) && (name.Length == 1 || name[0] != '0');
            var index = canonical && int.TryParse(name, System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : -1;
            return new(name, Encoding.UTF8.GetBytes(name), index);
        }

        public bool IsLength => Name == "length";
    }

    private enum FoundKind : byte
    {
        Missing,
        Json,

        /// <summary>One character taken from a string by index, as <c>"abc"[0]</c> gives in JavaScript.</summary>
        Character,

        /// <summary>The <c>length</c> of an array or string.</summary>
        Length,
    }

    /// <summary>What a lookup found: nothing, a JSON value, or one of the two values JavaScript derives from one.</summary>
    private readonly record struct Found(FoundKind Kind, JsonElement Element, string? Character, int Length)
    {
        public Found(JsonElement element)
            : this(FoundKind.Json, element, null, 0)
        {
        }

        public bool IsPresent => Kind != FoundKind.Missing && !(Kind == FoundKind.Json && Element.ValueKind == JsonValueKind.Null);

        public bool IsString => Kind == FoundKind.Character || (Kind == FoundKind.Json && Element.ValueKind == JsonValueKind.String);

        public bool IsFalsy => Kind switch
        {
            FoundKind.Missing => true,
            FoundKind.Length => Length == 0,
            FoundKind.Character => false,
            _ => Element.ValueKind switch
            {
                JsonValueKind.Null or JsonValueKind.False => true,
                JsonValueKind.Number => Element.TryGetDouble(out var n) && n == 0,
                JsonValueKind.String => Element.ValueEquals(""u8),
                _ => false,
            },
        };

        public string GetString() => Kind == FoundKind.Character ? Character! : Element.GetString()!;

        public bool TextEquals(string text) => Kind switch
        {
            FoundKind.Character => string.Equals(Character, text, StringComparison.Ordinal),
            FoundKind.Json => Element.ValueKind == JsonValueKind.String && Element.ValueEquals(text),
            _ => false,
        };

        public bool TryNumber(out double number)
        {
            number = Kind == FoundKind.Length ? Length : 0;
            return Kind == FoundKind.Length
                || (Kind == FoundKind.Json && Element.ValueKind == JsonValueKind.Number && Element.TryGetDouble(out number));
        }

        /// <summary>Indexes this (truthy) value: object members, array elements and <c>length</c>, string characters and <c>length</c>.</summary>
        public Found Step(PathStep step)
        {
            if (Kind != FoundKind.Json)
            {
                // A character has a length of one; a length is a number, which has no members.
                return Kind == FoundKind.Character && step.IsLength ? new(FoundKind.Length, default, null, 1)
                    : Kind == FoundKind.Character && step.Index == 0 ? this
                    : default;
            }

            switch (Element.ValueKind)
            {
                case JsonValueKind.Object:
                    return Element.TryGetProperty(step.Utf8, out var member) ? new(member) : default;
                case JsonValueKind.Array:
                    var count = Element.GetArrayLength();
                    return step.Index >= 0 && step.Index < count ? new(Element[step.Index])
                        : step.IsLength ? new(FoundKind.Length, default, null, count)
                        : default;
                case JsonValueKind.String:
                    var text = Element.GetString()!;
                    return step.Index >= 0 && step.Index < text.Length ? new(FoundKind.Character, default, text[step.Index].ToString(), 0)
                        : step.IsLength ? new(FoundKind.Length, default, null, text.Length)
                        : default;
                default:
                    return default;
            }
        }
    }
}
