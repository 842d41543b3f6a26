using System.Text.Json;
using static Junction.Core.Tests.Mapping.MappingKit;

namespace Junction.Core.Tests.Mapping;

public sealed class RealisticMappingTests
{
    private const string TrackEvent = """
        {
          "type": "track",
          "event": "Song Played",
          "userId": "u1",
          "anonymousId": "anon-1",
          "messageId": "m-123",
          "timestamp": "2024-05-01T10:00:00.000Z",
          "receivedAt": "2024-05-01T10:00:01.000Z",
          "properties": {"genre": "jazz", "revenue": 1.99, "products": [{"productId": "p1", "price": 0.99, "quantity": 2}]},
          "context": {
            "ip": "1.2.3.4",
            "locale": "en-US",
            "userAgent": "Mozilla/5.0",
            "library": {"name": "analytics.js", "version": "2.11.1"},
            "page": {"referrer": "https://search.example/"},
            "campaign": {"source": "google", "medium": "cpc"},
            "location": {"country": "France", "city": "Paris"},
            "os": {"name": "Mac OS", "version": "14.4"}
          },
          "integrations": {"Actions Amplitude": {"session_id": 1714557000000}}
        }
        """;

    /// <summary>The field defaults of Amplitude's "Log Event V2" action (reference D2.1).</summary>
    private const string AmplitudeLogEvent = """
        {
          "user_id": {"@path": "$.userId"},
          "device_id": {"@if": {"exists": {"@path": "$.context.device.id"}, "then": {"@path": "$.context.device.id"}, "else": {"@path": "$.anonymousId"}}},
          "event_type": {"@path": "$.event"},
          "session_id": {"@path": "$.integrations.Actions Amplitude.session_id"},
          "time": {"@path": "$.timestamp"},
          "event_properties": {"@path": "$.properties"},
          "user_properties": {"@path": "$.traits"},
          "app_version": {"@path": "$.context.app.version"},
          "platform": {"@path": "$.context.device.type"},
          "os_name": {"@path": "$.context.os.name"},
          "os_version": {"@path": "$.context.os.version"},
          "device_brand": {"@path": "$.context.device.brand"},
          "device_manufacturer": {"@path": "$.context.device.manufacturer"},
          "device_model": {"@path": "$.context.device.model"},
          "carrier": {"@path": "$.context.network.carrier"},
          "country": {"@path": "$.context.location.country"},
          "region": {"@path": "$.context.location.region"},
          "city": {"@path": "$.context.location.city"},
          "language": {"@path": "$.context.locale"},
          "price": {"@path": "$.properties.price"},
          "quantity": {"@path": "$.properties.quantity"},
          "revenue": {"@path": "$.properties.revenue"},
          "productId": {"@path": "$.properties.productId"},
          "revenueType": {"@path": "$.properties.revenueType"},
          "location_lat": {"@path": "$.context.location.latitude"},
          "location_lng": {"@path": "$.context.location.longitude"},
          "ip": {"@path": "$.context.ip"},
          "idfa": {"@if": {"exists": {"@path": "$.context.device.advertisingId"}, "then": {"@path": "$.context.device.advertisingId"}, "else": {"@path": "$.context.device.idfa"}}},
          "idfv": {"@path": "$.context.device.id"},
          "adid": {"@if": {"exists": {"@path": "$.context.device.advertisingId"}, "then": {"@path": "$.context.device.advertisingId"}, "else": {"@path": "$.context.device.idfa"}}},
          "products": {"@arrayPath": ["$.properties.products", {
            "price": {"@path": "$.price"}, "revenue": {"@path": "$.revenue"}, "quantity": {"@path": "$.quantity"},
            "productId": {"@path": "$.productId"}, "revenueType": {"@path": "$.revenueType"}}]},
          "setOnce": {
            "initial_referrer": {"@path": "$.context.page.referrer"},
            "initial_utm_source": {"@path": "$.context.campaign.source"},
            "initial_utm_medium": {"@path": "$.context.campaign.medium"},
            "initial_utm_campaign": {"@path": "$.context.campaign.name"}
          },
          "setAlways": {
            "referrer": {"@path": "$.context.page.referrer"},
            "utm_source": {"@path": "$.context.campaign.source"},
            "utm_medium": {"@path": "$.context.campaign.medium"},
            "utm_campaign": {"@path": "$.context.campaign.name"}
          },
          "use_batch_endpoint": false,
          "userAgent": {"@path": "$.context.userAgent"},
          "userAgentParsing": true,
          "includeRawUserAgent": false,
          "library": {"@path": "$.context.library.name"}
        }
        """;

    [Fact]
    public void AmplitudesLogEventDefaultsMapATrackEvent()
    {
        var payload = Map(AmplitudeLogEvent, TrackEvent);

        AssertJson("""
            {
              "user_id": "u1",
              "device_id": "anon-1",
              "event_type": "Song Played",
              "session_id": 1714557000000,
              "time": "2024-05-01T10:00:00.000Z",
              "event_properties": {"genre": "jazz", "revenue": 1.99, "products": [{"productId": "p1", "price": 0.99, "quantity": 2}]},
              "os_name": "Mac OS",
              "os_version": "14.4",
              "country": "France",
              "city": "Paris",
              "language": "en-US",
              "revenue": 1.99,
              "ip": "1.2.3.4",
              "products": [{"price": 0.99, "quantity": 2, "productId": "p1"}],
              "setOnce": {"initial_referrer": "https://search.example/", "initial_utm_source": "google", "initial_utm_medium": "cpc"},
              "setAlways": {"referrer": "https://search.example/", "utm_source": "google", "utm_medium": "cpc"},
              "use_batch_endpoint": false,
              "userAgent": "Mozilla/5.0",
              "userAgentParsing": true,
              "includeRawUserAgent": false,
              "library": "analytics.js"
            }
            """, payload);
    }

