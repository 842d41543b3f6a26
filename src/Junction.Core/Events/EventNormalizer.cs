using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Junction.Events;

/// <summary>What a request shares with every event in it.</summary>
internal sealed class NormalizationContext
{
    public required string SourceId { get; init; }

    public required string WorkspaceId { get; init; }

    /// <summary>Server time at arrival; every event of one request shares it.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The caller's address, stamped as <c>context.ip</c> on browser and mobile events that lack one.</summary>
    public string? RequestIp { get; init; }

    /// <summary>True for the browser's one-letter paths (<c>/v1/t</c>...), whose events are browser traffic.</summary>
    public bool FromBrowserPath { get; init; }

    /// <summary>A batch envelope's <c>context</c>, applied under every item's own context.</summary>
    public JsonElement BatchContext { get; init; }

    /// <summary>A batch envelope's <c>integrations</c>, applied under every item's own.</summary>
    public JsonElement BatchIntegrations { get; init; }

    /// <summary>A batch envelope's <c>sentAt</c>, used when an item has none.</summary>
    public DateTimeOffset? BatchSentAt { get; init; }
}

/// <summary>Facts about one normalized event, and where its JSON sits in the output buffer.</summary>
internal readonly record struct NormalizedEvent(
    EventType Type,
    string MessageId,
    string PartitionKey,
    string? UserId,
    string? AnonymousId,
    string? Name,
    int Start,
    int Length);

/// <summary>
/// Checks one incoming event against the Spec and writes its normalized form: the call type, string ids, a
/// <c>messageId</c> when the caller sent none, <c>receivedAt</c>, <c>originalTimestamp</c> and a
/// <c>timestamp</c> corrected for the device's clock skew, the batch's <c>context</c> and <c>integrations</c>
/// merged under the event's own, <c>context.ip</c> for browser and mobile events, the channel, and the source
/// (<c>projectId</c>) and workspace ids. Every other field is copied byte for byte.
/// </summary>
internal static class EventNormalizer
{
    public const int MaxEventBytes = 32 * 1024;
    public const int MaxIdLength = 1024;
    public const int MaxMessageIdLength = 255;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static Utf8JsonWriter CreateWriter(IBufferWriter<byte> output) => new(output, WriterOptions);

