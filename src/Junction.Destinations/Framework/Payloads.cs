using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Junction.Destinations.Framework;

/// <summary>
/// Typed reads of a mapped payload (<see cref="DeliveryItem.Payload"/>) and small edits of the objects a destination
/// builds from it. Each read takes a key of an object (<c>payload.Text("user_id")</c>) or a node
/// (<c>Payloads.Text(payload["user_id"])</c>) and answers null for a value that is missing or of another kind.
/// </summary>
internal static partial class Payloads
{
    /// <summary>A non-empty string, or a number as its JSON text (ids are often numbers); null otherwise.</summary>
    public static string? Text(this JsonObject payload, string key) => Text(payload[key]);

    /// <inheritdoc cref="Text(JsonObject, string)"/>
    public static string? Text(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text.Length > 0 ? text : null,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => value.ToJsonString(),
        _ => null,
    };

    /// <summary>Like <see cref="Text(JsonObject, string)"/>, and a boolean as <c>true</c> or <c>false</c>.</summary>
    public static string? ScalarText(this JsonObject payload, string key) => ScalarText(payload[key]);

    /// <inheritdoc cref="ScalarText(JsonObject, string)"/>
    public static string? ScalarText(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? value.ToJsonString() : Text(node);

    /// <summary>A non-empty JSON string only: numbers, booleans and empty strings are null.</summary>
    public static string? JsonString(this JsonObject payload, string key) => JsonString(payload[key]);

    /// <inheritdoc cref="JsonString(JsonObject, string)"/>
    public static string? JsonString(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    /// <summary>A number, or a string holding one; null otherwise.</summary>
    public static double? Number(this JsonObject payload, string key) => Number(payload[key]);

    /// <inheritdoc cref="Number(JsonObject, string)"/>
    public static double? Number(JsonNode? node) => node switch
    {
        // Read through the JSON text: a mapped value may hold a long, a decimal or a JsonElement, not always a double.
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValue value when value.TryGetValue<string>(out var text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    /// <summary>A boolean, or <paramref name="fallback"/> when the value is missing or not a boolean.</summary>
    public static bool Flag(this JsonObject payload, string key, bool fallback = false) =>
        payload[key] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : fallback;

    /// <summary>An object with at least one property (the payload's own, not a copy), or null.</summary>
    public static JsonObject? NonEmptyObject(this JsonObject payload, string key) =>
        payload[key] is JsonObject { Count: > 0 } value ? value : null;

    /// <summary>A copy of an object, or an empty object when the value is missing or not an object.</summary>
    public static JsonObject ObjectCopy(this JsonObject payload, string key) =>
        payload[key] is JsonObject value ? (JsonObject)value.DeepClone() : [];

    /// <summary>Sets <paramref name="key"/> to a copy of <paramref name="value"/> when it is not null.</summary>
    public static void SetIfPresent(this JsonObject target, string key, JsonNode? value)
    {
        if (value is not null)
        {
            target[key] = value.DeepClone();
        }
    }

    /// <summary>Copies the present, non-null values named in <paramref name="keys"/> from one object to another, renaming them.</summary>
    public static void CopyFields(JsonObject from, JsonObject to, IEnumerable<(string From, string To)> keys)
    {
        foreach (var (source, target) in keys)
        {
            to.SetIfPresent(target, from[source]);
        }
    }

    /// <summary>
    /// A point in time: a number (or numeric string) read as Unix milliseconds, else any date and time
    /// <see cref="ParseTime"/> reads. Null when missing or unreadable.
    /// </summary>
    public static DateTimeOffset? Instant(this JsonObject payload, string key)
    {
        if (payload.Number(key) is { } millis)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds((long)millis);
        }

        return payload.ScalarText(key) is { } text ? ParseTime(text) : null;
    }

    /// <summary>
    /// A point in time as Unix seconds. A number (or numeric string) is taken as seconds already and kept; a string is
    /// read with <see cref="IsoTime"/>, or with <see cref="ParseTime"/> when <paramref name="anyDateForm"/> is set.
    /// </summary>
    public static long? UnixSeconds(JsonNode? node, bool anyDateForm = false) =>
        Number(node) is { } seconds ? (long)seconds
        : JsonString(node) is { } text && (anyDateForm ? ParseTime(text) : IsoTime(text)) is { } time ? time.ToUnixTimeSeconds()
        : null;

    /// <summary>Any date and time <see cref="DateTimeOffset"/> reads in the invariant culture; UTC when it has no offset.</summary>
    public static DateTimeOffset? ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    /// <summary>
    /// An ISO-8601 date-time (<c>2024-05-01T10:00:00Z</c>, with or without fractions and offset; a bare date is not
    /// one). Strings that merely contain digits, such as <c>"1714557600"</c>, are left alone.
    /// </summary>
    public static DateTimeOffset? IsoTime(string text) => IsoDateTime().IsMatch(text) ? ParseTime(text) : null;

    /// <summary>
    /// A copy of <paramref name="node"/> in which every ISO-8601 date-time string, at any depth, is replaced by
    /// <paramref name="convert"/>'s value.
    /// </summary>
    public static JsonNode? ConvertTimes(JsonNode? node, Func<DateTimeOffset, JsonNode> convert) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, ConvertTimes(p.Value, convert)))),
        JsonArray array => new JsonArray([.. array.Select(item => ConvertTimes(item, convert))]),
        JsonValue value when value.TryGetValue<string>(out var text) && IsoTime(text) is { } time => convert(time),
        _ => node?.DeepClone(),
    };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDateTime();
}
