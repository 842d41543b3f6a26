using System.Text;
using System.Text.Json;
using Junction.Events;

namespace Junction.Web.Sources.Debugger;

/// <summary>
/// The debugger's Pretty view: an approximate reconstruction of the library call that produced an event. Browser
/// events (<c>context.library.name</c> analytics.js) are written in analytics.js's positional form,
/// <c>analytics.track("Order Completed", { revenue: 42.5 })</c>; events of every other library in the object form of
/// the server libraries, <c>analytics.track({ userId: "u1", event: "Order Completed", properties: { … } })</c>.
/// Only what the caller chose is shown (ids, names, properties, traits); the Raw view has the rest.
/// </summary>
internal static partial class PrettyCall
{
    private static readonly JsonElement Null = JsonDocument.Parse("null").RootElement.Clone();

    /// <summary>
    /// The call that made <paramref name="message"/>, or null when it is not a JSON object of a known type.
    /// <paramref name="type"/> is the type Junction gave the event (a single call to <c>/v1/track</c> needs no
    /// <c>type</c> field); without it the message's own <c>type</c> is read.
    /// </summary>
    public static string? Render(JsonElement message, EventType? type = null)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        try
        {
            if (type is null && message.TryGetProperty("type"u8, out var typeField) && typeField.ValueKind == JsonValueKind.String
                && EventTypes.TryParse(typeField.GetString(), out var own))
            {
                type = own;
            }

            if (type is not { } known)
            {
                return null;
            }

            var call = "analytics." + known.Name();
            return IsBrowser(message) ? Browser(call, known, message) : Server(call, known, message);
        }
        catch (InvalidOperationException)
        {
            // A name or id with an escaped unpaired surrogate cannot be read as a string: there is no call to show, and
            // the Raw view still shows the event.
            return null;
        }
    }

    /// <summary>The call for an event as UTF-8 JSON, or null when the bytes are not a JSON object of a known type.</summary>
    public static string? Render(ReadOnlyMemory<byte> json, EventType? type = null)
    {
        if (json.IsEmpty)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
            return Render(document.RootElement, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether the event came from analytics.js (classic or Analytics 2.0), as the normalizer decides it.</summary>
    internal static bool IsBrowser(JsonElement message) =>
        message.TryGetProperty("context"u8, out var context) && context.ValueKind == JsonValueKind.Object
        && context.TryGetProperty("library"u8, out var library) && library.ValueKind == JsonValueKind.Object
        && library.TryGetProperty("name"u8, out var name) && name.ValueKind == JsonValueKind.String
        && name.GetString() is { } text
        && (text.StartsWith("analytics.js", StringComparison.Ordinal) || text.Contains("analytics-next", StringComparison.Ordinal));

    // analytics.identify(userId?, traits?), track(event, properties?), page(category?, name?, properties?),
    // group(groupId, traits?), alias(userId, previousId?): trailing arguments that were not given are left out.
    private static string Browser(string call, EventType type, JsonElement message)
    {
        var arguments = new List<JsonElement?>();
        switch (type)
        {
            case EventType.Identify:
                if (Field(message, "userId") is { } userId)
                {
                    arguments.Add(userId);
                }

                arguments.Add(NonEmpty(Field(message, "traits")));
                break;
            case EventType.Track:
                arguments.Add(Field(message, "event"));
                arguments.Add(NonEmpty(Field(message, "properties")));
                break;
            case EventType.Page or EventType.Screen:
                var category = Field(message, "category");
                var name = Field(message, "name");
                if (category is not null)
                {
                    arguments.Add(category);
                    arguments.Add(name ?? Null);
                }
                else if (name is not null)
                {
                    arguments.Add(name);
                }

                arguments.Add(NonEmpty(PageProperties(message, category, name)));
                break;
            case EventType.Group:
                arguments.Add(Field(message, "groupId"));
                arguments.Add(NonEmpty(Field(message, "traits")));
                break;
            case EventType.Alias:
                arguments.Add(Field(message, "userId"));
                arguments.Add(Field(message, "previousId"));
                break;
        }

        while (arguments.Count > 0 && arguments[^1] is null)
        {
            arguments.RemoveAt(arguments.Count - 1);
        }

        return Call(call, arguments.Select(a => a is { } value ? (Value?)new Value.Json(value) : null).ToList());
    }

    // analytics.track({ userId, anonymousId, event, properties }) and its kin: the message object of the server
    // libraries, with the fields a caller gives them, in the order their documentation writes them.
    private static string Server(string call, EventType type, JsonElement message)
    {
        var fields = new List<(string Key, Value Value)>();
        AddField(fields, message, "userId");
        AddField(fields, message, "anonymousId");
        switch (type)
        {
            case EventType.Identify:
                AddField(fields, message, "traits", skipEmpty: true);
                break;
            case EventType.Track:
                AddField(fields, message, "event");
                AddField(fields, message, "properties", skipEmpty: true);
                break;
            case EventType.Page or EventType.Screen:
                var category = Field(message, "category");
                var name = Field(message, "name");
                AddField(fields, message, "category");
                AddField(fields, message, "name");
                if (NonEmpty(PageProperties(message, category, name)) is { } properties)
                {
                    fields.Add(("properties", new Value.Json(properties)));
                }

                break;
            case EventType.Group:
                AddField(fields, message, "groupId");
                AddField(fields, message, "traits", skipEmpty: true);
                break;
            case EventType.Alias:
                AddField(fields, message, "previousId");
                break;
        }

        return Call(call, [new Value.Object(fields)]);
    }

    private static void AddField(List<(string Key, Value Value)> fields, JsonElement message, string name, bool skipEmpty = false)
    {
        var value = Field(message, name);
        if (skipEmpty)
        {
            value = NonEmpty(value);
        }

        if (value is { } present)
        {
            fields.Add((name, new Value.Json(present)));
        }
    }

    /// <summary>A field of the message, or null when it is missing or JSON null.</summary>
    private static JsonElement? Field(JsonElement message, string name) =>
        message.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? value : null;

    /// <summary>Null for an empty object or array, which a caller would not have written.</summary>
    private static JsonElement? NonEmpty(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.Object } o when !o.EnumerateObject().Any() => null,
        { ValueKind: JsonValueKind.Array } a when a.GetArrayLength() == 0 => null,
        _ => value,
    };

    // The libraries copy a page's name and category into its properties; they were arguments of the call, so the
    // copies are left out of the properties shown.
    private static JsonElement? PageProperties(JsonElement message, JsonElement? category, JsonElement? name)
    {
        if (Field(message, "properties") is not { ValueKind: JsonValueKind.Object } properties)
        {
            return Field(message, "properties");
        }

        bool Copied(JsonProperty p) =>
            (p.NameEquals("name"u8) && SameText(p.Value, name)) || (p.NameEquals("category"u8) && SameText(p.Value, category));
        if (!properties.EnumerateObject().Any(Copied))
        {
            return properties;
        }

        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in properties.EnumerateObject().Where(p => !Copied(p)))
            {
                property.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }

    private static bool SameText(JsonElement value, JsonElement? other) =>
        other is { ValueKind: JsonValueKind.String } text && value.ValueKind == JsonValueKind.String
        && string.Equals(value.GetString(), text.GetString(), StringComparison.Ordinal);

    /// <summary>
    /// <c>name(a, b, c)</c> on one line when it fits; otherwise the last argument, an object or array, opens on the
    /// call's line and its members take a line each (as Prettier lays out a call).
    /// </summary>
    private static string Call(string name, IReadOnlyList<Value?> arguments)
    {
        var inline = new StringBuilder(name).Append('(');
        for (var i = 0; i < arguments.Count; i++)
        {
            if (i > 0)
            {
                inline.Append(", ");
            }

            inline.Append(arguments[i] is { } argument ? Inline(argument) : "undefined");
        }

        inline.Append(')');
        if (inline.Length <= LineWidth || arguments.Count == 0)
        {
            return inline.ToString();
        }

        var text = new StringBuilder(name).Append('(');
        for (var i = 0; i < arguments.Count - 1; i++)
        {
            text.Append(arguments[i] is { } argument ? Inline(argument) : "undefined").Append(", ");
        }

        if (arguments[^1] is { } last)
        {
            Write(text, last, indent: 0, column: text.Length, reserved: 1);
        }
        else
        {
            text.Append("undefined");
        }

        return text.Append(')').ToString();
    }
}