    /// <summary>
    /// Validates <paramref name="item"/> and, when it is acceptable, appends its normalized JSON to the writer's
    /// output. <paramref name="pathType"/> is the type named by the path (<c>/v1/track</c>); null for batch items.
    /// </summary>
    public static Rejection? Normalize(
        JsonElement item,
        EventType? pathType,
        NormalizationContext context,
        ArrayBufferWriter<byte> output,
        Utf8JsonWriter writer,
        out NormalizedEvent result)
    {
        result = default;
        if (item.ValueKind != JsonValueKind.Object)
        {
            return Rejection.NotAnObject;
        }

        var raw = JsonMarshal.GetRawUtf8Value(item);
        if (raw.Length > MaxEventBytes)
        {
            return Rejection.EventTooLarge(MaxEventBytes);
        }

        if (HasLoneSurrogateEscape(raw))
        {
            return Rejection.InvalidText;
        }

        var fields = default(Fields);
        foreach (var property in item.EnumerateObject())
        {
            if (!fields.Take(property))
            {
                return Rejection.DuplicateField(property.Name);
            }
        }

        var rejection = Validate(ref fields, pathType, out var type, out var ids);
        if (rejection is not null)
        {
            return rejection;
        }

        if (!TryTime(fields.Timestamp, "timestamp", out var timestamp, out rejection)
            || !TryTime(fields.OriginalTimestamp, "originalTimestamp", out var originalTimestamp, out rejection)
            || !TryTime(fields.SentAt, "sentAt", out var sentAt, out rejection))
        {
            return rejection;
        }

        var messageId = ids.MessageId ?? NewMessageId(context.ReceivedAt);
        var (original, corrected) = CorrectClock(timestamp ?? originalTimestamp, sentAt ?? context.BatchSentAt, context.ReceivedAt);

        var channel = fields.Channel.ValueKind == JsonValueKind.String ? null : Channel(fields.Context, context);
        var ip = NeedsIp(fields.Context, fields.Channel, channel, context) ? context.RequestIp : null;

        var start = output.WrittenCount;
        writer.Reset(output);
        writer.WriteStartObject();
        writer.WriteString("type"u8, type.Name());
        foreach (var property in item.EnumerateObject())
        {
            if (!Fields.IsManaged(JsonMarshal.GetRawUtf8PropertyName(property)))
            {
                WriteProperty(writer, property);
            }
        }

        WriteId(writer, "userId"u8, ids.UserId);
        WriteId(writer, "anonymousId"u8, ids.AnonymousId);
        WriteId(writer, "groupId"u8, ids.GroupId);
        WriteId(writer, "previousId"u8, ids.PreviousId);

        if (fields.Context.ValueKind == JsonValueKind.Object || context.BatchContext.ValueKind == JsonValueKind.Object || ip is not null)
        {
            writer.WritePropertyName("context"u8);
            WriteMerged(writer, fields.Context, context.BatchContext, ip);
        }

        if (fields.Integrations.ValueKind == JsonValueKind.Object || context.BatchIntegrations.ValueKind == JsonValueKind.Object)
        {
            writer.WritePropertyName("integrations"u8);
            WriteMerged(writer, fields.Integrations, context.BatchIntegrations, ip: null);
        }

        writer.WriteString("messageId"u8, messageId);
        WriteTime(writer, "timestamp"u8, corrected);
        WriteTime(writer, "originalTimestamp"u8, original);
        if ((sentAt ?? context.BatchSentAt) is { } sent)
        {
            WriteTime(writer, "sentAt"u8, sent);
        }

        WriteTime(writer, "receivedAt"u8, context.ReceivedAt);
        if (channel is not null)
        {
            writer.WriteString("channel"u8, channel);
        }
        else
        {
            WriteProperty(writer, "channel"u8, fields.Channel);
        }

        writer.WriteString("projectId"u8, context.SourceId);
        writer.WriteString("workspaceId"u8, context.WorkspaceId);
        writer.WriteEndObject();
        writer.Flush();

        var name = type switch
        {
            EventType.Track => fields.Event.GetString(),
            EventType.Page or EventType.Screen when fields.Name.ValueKind == JsonValueKind.String => fields.Name.GetString(),
            _ => null,
        };
        var partitionKey = type == EventType.Alias ? ids.UserId! : ids.UserId ?? ids.AnonymousId!;
        result = new NormalizedEvent(type, messageId, partitionKey, ids.UserId, ids.AnonymousId, name, start, output.WrittenCount - start);
        return null;
    }

