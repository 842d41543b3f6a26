using System.Text.Json;

namespace Junction.Events;

/// <summary>
/// The few top-level facts of a normalized event that the pipeline routes and counts by, read with one forward
/// pass over the top level of its JSON (nested objects are skipped, not parsed).
/// </summary>
internal readonly record struct EventEnvelope(EventType Type, string SourceId, string? Name, string? MessageId)
{
    public static bool TryRead(ReadOnlySpan<byte> json, out EventEnvelope envelope)
    {
        envelope = default;
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        EventType? type = null;
        string? source = null, eventName = null, pageName = null, messageId = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            var isSource = !isType && reader.ValueTextEquals("projectId"u8);
            var isEvent = !isType && !isSource && reader.ValueTextEquals("event"u8);
            var isName = !isType && !isSource && !isEvent && reader.ValueTextEquals("name"u8);
            var isMessageId = !isType && !isSource && !isEvent && !isName && reader.ValueTextEquals("messageId"u8);
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.String)
            {
                if (isType && EventTypes.TryParse(reader.GetString(), out var parsed))
                {
                    type = parsed;
                }
                else if (isSource)
                {
                    source = reader.GetString();
                }
                else if (isEvent)
                {
                    eventName = reader.GetString();
                }
                else if (isName)
                {
                    pageName = reader.GetString();
                }
                else if (isMessageId)
                {
                    messageId = reader.GetString();
                }
            }
            else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        if (type is not { } t || source is null)
        {
            return false;
        }

        envelope = new EventEnvelope(t, source, t == EventType.Track ? eventName : t is EventType.Page or EventType.Screen ? pageName : null, messageId);
        return true;
    }
}
