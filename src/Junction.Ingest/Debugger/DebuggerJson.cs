using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Junction.Events;

namespace Junction.Ingest.Debugger;

/// <summary>
/// Writes debugger entries as JSON: the raw body embedded as JSON when it is JSON, else as a string. <c>status</c> is
/// <c>accepted</c>, <c>rejected</c> or <c>blocked</c>; a rejected or blocked entry carries its <c>reason</c>
/// (<c>code</c>, <c>message</c>, <c>field</c>).
/// </summary>
internal static class DebuggerJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Serialize(DebuggerEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>(entry.Raw.Length + entry.Normalized.Length + 512);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            Write(writer, entry);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, DebuggerEntry entry)
    {
        writer.WriteStartObject();
        writer.WriteString("id", entry.Sequence.ToString(CultureInfo.InvariantCulture));
        writer.WriteString("receivedAt", entry.ReceivedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        writer.WriteString("status", entry.Status switch
        {
            DebuggerStatus.Accepted => "accepted",
            DebuggerStatus.Blocked => "blocked",
            _ => "rejected",
        });
        WriteOptional(writer, "type", entry.Type?.Name());
        WriteOptional(writer, "name", entry.Name);
        WriteOptional(writer, "messageId", entry.MessageId);
        WriteOptional(writer, "userId", entry.UserId);
        WriteOptional(writer, "anonymousId", entry.AnonymousId);
        if (entry.Reason is { } reason)
        {
            writer.WriteStartObject("reason");
            writer.WriteString("code", reason.Code);
            writer.WriteString("message", reason.Message);
            WriteOptional(writer, "field", reason.Field);
            writer.WriteEndObject();
        }

        writer.WritePropertyName("raw");
        WriteJsonOrText(writer, entry.Raw.Span);
        if (!entry.Normalized.IsEmpty)
        {
            writer.WritePropertyName("event");
            writer.WriteRawValue(entry.Normalized.Span, skipInputValidation: true);
        }

        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteJsonOrText(Utf8JsonWriter writer, ReadOnlySpan<byte> raw)
    {
        if (IsJson(raw))
        {
            writer.WriteRawValue(raw, skipInputValidation: true);
        }
        else
        {
            writer.WriteStringValue(Encoding.UTF8.GetString(raw));
        }
    }

    private static bool IsJson(ReadOnlySpan<byte> raw)
    {
        if (raw.IsEmpty)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(raw, new JsonReaderOptions { MaxDepth = 256 });
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
