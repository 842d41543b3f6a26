using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Junction.Web.Sources.Debugger;

/// <summary>The debugger's Raw view: bytes as readable text, JSON indented by two spaces.</summary>
internal static class JsonText
{
    private static readonly JsonWriterOptions Indented = new()
    {
        Indented = true,
        IndentSize = 2,
        // The text is shown in the page, never embedded in a script, so non-ASCII letters can stay as they are.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = 256,
    };

    /// <summary>The JSON indented; bytes that are not JSON (a malformed body) as UTF-8 text, exactly as they came.</summary>
    public static string Indent(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return "";
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 256 });
            using var buffer = new MemoryStream(bytes.Length * 2);
            using (var writer = new Utf8JsonWriter(buffer, Indented))
            {
                document.RootElement.WriteTo(writer);
            }

            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return Encoding.UTF8.GetString(bytes.Span);
        }
    }
}
