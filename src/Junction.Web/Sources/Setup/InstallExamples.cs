using System.Globalization;
using Junction.Ingest.AnalyticsJs;

namespace Junction.Web.Sources.Setup;

/// <summary>
/// One library's install example: how to add the library and the few lines that send a first event to this server
/// with the source's write key. <see cref="Note"/> says what the person must know for it to work as printed.
/// </summary>
internal sealed record InstallExample(string Id, string Title, string Language, string Install, string Code, string? Note = null);

/// <summary>
/// The install examples of the Setup page, for Segment's own libraries pointed at this server. Each library names its
/// host option differently, and some take a URL, some a host without a scheme, some a host with <c>/v1</c>; each example
/// sets the option the way that library reads it (checked against the libraries' sources):
/// <list type="bullet">
/// <item>analytics-node <c>host</c> (scheme and authority; <c>path</c> holds <c>/v1/batch</c> under a path base),</item>
/// <item>analytics-python <c>host</c> (a URL; <c>/v1/batch</c> is appended), analytics-java <c>endpoint</c>
/// (<c>/v1/import/</c> is appended), analytics-go <c>Endpoint</c> (<c>/v1/batch</c> is appended),</item>
/// <item>analytics-ruby <c>host</c>, <c>port</c> and <c>ssl</c> (<c>path</c> under a path base), analytics-php
/// <c>host</c> (host and path, <c>/v1/batch</c> appended) and <c>ssl</c>,</item>
/// <item>analytics-csharp, analytics-kotlin and analytics-swift <c>apiHost</c> and <c>cdnHost</c> (no scheme, with
/// <c>/v1</c>; these always use https),</item>
/// <item>analytics-react-native <c>proxy</c> and <c>cdnProxy</c> (URLs with <c>/v1</c>) with <c>useSegmentEndpoints</c>,
/// which appends Segment's paths to them.</item>
/// </list>
/// </summary>
internal static class InstallExamples
{
    /// <summary>What the examples show in place of a write key the person may not see.</summary>
    public const string WriteKeyPlaceholder = "YOUR_WRITE_KEY";

    /// <summary>The example of each catalog entry that has one (by catalog slug).</summary>
    private static readonly Dictionary<string, string> ByCatalogSlug = new(StringComparer.Ordinal)
    {
        ["node-js"] = "node",
        ["python"] = "python",
        ["net"] = "dotnet",
        ["java"] = "java",
        ["go"] = "go",
        ["ruby"] = "ruby",
        ["php"] = "php",
        ["kotlin-android"] = "kotlin",
        ["apple"] = "swift",
        ["react-native"] = "react-native",
        ["http-api"] = "curl",
    };

    /// <summary>The id of the example for a catalog entry, or null when it has none (the website's is the snippet).</summary>
    public static string? IdFor(string catalogSlug) => ByCatalogSlug.GetValueOrDefault(catalogSlug);

    /// <summary>
    /// Every example for <paramref name="writeKey"/> and this server, the one for <paramref name="catalogSlug"/> first,
    /// then the others in a fixed order.
    /// </summary>
    public static IReadOnlyList<InstallExample> For(string catalogSlug, string writeKey, PublicBase server)
    {
        var all = All(writeKey, server);
        var first = IdFor(catalogSlug);
        return [.. all.Where(e => e.Id == first), .. all.Where(e => e.Id != first)];
    }

