using System.Buffers;
using System.Text.Json;

namespace Junction.Ingest.AnalyticsJs;

/// <summary>
/// The settings document analytics.js fetches from <c>&lt;cdn&gt;/v1/projects/&lt;writeKey&gt;/settings</c> before it
/// sends anything. It points the library's built-in "Segment.io" destination at this server and turns off the
/// optional features Junction does not serve (device-mode destinations, remote plugins, middleware, telemetry).
/// </summary>
internal static class AnalyticsJsSettings
{
    /// <summary>The version of Segment's own destination that cdn.segment.com reports; analytics.js only records it.</summary>
    private const string SegmentIoVersion = "4.4.7";

    /// <summary>Writes the settings for <paramref name="writeKey"/> with events sent to <paramref name="publicBase"/>.</summary>
    public static byte[] Render(string writeKey, PublicBase publicBase)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();

            // Only "Segment.io" is listed: any other entry would make analytics.js download device-mode code from
            // the CDN. apiHost has no scheme (analytics.js prefixes the protocol itself), and protocol is always
            // given because analytics.js assumes https without it.
            writer.WriteStartObject("integrations");
            writer.WriteStartObject("Segment.io");
            writer.WriteString("apiKey", writeKey);
            writer.WriteString("apiHost", publicBase.ApiHost);
            writer.WriteString("protocol", publicBase.Scheme);
            writer.WriteStartArray("unbundledIntegrations");
            writer.WriteEndArray();
            writer.WriteBoolean("addBundledMetadata", true);
            writer.WriteStartObject("maybeBundledConfigIds");
            writer.WriteEndObject();
            writer.WriteStartObject("versionSettings");
            writer.WriteString("version", SegmentIoVersion);
            writer.WriteStartArray("componentTypes");
            writer.WriteStringValue("browser");
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();

            // The client-side tracking plan: everything enabled. Junction applies its tracking plans on the server.
            writer.WriteStartObject("plan");
            writer.WriteStartObject("track");
            writer.WriteStartObject("__default");
            writer.WriteBoolean("enabled", true);
            writer.WriteStartObject("integrations");
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
            WriteEnabledDefault(writer, "identify");
            WriteEnabledDefault(writer, "group");
            writer.WriteEndObject();

            writer.WriteStartObject("edgeFunction");
            writer.WriteEndObject();
            writer.WriteBoolean("analyticsNextEnabled", true);
            writer.WriteStartObject("middlewareSettings");
            writer.WriteEndObject();
            writer.WriteStartObject("enabledMiddleware");
            writer.WriteEndObject();

            // analytics.js takes the telemetry protocol from its load options only (https by default), so on an
            // http page it would post to https://<host>/v1/m and fail. A sample rate of 0 sends nothing.
            writer.WriteStartObject("metrics");
            writer.WriteNumber("sampleRate", 0);
            writer.WriteString("host", publicBase.ApiHost);
            writer.WriteEndObject();

            writer.WriteBoolean("legacyVideoPluginsEnabled", false);
            writer.WriteStartArray("remotePlugins");
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteEnabledDefault(Utf8JsonWriter writer, string call)
    {
        writer.WriteStartObject(call);
        writer.WriteStartObject("__default");
        writer.WriteBoolean("enabled", true);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