    /// <summary>
    /// True when the JSON text escapes half of a UTF-16 surrogate pair on its own (<c>"\ud800"</c>). Such JSON parses,
    /// but its strings are not Unicode text and every later reader would fail on them, so the event is refused.
    /// </summary>
    internal static bool HasLoneSurrogateEscape(ReadOnlySpan<byte> json)
    {
        if (json.IndexOf("\\u"u8) < 0)
        {
            return false;
        }

        // The JSON has parsed, so a backslash can only start an escape inside a string.
        var pendingHigh = false;
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] != '\\')
            {
                if (pendingHigh)
                {
                    return true;
                }

                continue;
            }

            if (i + 5 < json.Length && json[i + 1] == 'u' && TryHex(json.Slice(i + 2, 4), out var unit))
            {
                var isHigh = unit is >= 0xD800 and <= 0xDBFF;
                var isLow = unit is >= 0xDC00 and <= 0xDFFF;
                if (pendingHigh != isLow)
                {
                    return true;
                }

                pendingHigh = isHigh;
                i += 5;
                continue;
            }

            if (pendingHigh)
            {
                return true;
            }

            i++;
        }

        return pendingHigh;
    }

    private static bool TryHex(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var digit in digits)
        {
            var nibble = digit switch
            {
                >= (byte)'0' and <= (byte)'9' => digit - '0',
                >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => digit - 'A' + 10,
                _ => -1,
            };
            if (nibble < 0)
            {
                return false;
            }

            value = (value << 4) | nibble;
        }

        return true;
    }

    /// <summary>Parses an ISO-8601 date-time the way the Tracking API accepts it (a zone-less value is UTC).</summary>
    public static bool TryParseTime(JsonElement value, out DateTimeOffset time)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            if (value.TryGetDateTimeOffset(out time))
            {
                return true;
            }

            return DateTimeOffset.TryParse(
                value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out time);
        }

        time = default;
        return false;
    }

    /// <summary>
    /// Segment's clock-skew correction: the device clock's error is the gap between when it says it sent the request
    /// and when the server received it, and the event time is moved by the same amount.
    /// </summary>
    internal static (DateTimeOffset Original, DateTimeOffset Corrected) CorrectClock(
        DateTimeOffset? original, DateTimeOffset? sentAt, DateTimeOffset receivedAt)
    {
        if (original is not { } originalTime)
        {
            return (receivedAt, receivedAt);
        }

        if (sentAt is not { } sent)
        {
            return (originalTime, originalTime);
        }

        var correctedTicks = receivedAt.UtcTicks - (sent.UtcTicks - originalTime.UtcTicks);
        return correctedTicks is >= 0 and <= 3155378975999999999 // DateTime.MaxValue.Ticks
            ? (originalTime, new DateTimeOffset(correctedTicks, TimeSpan.Zero))
            : (originalTime, originalTime);
    }

    private static Rejection? Validate(ref Fields fields, EventType? pathType, out EventType type, out Ids ids)
    {
        ids = default;
        if (pathType is { } fromPath)
        {
            type = fromPath;
        }
        else if (fields.Type.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            type = default;
            return Rejection.TypeRequired;
        }
        else if (fields.Type.ValueKind != JsonValueKind.String || !EventTypes.TryParse(fields.Type.GetString(), out type))
        {
            type = default;
            return Rejection.TypeInvalid;
        }

        if (!TryId(fields.UserId, "userId", MaxIdLength, out ids.UserId, out var rejection)
            || !TryId(fields.AnonymousId, "anonymousId", MaxIdLength, out ids.AnonymousId, out rejection)
            || !TryId(fields.MessageId, "messageId", MaxMessageIdLength, out ids.MessageId, out rejection)
            || !TryId(fields.GroupId, "groupId", MaxIdLength, out ids.GroupId, out rejection)
            || !TryId(fields.PreviousId, "previousId", MaxIdLength, out ids.PreviousId, out rejection))
        {
            return rejection;
        }

        if (ids.UserId is null && ids.AnonymousId is null)
        {
            return Rejection.NoUserOrAnonymousId;
        }

        switch (type)
        {
            case EventType.Track:
                if (fields.Event.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
                {
                    return Rejection.EventNotDefined;
                }

                if (fields.Event.ValueKind != JsonValueKind.String)
                {
                    return Rejection.EventNotString;
                }

                if (string.IsNullOrWhiteSpace(fields.Event.GetString()))
                {
                    return Rejection.EventNotDefined;
                }

                break;
            case EventType.Page or EventType.Screen:
                if (fields.Name.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.String))
                {
                    return Rejection.NotString("name");
                }

                if (fields.Category.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.String))
                {
                    return Rejection.NotString("category");
                }

                break;
            case EventType.Group when ids.GroupId is null:
                return Rejection.Required("groupId", "group");
            case EventType.Alias when ids.UserId is null:
                return Rejection.Required("userId", "alias");
            case EventType.Alias when ids.PreviousId is null:
                return Rejection.Required("previousId", "alias");
        }

        foreach (var (value, field) in (ReadOnlySpan<(JsonElement, string)>)[
            (fields.Properties, "properties"), (fields.Traits, "traits"), (fields.Context, "context"), (fields.Integrations, "integrations")])
        {
            if (value.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object))
            {
                return Rejection.NotObject(field);
            }
        }

        if (fields.Channel.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.String))
        {
            return Rejection.NotString("channel");
        }

        return null;
    }

    /// <summary>Reads an identifier: a string, or a number taken as its text. Empty counts as absent.</summary>
    private static bool TryId(JsonElement value, string field, int maxLength, out string? id, out Rejection? rejection)
    {
        rejection = null;
        id = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return true;
            case JsonValueKind.String:
                id = value.GetString();
                break;
            case JsonValueKind.Number:
                id = value.GetRawText();
                break;
            default:
                rejection = Rejection.IdNotString(field);
                return false;
        }

        if (string.IsNullOrWhiteSpace(id))
        {
            id = null;
            return true;
        }

        if (id.Length > maxLength)
        {
            rejection = field == "messageId" ? Rejection.MessageIdTooLong(maxLength) : Rejection.IdTooLong(field, maxLength);
            return false;
        }

        return true;
    }

    private static bool TryTime(JsonElement value, string field, out DateTimeOffset? time, out Rejection? rejection)
    {
        rejection = null;
        time = null;
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return true;
        }

        if (TryParseTime(value, out var parsed))
        {
            time = parsed;
            return true;
        }

        rejection = Rejection.InvalidTimestamp(field);
        return false;
    }

    /// <summary>
    /// A UUID version 7 (time-ordered) for an event that came without a <c>messageId</c>: 48 bits of the arrival time in
    /// milliseconds and 74 random bits from the shared non-cryptographic generator, which is plenty for uniqueness and
    /// avoids a system call per event.
    /// </summary>
    internal static string NewMessageId(DateTimeOffset receivedAt)
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        var milliseconds = receivedAt.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)milliseconds;
            milliseconds >>= 8;
        }

        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        Span<char> text = stackalloc char[9 + 36];
        "junction-".CopyTo(text);
        var at = 9;
        for (var i = 0; i < 16; i++)
        {
            if (i is 4 or 6 or 8 or 10)
            {
                text[at++] = '-';
            }

            text[at++] = HexDigits[bytes[i] >> 4];
            text[at++] = HexDigits[bytes[i] & 0xF];
        }

        return new string(text);
    }

    private const string HexDigits = "0123456789abcdef";

    /// <summary>The channel of an event that does not name one: browser, mobile or server, from the path and the library.</summary>
    private static string Channel(JsonElement eventContext, NormalizationContext context)
    {
        if (context.FromBrowserPath)
        {
            return "browser";
        }

        return LibraryKind(eventContext) switch
        {
            ClientKind.Browser => "browser",
            ClientKind.Mobile => "mobile",
            _ => "server",
        };
    }

    /// <summary>
    /// Segment fills <c>context.ip</c> from the request for client-side (browser and mobile) events only, and for
    /// any event that sets <c>context.direct: true</c>. Server events keep what the caller sent.
    /// </summary>
    private static bool NeedsIp(JsonElement eventContext, JsonElement givenChannel, string? channel, NormalizationContext context)
    {
        if (context.RequestIp is null)
        {
            return false;
        }

        if (eventContext.ValueKind == JsonValueKind.Object && eventContext.TryGetProperty("ip"u8, out var ip) && ip.ValueKind != JsonValueKind.Null)
        {
            return false;
        }

        if (context.BatchContext.ValueKind == JsonValueKind.Object && context.BatchContext.TryGetProperty("ip"u8, out var batchIp) && batchIp.ValueKind != JsonValueKind.Null)
        {
            return false;
        }

        if (eventContext.ValueKind == JsonValueKind.Object && eventContext.TryGetProperty("direct"u8, out var direct) && direct.ValueKind == JsonValueKind.True)
        {
            return true;
        }

        var effective = channel ?? givenChannel.GetString();
        return effective is "browser" or "mobile" or "client";
    }

    private enum ClientKind
    {
        Server,
        Browser,
        Mobile,
    }

    private static ClientKind LibraryKind(JsonElement eventContext)
    {
        if (eventContext.ValueKind != JsonValueKind.Object
            || !eventContext.TryGetProperty("library"u8, out var library)
            || library.ValueKind != JsonValueKind.Object
            || !library.TryGetProperty("name"u8, out var nameElement)
            || nameElement.ValueKind != JsonValueKind.String)
        {
            return ClientKind.Server;
        }

        // The raw (escaped) text between the quotes, lower-cased: library names are short ASCII.
        var raw = JsonMarshal.GetRawUtf8Value(nameElement);
        raw = raw[1..^1];
        if (raw.Length > 128)
        {
            return ClientKind.Server;
        }

        Span<byte> name = stackalloc byte[raw.Length];
        System.Text.Ascii.ToLower(raw, name, out var written);
        name = name[..written];
        if (name.StartsWith("analytics.js"u8) || name.IndexOf("analytics-next"u8) >= 0)
        {
            return ClientKind.Browser;
        }

        return name.IndexOf("ios"u8) >= 0 || name.IndexOf("android"u8) >= 0 || name.IndexOf("kotlin"u8) >= 0
            || name.IndexOf("swift"u8) >= 0 || name.IndexOf("react-native"u8) >= 0 || name.IndexOf("flutter"u8) >= 0
            || name.IndexOf("xamarin"u8) >= 0 || name.IndexOf("unity"u8) >= 0
            ? ClientKind.Mobile
            : ClientKind.Server;
    }

    private static void WriteProperty(Utf8JsonWriter writer, JsonProperty property)
    {
        var rawName = JsonMarshal.GetRawUtf8PropertyName(property);
        if (rawName.Contains((byte)'\\'))
        {
            writer.WritePropertyName(property.Name);
        }
        else
        {
            writer.WritePropertyName(rawName);
        }

        writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(property.Value), skipInputValidation: true);
    }

    private static void WriteProperty(Utf8JsonWriter writer, ReadOnlySpan<byte> name, JsonElement value)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return;
        }

        writer.WritePropertyName(name);
        writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(value), skipInputValidation: true);
    }

    private static void WriteId(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? id)
    {
        if (id is not null)
        {
            writer.WriteString(name, id);
        }
    }

    private static void WriteTime(Utf8JsonWriter writer, ReadOnlySpan<byte> name, DateTimeOffset time)
    {
        Span<byte> text = stackalloc byte[24];
        FormatTime(time, text);
        writer.WriteString(name, text);
    }

    /// <summary>Writes <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> in UTC into 24 bytes (digit by digit: this runs four times per event).</summary>
    internal static void FormatTime(DateTimeOffset time, Span<byte> text)
    {
        var utc = time.UtcDateTime;
        var (year, month, day) = utc;
        var ticks = utc.Ticks % TimeSpan.TicksPerDay;
        var hour = (int)(ticks / TimeSpan.TicksPerHour);
        var minute = (int)(ticks / TimeSpan.TicksPerMinute % 60);
        var second = (int)(ticks / TimeSpan.TicksPerSecond % 60);
        var millisecond = (int)(ticks / TimeSpan.TicksPerMillisecond % 1000);
        Digits(text, 0, year, 4);
        text[4] = (byte)'-';
        Digits(text, 5, month, 2);
        text[7] = (byte)'-';
        Digits(text, 8, day, 2);
        text[10] = (byte)'T';
        Digits(text, 11, hour, 2);
        text[13] = (byte)':';
        Digits(text, 14, minute, 2);
        text[16] = (byte)':';
        Digits(text, 17, second, 2);
        text[19] = (byte)'.';
        Digits(text, 20, millisecond, 3);
        text[23] = (byte)'Z';

        static void Digits(Span<byte> text, int at, int value, int count)
        {
            for (var i = at + count - 1; i >= at; i--)
            {
                text[i] = (byte)('0' + (value % 10));
                value /= 10;
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="own"/> merged over <paramref name="defaults"/>: the event's own values win, nested
    /// objects present in both are merged the same way, and <paramref name="ip"/> is added when given.
    /// </summary>
    private static void WriteMerged(Utf8JsonWriter writer, JsonElement own, JsonElement defaults, string? ip)
    {
        var hasOwn = own.ValueKind == JsonValueKind.Object;
        var hasDefaults = defaults.ValueKind == JsonValueKind.Object;
        if (hasOwn && !hasDefaults && ip is null)
        {
            writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(own), skipInputValidation: true);
            return;
        }

        writer.WriteStartObject();
        if (hasOwn)
        {
            foreach (var property in own.EnumerateObject())
            {
                if (hasDefaults
                    && property.Value.ValueKind == JsonValueKind.Object
                    && defaults.TryGetProperty(property.Name, out var under)
                    && under.ValueKind == JsonValueKind.Object)
                {
                    writer.WritePropertyName(property.Name);
                    WriteMerged(writer, property.Value, under, ip: null);
                }
                else if (!(ip is not null && property.NameEquals("ip"u8)))
                {
                    WriteProperty(writer, property);
                }
            }
        }

        if (hasDefaults)
        {
            foreach (var property in defaults.EnumerateObject())
            {
                if ((!hasOwn || !own.TryGetProperty(property.Name, out _)) && !(ip is not null && property.NameEquals("ip"u8)))
                {
                    WriteProperty(writer, property);
                }
            }
        }

        if (ip is not null)
        {
            writer.WriteString("ip"u8, ip);
        }

        writer.WriteEndObject();
    }

    private struct Ids
    {
        public string? UserId;
        public string? AnonymousId;
        public string? MessageId;
        public string? GroupId;
        public string? PreviousId;
    }

    /// <summary>The top-level fields the normalizer reads or rewrites; everything else is copied as it came.</summary>
    private struct Fields
    {
        public JsonElement Type;
        public JsonElement UserId;
        public JsonElement AnonymousId;
        public JsonElement MessageId;
        public JsonElement GroupId;
        public JsonElement PreviousId;
        public JsonElement Event;
        public JsonElement Name;
        public JsonElement Category;
        public JsonElement Properties;
        public JsonElement Traits;
        public JsonElement Context;
        public JsonElement Integrations;
        public JsonElement Timestamp;
        public JsonElement OriginalTimestamp;
        public JsonElement SentAt;
        public JsonElement Channel;

        private int _seen;

        /// <summary>Keeps a field the normalizer reads; answers false when that field appeared before in the same event.</summary>
        public bool Take(JsonProperty property)
        {
            var name = JsonMarshal.GetRawUtf8PropertyName(property);
            var value = property.Value;
            var field = name.Length switch
            {
                4 when name.SequenceEqual("type"u8) => Set(ref Type, value, 0),
                4 when name.SequenceEqual("name"u8) => Set(ref Name, value, 1),
                5 when name.SequenceEqual("event"u8) => Set(ref Event, value, 2),
                6 when name.SequenceEqual("userId"u8) => Set(ref UserId, value, 3),
                6 when name.SequenceEqual("traits"u8) => Set(ref Traits, value, 4),
                6 when name.SequenceEqual("sentAt"u8) => Set(ref SentAt, value, 5),
                7 when name.SequenceEqual("groupId"u8) => Set(ref GroupId, value, 6),
                7 when name.SequenceEqual("context"u8) => Set(ref Context, value, 7),
                7 when name.SequenceEqual("channel"u8) => Set(ref Channel, value, 8),
                8 when name.SequenceEqual("category"u8) => Set(ref Category, value, 9),
                9 when name.SequenceEqual("messageId"u8) => Set(ref MessageId, value, 10),
                9 when name.SequenceEqual("timestamp"u8) => Set(ref Timestamp, value, 11),
                10 when name.SequenceEqual("properties"u8) => Set(ref Properties, value, 12),
                10 when name.SequenceEqual("previousId"u8) => Set(ref PreviousId, value, 13),
                11 when name.SequenceEqual("anonymousId"u8) => Set(ref AnonymousId, value, 14),
                12 when name.SequenceEqual("integrations"u8) => Set(ref Integrations, value, 15),
                17 when name.SequenceEqual("originalTimestamp"u8) => Set(ref OriginalTimestamp, value, 16),
                _ => -1,
            };
            if (field < 0)
            {
                return true;
            }

            var bit = 1 << field;
            var repeated = (_seen & bit) != 0;
            _seen |= bit;
            return !repeated;
        }

        private static int Set(ref JsonElement slot, JsonElement value, int field)
        {
            slot = value;
            return field;
        }

        /// <summary>Fields the normalizer writes itself, so they are not copied from the input.</summary>
        public static bool IsManaged(ReadOnlySpan<byte> name) => name.Length switch
        {
            4 => name.SequenceEqual("type"u8),
            6 => name.SequenceEqual("userId"u8) || name.SequenceEqual("sentAt"u8),
            7 => name.SequenceEqual("groupId"u8) || name.SequenceEqual("context"u8) || name.SequenceEqual("channel"u8),
            8 => name.SequenceEqual("writeKey"u8),
            9 => name.SequenceEqual("messageId"u8) || name.SequenceEqual("timestamp"u8) || name.SequenceEqual("projectId"u8),
            10 => name.SequenceEqual("previousId"u8) || name.SequenceEqual("receivedAt"u8),
            11 => name.SequenceEqual("anonymousId"u8) || name.SequenceEqual("workspaceId"u8),
            12 => name.SequenceEqual("integrations"u8),
            17 => name.SequenceEqual("originalTimestamp"u8),
            _ => false,
        };
    }
}