    private static List<InstallExample> All(string key, PublicBase server)
    {
        var https = server.Scheme == Uri.UriSchemeHttps;
        var onlyHttps = https
            ? null
            : $"This library always connects with https, and this server was reached at {server.Url}. Give Junction an https address "
              + "(set Junction:PublicUrl, for example behind a TLS proxy) and use it here.";
        var (host, port) = HostAndPort(server);
        var origin = $"{server.Scheme}://{server.Authority}";
        var basePath = server.Path;
        return
        [
            new("node", "Node.js", "javascript", "npm install @segment/analytics-node", $$"""
                import { Analytics } from '@segment/analytics-node'

                const analytics = new Analytics({
                  writeKey: '{{key}}',
                  host: '{{origin}}',{{(basePath.Length > 0 ? $"\n  path: '{basePath}/v1/batch'," : "")}}
                })

                analytics.track({ userId: 'user-123', event: 'Order Completed', properties: { revenue: 39.95 } })

                // Send what is queued before the process exits.
                await analytics.closeAndFlush()
                """, "An ES module: save it as send.mjs and run node send.mjs."),
            new("python", "Python", "python", "pip install segment-analytics-python", $$"""
                import segment.analytics as analytics

                analytics.write_key = '{{key}}'
                analytics.host = '{{server.Url}}'

                analytics.track('user-123', 'Order Completed', {'revenue': 39.95})

                # Send what is queued before the program exits.
                analytics.flush()
                """),
            new("dotnet", ".NET", "csharp", "dotnet add package Segment.Analytics.CSharp", $$"""
                using Segment.Analytics;
                using Segment.Serialization;

                var analytics = new Analytics(new Configuration("{{key}}",
                    apiHost: "{{server.ApiHost}}",
                    cdnHost: "{{server.ApiHost}}"));

                analytics.Identify("user-123");
                analytics.Track("Order Completed", new JsonObject { ["revenue"] = 39.95 });
                analytics.Flush();
                """, onlyHttps),
            new("java", "Java", "java", "implementation 'com.segment.analytics.java:analytics:+'   // Gradle", $$"""
                import com.segment.analytics.Analytics;
                import com.segment.analytics.messages.TrackMessage;

                Analytics analytics = Analytics.builder("{{key}}")
                    .endpoint("{{server.Url}}")
                    .build();

                analytics.enqueue(TrackMessage.builder("Order Completed").userId("user-123"));

                // Send what is queued before the program exits.
                analytics.flush();
                analytics.shutdown();
                """),
            new("go", "Go", "go", "go get github.com/segmentio/analytics-go/v3", $$"""
                package main

                import "github.com/segmentio/analytics-go/v3"

                func main() {
                	client, err := analytics.NewWithConfig("{{key}}", analytics.Config{
                		Endpoint: "{{server.Url}}",
                	})
                	if err != nil {
                		panic(err)
                	}
                	// Close sends what is queued.
                	defer client.Close()

                	client.Enqueue(analytics.Track{
                		UserId:     "user-123",
                		Event:      "Order Completed",
                		Properties: analytics.NewProperties().Set("revenue", 39.95),
                	})
                }
                """),
            new("ruby", "Ruby", "ruby", "gem install analytics-ruby", $$"""
                require 'segment/analytics'

                analytics = Segment::Analytics.new(
                  write_key: '{{key}}',
                  host: '{{host}}',
                  port: {{port.ToString(CultureInfo.InvariantCulture)}},{{(basePath.Length > 0 ? $"\n  path: '{basePath}/v1/import'," : "")}}
                  on_error: proc { |status, message| warn "#{status}: #{message}" }
                )

                analytics.track(user_id: 'user-123', event: 'Order Completed', properties: { revenue: 39.95 })

                # Send what is queued before the program exits.
                analytics.flush
                """, onlyHttps),
            new("php", "PHP", "php", "composer require segmentio/analytics-php", $$"""
                <?php
                require __DIR__ . '/vendor/autoload.php';

                use Segment\Segment;

                Segment::init('{{key}}', [
                    'host' => '{{server.Authority}}{{basePath}}',
                    'ssl' => {{(https ? "true" : "false")}},
                    'consumer' => 'lib_curl',
                ]);

                Segment::track([
                    'userId' => 'user-123',
                    'event' => 'Order Completed',
                    'properties' => ['revenue' => 39.95],
                ]);

                Segment::flush();
                """),
            new("kotlin", "Kotlin (Android)", "kotlin", "implementation(\"com.segment.analytics.kotlin:android:1.+\")   // Gradle", $$"""
                import com.segment.analytics.kotlin.android.Analytics

                val analytics = Analytics("{{key}}", applicationContext) {
                    apiHost = "{{server.ApiHost}}"
                    cdnHost = "{{server.ApiHost}}"
                }

                analytics.track("Order Completed")
                """, onlyHttps),
            new("swift", "Swift (iOS)", "swift", "Swift Package Manager: https://github.com/segmentio/analytics-swift", $$"""
                import Segment

                let analytics = Analytics(configuration: Configuration(writeKey: "{{key}}")
                    .apiHost("{{server.ApiHost}}")
                    .cdnHost("{{server.ApiHost}}"))

                analytics.track(name: "Order Completed")
                """, onlyHttps),
            new("react-native", "React Native", "javascript",
                "npm install @segment/analytics-react-native @segment/sovran-react-native react-native-get-random-values @react-native-async-storage/async-storage",
                $$"""
                import { createClient } from '@segment/analytics-react-native'

                const segmentClient = createClient({
                  writeKey: '{{key}}',
                  // Segment's paths (/b, /projects/…/settings) are appended to these.
                  proxy: '{{server.Url}}/v1',
                  cdnProxy: '{{server.Url}}/v1',
                  useSegmentEndpoints: true,
                })

                segmentClient.track('Order Completed', { revenue: 39.95 })
                """),
            new("curl", "HTTP API (curl)", "shell", "curl is all it takes: the write key is the user name of Basic auth, with no password.", $$$"""
                curl -u '{{{key}}}:' \
                  -H 'Content-Type: application/json' \
                  -d '{"userId":"user-123","event":"Order Completed","properties":{"revenue":39.95}}' \
                  {{{server.Url}}}/v1/track
                """),
        ];
    }

    /// <summary>The host and port of the server, the port made explicit from the scheme when the address has none.</summary>
    private static (string Host, int Port) HostAndPort(PublicBase server)
    {
        var uri = new Uri(server.Url);
        return (uri.IdnHost, uri.Port);
    }
}
