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
            fields.Take(property);
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

        var messageId = ids.MessageId ?? NewMessageId();
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

    private static string NewMessageId() => "junction-" + Guid.CreateVersion7().ToString("D");

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

        var name = nameElement.GetString()!;
        if (name.StartsWith("analytics.js", StringComparison.OrdinalIgnoreCase)
            || name.Contains("analytics-next", StringComparison.OrdinalIgnoreCase))
        {
            return ClientKind.Browser;
        }

        foreach (var mobile in (ReadOnlySpan<string>)["ios", "android", "kotlin", "swift", "react-native", "flutter", "xamarin", "unity"])
        {
            if (name.Contains(mobile, StringComparison.OrdinalIgnoreCase))
            {
                return ClientKind.Mobile;
            }
        }

        return ClientKind.Server;
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
        Span<byte> text = stackalloc byte[32];
        time.UtcDateTime.TryFormat(text, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        writer.WriteString(name, text[..written]);
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

        public void Take(JsonProperty property)
        {
            var name = JsonMarshal.GetRawUtf8PropertyName(property);
            var value = property.Value;
            switch (name.Length)
            {
                case 4 when name.SequenceEqual("type"u8): Type = value; break;
                case 4 when name.SequenceEqual("name"u8): Name = value; break;
                case 5 when name.SequenceEqual("event"u8): Event = value; break;
                case 6 when name.SequenceEqual("userId"u8): UserId = value; break;
                case 6 when name.SequenceEqual("traits"u8): Traits = value; break;
                case 6 when name.SequenceEqual("sentAt"u8): SentAt = value; break;
                case 7 when name.SequenceEqual("groupId"u8): GroupId = value; break;
                case 7 when name.SequenceEqual("context"u8): Context = value; break;
                case 7 when name.SequenceEqual("channel"u8): Channel = value; break;
                case 8 when name.SequenceEqual("category"u8): Category = value; break;
                case 9 when name.SequenceEqual("messageId"u8): MessageId = value; break;
                case 9 when name.SequenceEqual("timestamp"u8): Timestamp = value; break;
                case 10 when name.SequenceEqual("properties"u8): Properties = value; break;
                case 10 when name.SequenceEqual("previousId"u8): PreviousId = value; break;
                case 11 when name.SequenceEqual("anonymousId"u8): AnonymousId = value; break;
                case 12 when name.SequenceEqual("integrations"u8): Integrations = value; break;
                case 17 when name.SequenceEqual("originalTimestamp"u8): OriginalTimestamp = value; break;
            }
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
