using System.Buffers;
using System.Text.Json;
using Junction.Events;

namespace Junction.Core.Tests.Events;

public sealed class EventNormalizerTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 28, 12, 0, 11, TimeSpan.Zero);

    [Fact]
    public void ATrackCallGetsAMessageIdReceivedAtTimestampsChannelAndSourceIds()
    {
        var (rejection, result, json) = Normalize("""{"userId":"u1","event":"Order Completed","properties":{"revenue":9.5}}""", EventType.Track);

        Assert.Null(rejection);
        Assert.Equal("track", json.GetProperty("type").GetString());
        Assert.StartsWith("junction-", json.GetProperty("messageId").GetString());
        Assert.Equal(result.MessageId, json.GetProperty("messageId").GetString());
        Assert.Equal("2026-11-28T12:00:11.000Z", json.GetProperty("receivedAt").GetString());
        Assert.Equal("2026-11-28T12:00:11.000Z", json.GetProperty("timestamp").GetString());
        Assert.Equal("2026-11-28T12:00:11.000Z", json.GetProperty("originalTimestamp").GetString());
        Assert.Equal("server", json.GetProperty("channel").GetString());
        Assert.Equal("src_1", json.GetProperty("projectId").GetString());
        Assert.Equal("ws_1", json.GetProperty("workspaceId").GetString());
        Assert.Equal(9.5, json.GetProperty("properties").GetProperty("revenue").GetDouble());
        Assert.Equal("u1", result.PartitionKey);
        Assert.Equal("Order Completed", result.Name);
    }

    [Fact]
    public void TheTimestampIsCorrectedByTheDeviceClockSkewMeasuredWithSentAt()
    {
        // The device clock is five minutes fast: it says it sent at 12:05:10, the server received at 12:00:11.
        var (_, _, json) = Normalize(
            """{"userId":"u1","event":"E","timestamp":"2026-11-28T12:05:00.000Z","sentAt":"2026-11-28T12:05:10.000Z"}""", EventType.Track);

        Assert.Equal("2026-11-28T12:05:00.000Z", json.GetProperty("originalTimestamp").GetString());
        Assert.Equal("2026-11-28T12:00:01.000Z", json.GetProperty("timestamp").GetString());
        Assert.Equal("2026-11-28T12:05:10.000Z", json.GetProperty("sentAt").GetString());
    }

    [Fact]
    public void ATimestampWithoutSentAtIsKeptAsGiven()
    {
        var (_, _, json) = Normalize("""{"userId":"u1","event":"E","timestamp":"2020-01-02T03:04:05+02:00"}""", EventType.Track);

        Assert.Equal("2020-01-02T01:04:05.000Z", json.GetProperty("timestamp").GetString());
        Assert.Equal("2020-01-02T01:04:05.000Z", json.GetProperty("originalTimestamp").GetString());
    }

    [Fact]
    public void RudderStyleOriginalTimestampIsUsedWhenThereIsNoTimestamp()
    {
        var (_, _, json) = Normalize(
            """{"userId":"u1","event":"E","originalTimestamp":"2026-11-28T12:00:00.000Z","sentAt":"2026-11-28T12:00:10.000Z"}""", EventType.Track);

        Assert.Equal("2026-11-28T12:00:00.000Z", json.GetProperty("originalTimestamp").GetString());
        Assert.Equal("2026-11-28T12:00:01.000Z", json.GetProperty("timestamp").GetString());
    }

    [Fact]
    public void BatchContextIntegrationsAndSentAtApplyUnderEachItemsOwnValues()
    {
        using var envelope = JsonDocument.Parse("""
            {"context":{"library":{"name":"batch-lib","version":"1"},"locale":"en-US"},
             "integrations":{"All":false,"Mixpanel":true}}
            """);
        var normalization = new NormalizationContext
        {
            SourceId = "src_1",
            WorkspaceId = "ws_1",
            ReceivedAt = ReceivedAt,
            BatchContext = envelope.RootElement.GetProperty("context"),
            BatchIntegrations = envelope.RootElement.GetProperty("integrations"),
            BatchSentAt = ReceivedAt,
        };

        var (_, _, json) = Normalize(
            """{"type":"identify","userId":"u1","context":{"library":{"version":"2"},"timezone":"Europe/Berlin"},"integrations":{"Mixpanel":false}}""",
            null, normalization);

        var merged = json.GetProperty("context");
        Assert.Equal("batch-lib", merged.GetProperty("library").GetProperty("name").GetString());
        Assert.Equal("2", merged.GetProperty("library").GetProperty("version").GetString());
        Assert.Equal("en-US", merged.GetProperty("locale").GetString());
        Assert.Equal("Europe/Berlin", merged.GetProperty("timezone").GetString());
        Assert.False(json.GetProperty("integrations").GetProperty("All").GetBoolean());
        Assert.False(json.GetProperty("integrations").GetProperty("Mixpanel").GetBoolean());
        Assert.Equal("2026-11-28T12:00:11.000Z", json.GetProperty("sentAt").GetString());
    }

    [Theory]
    [InlineData(true, """{"anonymousId":"a1","event":"E","context":{"library":{"name":"analytics.js"}}}""", "203.0.113.9")]
    [InlineData(false, """{"anonymousId":"a1","event":"E","context":{"library":{"name":"analytics-ios"}}}""", "203.0.113.9")]
    [InlineData(false, """{"anonymousId":"a1","event":"E","context":{"direct":true}}""", "203.0.113.9")]
    [InlineData(false, """{"anonymousId":"a1","event":"E","context":{"library":{"name":"@segment/analytics-node"}}}""", null)]
    [InlineData(true, """{"anonymousId":"a1","event":"E","context":{"ip":"198.51.100.1"}}""", "198.51.100.1")]
    public void ContextIpIsFilledFromTheRequestForBrowserAndMobileEventsOnly(bool browserPath, string body, string? expectedIp)
    {
        var normalization = new NormalizationContext
        {
            SourceId = "src_1",
            WorkspaceId = "ws_1",
            ReceivedAt = ReceivedAt,
            RequestIp = "203.0.113.9",
            FromBrowserPath = browserPath,
        };
        var (_, _, json) = Normalize(body, EventType.Track, normalization);

        var ip = json.TryGetProperty("context", out var c) && c.TryGetProperty("ip", out var value) ? value.GetString() : null;
        Assert.Equal(expectedIp, ip);
    }

    [Fact]
    public void NumericIdsAreKeptAsStringsAndTheWriteKeyIsNotStored()
    {
        var (_, result, json) = Normalize("""{"userId":12345,"messageId":987,"event":"E","writeKey":"secret"}""", EventType.Track);

        Assert.Equal("12345", json.GetProperty("userId").GetString());
        Assert.Equal("987", json.GetProperty("messageId").GetString());
        Assert.False(json.TryGetProperty("writeKey", out _));
        Assert.Equal("987", result.MessageId);
    }

    [Fact]
    public void FieldsJunctionDoesNotManageAreCopiedAsTheyCame()
    {
        var (_, _, json) = Normalize(
            """{"anonymousId":"a","name":"Home","category":"Docs","properties":{"url":"https://x/é","nested":{"deep":[1,2,{"k":null}]}},"_metadata":{"bundled":["Segment.io"]},"version":2}""",
            EventType.Page);

        Assert.Equal("page", json.GetProperty("type").GetString());
        Assert.Equal("Home", json.GetProperty("name").GetString());
        Assert.Equal("Docs", json.GetProperty("category").GetString());
        Assert.Equal("https://x/é", json.GetProperty("properties").GetProperty("url").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("properties").GetProperty("nested").GetProperty("deep")[2].GetProperty("k").ValueKind);
        Assert.Equal("Segment.io", json.GetProperty("_metadata").GetProperty("bundled")[0].GetString());
        Assert.Equal(2, json.GetProperty("version").GetInt32());
    }

    [Fact]
    public void AnAliasIsPartitionedByItsNewUserId()
    {
        var (_, result, _) = Normalize("""{"userId":"new","previousId":"anon-1"}""", EventType.Alias);

        Assert.Equal("new", result.PartitionKey);
    }

    [Theory]
    [InlineData("track", """{"event":"E"}""", "no_user_anon_id", "userId")]
    [InlineData("track", """{"userId":"","anonymousId":null,"event":"E"}""", "no_user_anon_id", "userId")]
    [InlineData("track", """{"userId":{"id":1},"event":"E"}""", "id_not_string", "userId")]
    [InlineData("track", """{"userId":"u"}""", "event_not_defined", "event")]
    [InlineData("track", """{"userId":"u","event":"  "}""", "event_not_defined", "event")]
    [InlineData("track", """{"userId":"u","event":42}""", "event_not_string", "event")]
    [InlineData("track", """{"userId":"u","event":"E","properties":[1]}""", "properties_not_object", "properties")]
    [InlineData("identify", """{"userId":"u","traits":"vip"}""", "traits_not_object", "traits")]
    [InlineData("identify", """{"userId":"u","context":true}""", "context_not_object", "context")]
    [InlineData("page", """{"userId":"u","name":7}""", "name_not_string", "name")]
    [InlineData("screen", """{"userId":"u","category":[]}""", "category_not_string", "category")]
    [InlineData("group", """{"userId":"u"}""", "groupId_required", "groupId")]
    [InlineData("alias", """{"userId":"u"}""", "previousId_required", "previousId")]
    [InlineData("alias", """{"anonymousId":"a","previousId":"p"}""", "userId_required", "userId")]
    [InlineData("track", """{"userId":"u","event":"E","timestamp":"yesterday"}""", "timestamp_invalid", "timestamp")]
    [InlineData("track", """{"userId":"u","event":"E","sentAt":12}""", "timestamp_invalid", "sentAt")]
    [InlineData(null, """{"userId":"u","event":"E"}""", "type_required", "type")]
    [InlineData(null, """{"type":"purchase","userId":"u"}""", "type_invalid", "type")]
    public void AnEventThatBreaksTheSpecIsRejectedWithACodeAndTheFieldAtFault(string? type, string body, string code, string field)
    {
        var (rejection, _, _) = Normalize(body, type is null ? null : EventTypes.TryParse(type, out var parsed) ? parsed : throw new ArgumentException(type));

        Assert.NotNull(rejection);
        Assert.Equal(code, rejection.Code);
        Assert.Equal(field, rejection.Field);
        Assert.False(string.IsNullOrWhiteSpace(rejection.Message));
    }

    [Fact]
    public void AnEventLargerThan32KilobytesIsRejected()
    {
        var (rejection, _, _) = Normalize($$$"""{"userId":"u","event":"E","properties":{"blob":"{{{new string('x', 33 * 1024)}}}"}}""", EventType.Track);

        Assert.Equal("event_too_large", rejection?.Code);
    }

    [Fact]
    public void TheTypeOfABatchItemIsReadWhateverItsCase()
    {
        var (rejection, result, json) = Normalize("""{"type":"Track","userId":"u","event":"E"}""", null);

        Assert.Null(rejection);
        Assert.Equal(EventType.Track, result.Type);
        Assert.Equal("track", json.GetProperty("type").GetString());
    }

    private static NormalizationContext Context(bool browserPath = false) => new()
    {
        SourceId = "src_1",
        WorkspaceId = "ws_1",
        ReceivedAt = ReceivedAt,
        FromBrowserPath = browserPath,
    };

    private static (Rejection? Rejection, NormalizedEvent Result, JsonElement Json) Normalize(
        string body, EventType? type, NormalizationContext? context = null)
    {
        using var input = JsonDocument.Parse(body);
        var output = new ArrayBufferWriter<byte>();
        using var writer = EventNormalizer.CreateWriter(output);
        var rejection = EventNormalizer.Normalize(input.RootElement, type, context ?? Context(), output, writer, out var result);
        if (rejection is not null)
        {
            return (rejection, result, default);
        }

        var json = JsonDocument.Parse(output.WrittenMemory.Slice(result.Start, result.Length)).RootElement.Clone();
        return (null, result, json);
    }
}