    [Fact]
    public void AmplitudesPagePresetNamesTheEventWithATemplate()
    {
        var payload = Map("""{"event_type": {"@template": "Viewed {{name}}"}, "user_id": {"@path": "$.userId"}}""", """{"type": "page", "name": "Pricing", "userId": "u1"}""");

        AssertJson("""{"event_type": "Viewed Pricing", "user_id": "u1"}""", payload);
    }

    [Fact]
    public void TheWebhookDefaultMappingSendsTheWholeEvent()
    {
        const string Webhook = """
            {"url": "https://hooks.example.com/segment", "method": "POST", "headers": {"X-Source": "junction"},
             "data": {"@path": "$."}, "enable_batching": false, "batch_size": 0}
            """;

        var payload = Map(Webhook, TrackEvent);

        Assert.Equal("https://hooks.example.com/segment", payload["url"]!.GetValue<string>());
        Assert.Equal("POST", payload["method"]!.GetValue<string>());
        AssertJson(TrackEvent, payload["data"]);
    }

    [Fact]
    public void ARootTransformReshapesTheEventBeforeTheFieldsReadIt()
    {
        // The shape Segment uses for Linked Audiences: merge a flattened entity context into the properties,
        // remove the nested copy, then let every field read from the result.
        const string Mapping = """
            {
              "__segment_internal_directive": {"@transform": {
                "apply": {"@merge": {"direction": "right", "objects": [
                  {"@path": "$."},
                  {"properties": {"@merge": {"direction": "right", "objects": [
                    {"@path": "$.properties"},
                    {"@flatten": {"separator": "__", "omitArrays": true, "value": {"@path": "$.properties.entity"}}},
                    {"entity": {"@path": "$.nothing"}}]}}}]}},
                "mapping": {"ignored": true}}},
              "url": "https://hooks.example.com/audience",
              "data": {"@path": "$.properties"}
            }
            """;
        var @event = """{"type": "track", "properties": {"audience": "vip", "entity": {"account": {"id": "a1", "tags": ["x"]}}}}""";

        var payload = Map(Mapping, @event);

        AssertJson("""{"url": "https://hooks.example.com/audience", "data": {"audience": "vip", "account__id": "a1", "account__tags": ["x"]}}""", payload);
    }

    [Fact]
    public void EvaluationNeverThrowsWhateverTheEvent()
    {
        var mappings = new[] { AmplitudeLogEvent, """{"all": {"@path": "$."}, "t": {"@template": "{{properties}}{{properties.a.b}}"}, "f": {"@flatten": {"value": {"@path": "$.properties"}, "separator": "."}}, "j": {"@json": {"mode": "encode", "value": {"@path": "$."}}}}""" }
            .Select(Compile)
            .ToArray();
        var events = new[]
        {
            """{}""",
            """{"properties": null, "context": 5, "integrations": "x"}""",
            """{"properties": {"a": [[[]]], "n": 1e400, "big": 123456789012345678901234567890}, "event": ["not", "a", "name"]}""",
            """{"properties": {"a": {"b": {"c": {"d": {"e": {"f": {"g": {}}}}}}}}, "timestamp": {"nested": true}}""",
        };

        foreach (var mapping in mappings)
        {
            foreach (var json in events)
            {
                using var document = JsonDocument.Parse(json);
                Assert.True(mapping.Evaluate(document.RootElement).Succeeded, json);
            }
        }
    }

    [Fact]
    public void AnEventThatIsNotAnObjectOrNotValidUnicodeIsAFailureNotAnException()
    {
        var mapping = Compile("""{"id": {"@path": "$.userId"}, "name": {"@template": "{{traits.name}}"}}""");
        using var array = JsonDocument.Parse("[1]");
        using var loneSurrogate = JsonDocument.Parse("""{"userId": "u1", "traits": {"name": "\ud800"}}""");

        Assert.StartsWith("The event must be a JSON object", mapping.Evaluate(array.RootElement).Failure!.Message, StringComparison.Ordinal);
        Assert.Contains("not valid Unicode", mapping.Evaluate(loneSurrogate.RootElement).Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NumbersAreWrittenAsJavaScriptWouldAndTheEventMayBeDisposedAfterwards()
    {
        System.Text.Json.Nodes.JsonObject payload;
        using (var document = JsonDocument.Parse("""{"properties": {"a": 1.50, "b": 10, "c": 1e2, "d": {"e": "kept"}}}"""))
        {
            payload = Compile("""{"p": {"@path": "$.properties"}}""").Evaluate(document.RootElement).Payload!;
        }

        AssertJson("""{"p": {"a": 1.5, "b": 10, "c": 100, "d": {"e": "kept"}}}""", payload);
    }
}
