using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Junction.Bench.WarehouseLoad;

/// <summary>
/// Normalized events as Junction stages them, in the benchmark's mix: half track calls (five event names), a quarter
/// identify calls, a quarter page calls, each with about twenty properties or traits of every type (text, integer,
/// float, boolean, date-time, a nested object, an array) and a browser's context.
/// </summary>
internal static class MixedEvents
{
    private static readonly string[] EventNames = ["Product Viewed", "Product Added", "Checkout Started", "Order Completed", "Video Playback Started"];
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static (string UserKey, byte[] Payload, string Tag) Create(int n, string sourceId)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var json = new Utf8JsonWriter(buffer))
        {
            var kind = n % 4;
            var userId = "user-" + (n % 50_000).ToString(CultureInfo.InvariantCulture);
            var at = Start.AddMilliseconds(n * 3L);
            var time = at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            json.WriteStartObject();
            json.WriteString("type", kind switch { 0 or 1 => "track", 2 => "identify", _ => "page" });
            json.WriteString("messageId", "bench-" + n.ToString(CultureInfo.InvariantCulture));
            json.WriteString("userId", userId);
            json.WriteString("anonymousId", "anon-" + (n % 80_000).ToString(CultureInfo.InvariantCulture));
            json.WriteString("receivedAt", time);
            json.WriteString("sentAt", time);
            json.WriteString("timestamp", time);
            json.WriteString("originalTimestamp", time);
            json.WriteString("channel", "browser");
            json.WriteString("projectId", sourceId);
            json.WriteStartObject("context");
            json.WriteStartObject("library");
            json.WriteString("name", "analytics.js");
            json.WriteString("version", "next-1.84.3");
            json.WriteEndObject();
            json.WriteStartObject("page");
            json.WriteString("url", "https://shop.example.com/p/" + (n % 1000).ToString(CultureInfo.InvariantCulture));
            json.WriteString("path", "/p/" + (n % 1000).ToString(CultureInfo.InvariantCulture));
            json.WriteString("title", "Product page");
            json.WriteString("referrer", "https://search.example.org/");
            json.WriteEndObject();
            json.WriteString("userAgent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36");
            json.WriteString("locale", "en-GB");
            json.WriteString("ip", "203.0.113." + (n % 250).ToString(CultureInfo.InvariantCulture));
            json.WriteEndObject();
            switch (kind)
            {
                case 0 or 1:
                    json.WriteString("event", EventNames[n % EventNames.Length]);
                    json.WriteStartObject("properties");
                    Properties(json, n);
                    json.WriteEndObject();
                    break;
                case 2:
                    json.WriteStartObject("traits");
                    Properties(json, n);
                    json.WriteEndObject();
                    break;
                default:
                    json.WriteString("name", "Product");
                    json.WriteStartObject("properties");
                    Properties(json, n);
                    json.WriteEndObject();
                    break;
            }

            json.WriteEndObject();
        }

        return ("user-" + (n % 50_000).ToString(CultureInfo.InvariantCulture), buffer.WrittenSpan.ToArray(), "");
    }

    private static void Properties(Utf8JsonWriter json, int n)
    {
        json.WriteString("product_id", "p-" + (n % 5000).ToString(CultureInfo.InvariantCulture));
        json.WriteString("sku", "SKU-" + (n % 977).ToString(CultureInfo.InvariantCulture));
        json.WriteString("category", "Games");
        json.WriteString("name", "Monopoly: 3rd Edition");
        json.WriteString("brand", "Hasbro");
        json.WriteString("variant", "200 pieces");
        json.WriteNumber("price", 18.99 + (n % 10));
        json.WriteNumber("quantity", 1 + (n % 5));
        json.WriteString("coupon", "SPRING");
        json.WriteNumber("position", n % 30);
        json.WriteString("url", "https://shop.example.com/p/" + (n % 1000).ToString(CultureInfo.InvariantCulture));
        json.WriteString("image_url", "https://cdn.example.com/p/" + (n % 1000).ToString(CultureInfo.InvariantCulture) + ".jpg");
        json.WriteBoolean("in_stock", n % 3 != 0);
        json.WriteNumber("rating", 4.5);
        json.WriteString("currency", "EUR");
        json.WriteNumber("value", 18.99 * (1 + (n % 5)));
        json.WriteString("listed_at", "2026-10-0" + (1 + (n % 9)).ToString(CultureInfo.InvariantCulture) + "T12:00:00.000Z");
        json.WriteStartObject("shipping");
        json.WriteString("method", "dhl");
        json.WriteNumber("cost", 4.5);
        json.WriteEndObject();
        json.WriteStartArray("tags");
        json.WriteStringValue("board");
        json.WriteStringValue("family");
        json.WriteEndArray();
    }
}
