using System.Text.Json;
using Junction.EventLog;
using Junction.Ingest.Debugger;
using Junction.Protocols.Controls;
using Junction.Protocols.Plans;
using Junction.Protocols.Processing;

namespace Junction.Protocols.Tests.Processing;

public sealed class ProtocolsStageTests : IDisposable
{
    private const string OrderSchema = """
        {"$schema":"http://json-schema.org/draft-07/schema#","type":"object","required":["properties"],
         "properties":{"properties":{"type":"object","required":["order_id"],
           "properties":{"order_id":{"type":"string"},"price":{"type":"number"}}}}}
        """;

    private const string CleanOrder = """{"type":"track","event":"Order Completed","userId":"u1","messageId":"m-clean","properties":{"order_id":"o1","price":5},"projectId":"src-web"}""";

    private readonly StageHarness _harness = new();

    [Fact]
    public async Task EventsOfASourceWithoutProtocolsOrBlocksAreHandedOnAsTheSameListAndBytes()
    {
        LogEntry[] entries = [StageHarness.Entry(CleanOrder), StageHarness.Entry("""{"type":"identify","userId":"u1","traits":{"a":1}}""")];

        var handedOn = await _harness.RunAsync(entries);

        Assert.Same(entries, handedOn);
        Assert.Empty(_harness.Log.Appended);
    }

    [Fact]
    public async Task ACleanPlannedEventKeepsItsEntryAndPayloadBytes()
    {
        _harness.Connect(Strict(), [StageHarness.Track("Order Completed", OrderSchema)]);
        var entry = StageHarness.Entry(CleanOrder);

        var handedOn = Assert.Single(await _harness.RunAsync(entry));

        Assert.Same(entry, handedOn);
        Assert.True(entry.Payload.Equals(handedOn.Payload));
    }

    [Fact]
    public async Task AnEventBlockedInTheSchemaViewIsDroppedCountedAndShownBlockedInTheDebugger()
    {
        await _harness.BlockAsync("""{"type":"track","event":"Debug Ping","userId":"u1"}""");
        var blocked = StageHarness.Entry("""{"type":"track","event":"Debug Ping","userId":"u2","messageId":"m-ping"}""");
        var kept = StageHarness.Entry(CleanOrder);

        var handedOn = await _harness.RunAsync(blocked, kept);

        Assert.Same(kept, Assert.Single(handedOn));
        var shown = _harness.Debugger.Recent(StageHarness.Source, 10).Single(e => e.Status == DebuggerStatus.Blocked);
        Assert.Equal(("event_setting", "m-ping", "u2"), (shown.Reason!.Code, shown.MessageId, shown.UserId));
        var events = await _harness.Inventory.ListAsync(StageHarness.Source, CancellationToken.None);
        var ping = events.Single(e => e.Name == "Debug Ping");
        Assert.Equal((2L, 1L, true), (ping.Volume30Days, ping.Blocked30Days, ping.IsBlocked));

        // The processor counted both events in the volume as they arrived; the stage takes the blocked one back.
        var (key, counts) = Assert.Single(_harness.Volume.Drain(StageHarness.Now.AddDays(-1)));
        Assert.Equal((StageHarness.Source, "track", "Debug Ping", -1L), (key.SourceId, key.EventType, key.EventName, counts.Accepted));
        Assert.Equal(1, (await _harness.Inventory.BlockedByReasonAsync(StageHarness.Source, CancellationToken.None))[BlockReasons.EventSetting]);
    }

    [Fact]
    public async Task ABlockedPropertyIsRemovedAndTheRestOfTheEventIsKept()
    {
        await _harness.BlockAsync("""{"type":"identify","userId":"u1","traits":{"email":"a@example.com","plan":"pro"}}""", "traits.email");

        var handedOn = Assert.Single(await _harness.RunAsync(StageHarness.Entry("""{"type":"identify","userId":"u2","traits":{"email":"b@example.com","plan":"free"}}""")));

        var traits = StageHarness.Json(handedOn).GetProperty("traits");
        Assert.False(traits.TryGetProperty("email", out _));
        Assert.Equal("free", traits.GetProperty("plan").GetString());
    }

    [Fact]
    public async Task UnplannedEventsAreBlockedWhenTheSourceBlocksThemAndShownWithTheReason()
    {
        _harness.Connect(Strict(), [StageHarness.Track("Order Completed", OrderSchema)]);

        var handedOn = await _harness.RunAsync(StageHarness.Entry("""{"type":"track","event":"Coupon Applied","userId":"u1","messageId":"m-coupon"}"""));

        Assert.Empty(handedOn);
        var shown = Assert.Single(_harness.Debugger.Recent(StageHarness.Source, 10));
        Assert.Equal(DebuggerStatus.Blocked, shown.Status);
        Assert.Equal("unplanned", shown.Reason!.Code);
        Assert.Contains("Coupon Applied", shown.Reason.Message, StringComparison.Ordinal);
        var json = JsonSerializer.Deserialize<JsonElement>(DebuggerJson.Serialize(shown));
        Assert.Equal(("blocked", "unplanned"), (json.GetProperty("status").GetString(), json.GetProperty("reason").GetProperty("code").GetString()));
    }

    [Fact]
    public async Task UnplannedEventsGoOnWithAnUnplannedEventViolationWhenTheSourceAllowsThem()
    {
        _harness.Connect(SourceSchemaSettings.Default, [StageHarness.Track("Order Completed", OrderSchema)]);

        var handedOn = Assert.Single(await _harness.RunAsync(StageHarness.Entry("""{"type":"track","event":"Coupon Applied","userId":"u1"}""")));

        var violation = Assert.Single(Violations(handedOn));
        Assert.Equal((ViolationTypes.UnplannedEvent, "event"), (violation.Type, violation.Field));
    }

    [Fact]
    public async Task EventsWithViolationsAreBlockedAsSchemaViolationsWhenTheSourceBlocksThem()
    {
        _harness.Connect(Strict(), [StageHarness.Track("Order Completed", OrderSchema)]);

        var handedOn = await _harness.RunAsync(StageHarness.Entry("""{"type":"track","event":"Order Completed","userId":"u1","properties":{"order_id":"o1","price":"5"}}"""));

        Assert.Empty(handedOn);
        var shown = Assert.Single(_harness.Debugger.Recent(StageHarness.Source, 10));
        Assert.Equal(("schema_violation", "properties.price"), (shown.Reason!.Code, shown.Reason.Field));
    }

    [Fact]
    public async Task ViolatingAndUnplannedPropertiesAreOmittedAndListedInContextProtocols()
    {
        var settings = SourceSchemaSettings.Default with
        {
            Track = new TrackControls(AllowUnplannedEventProperties: false, AllowPropertiesOnViolations: false),
        };
        _harness.Connect(settings, [StageHarness.Track("Order Completed", OrderSchema)]);

        var handedOn = Assert.Single(await _harness.RunAsync(StageHarness.Entry("""
            {"type":"track","event":"Order Completed","userId":"u1","properties":{"order_id":"o1","price":"5","coupon":"X"},
             "context":{"protocols":{"event_version":1}}}
            """)));

        var json = StageHarness.Json(handedOn);
        Assert.Equal("""{"order_id":"o1"}""", json.GetProperty("properties").GetRawText());
        var protocols = json.GetProperty("context").GetProperty("protocols");
        Assert.Equal(1, protocols.GetProperty("event_version").GetInt32());
        Assert.Equal(StageHarness.Source, protocols.GetProperty("sourceId").GetString());
        Assert.Equal("""["coupon"]""", protocols.GetProperty("omitted").GetRawText());
        Assert.Equal("""["price"]""", protocols.GetProperty("omitted_on_violation").GetRawText());
        Assert.Equal(
            [(ViolationTypes.InvalidType, "properties.price"), (ViolationTypes.UnplannedProperty, "properties.coupon")],
            Violations(handedOn).Select(v => (v.Type, v.Field)));
        Assert.Equal(protocols.GetProperty("violations").GetRawText(), json.GetProperty("context").GetProperty("violations").GetRawText());
        foreach (var violation in protocols.GetProperty("violations").EnumerateArray())
        {
            Assert.Equal(["type", "field", "description"], violation.EnumerateObject().Select(p => p.Name));
        }
    }

    [Theory]
    [InlineData("Block", true)]
    [InlineData("Omit", false)]
    [InlineData("Allow", false)]
    public async Task TheCommonSchemaBlocksOmitsOrAllowsAsTheSourceSays(string actionName, bool blocked)
    {
        var action = Enum.Parse<CommonViolationAction>(actionName);
        var settings = SourceSchemaSettings.Default with { Track = new TrackControls(CommonEventOnViolations: action) };
        _harness.Connect(settings, [
            StageHarness.Track("Order Completed", OrderSchema),
            StageHarness.Rule(RuleType.Common, """{"type":"object","properties":{"properties":{"type":"object","properties":{"price":{"type":"number","minimum":0}}}}}"""),
        ]);

        var handedOn = await _harness.RunAsync(StageHarness.Entry("""{"type":"track","event":"Order Completed","userId":"u1","properties":{"order_id":"o1","price":-1}}"""));

        Assert.Equal(blocked, handedOn.Count == 0);
        if (blocked)
        {
            Assert.Equal("common_schema_violation", Assert.Single(_harness.Debugger.Recent(StageHarness.Source, 10)).Reason!.Code);
        }
        else
        {
            var properties = StageHarness.Json(handedOn[0]).GetProperty("properties");
            Assert.Equal(action == CommonViolationAction.Allow, properties.TryGetProperty("price", out _));
            Assert.Equal("properties.price", Assert.Single(Violations(handedOn[0])).Field);
        }
    }

    [Fact]
    public async Task UnplannedTraitsOfIdentifyCallsAreOmittedButIdentifyCallsAreNeverBlockedForTheirRule()
    {
        var settings = SourceSchemaSettings.Default with
        {
            Track = new TrackControls(AllowEventOnViolations: false),
            Identify = new TraitsControls(AllowUnplannedTraits: false),
        };
        _harness.Connect(settings, [StageHarness.Rule(RuleType.Identify, """{"type":"object","properties":{"traits":{"type":"object","properties":{"email":{"type":"string"}}}}}""")]);

        var handedOn = Assert.Single(await _harness.RunAsync(StageHarness.Entry("""{"type":"identify","userId":"u1","traits":{"email":7,"shoe_size":44}}""")));

        var json = StageHarness.Json(handedOn);
        Assert.Equal("""{"email":7}""", json.GetProperty("traits").GetRawText());
        Assert.Equal("""["shoe_size"]""", json.GetProperty("context").GetProperty("protocols").GetProperty("omitted").GetRawText());
    }

    [Fact]
    public async Task TransformationsRunBeforeThePlanAndTheRenamedEventCarriesItsNewTag()
    {
        _harness.Connect(Strict(), [StageHarness.Track("Order Completed", OrderSchema)],
            StageHarness.Transformation("Fix name", "event = 'completed_order'", newEventName: "Order Completed"));

        var handedOn = Assert.Single(await _harness.RunAsync(StageHarness.Entry("""{"type":"track","event":"completed_order","userId":"u1","properties":{"order_id":"o1"}}""")));

        Assert.Equal("track:Order Completed", handedOn.Tag);
        var json = StageHarness.Json(handedOn);
        Assert.Equal("Order Completed", json.GetProperty("event").GetString());
        Assert.False(json.TryGetProperty("context", out _));
    }

    [Fact]
    public async Task TheSchemaViewsBlockComesBeforeTransformationsAndTheSchemaObservesTheEventAsItArrived()
    {
        await _harness.BlockAsync("""{"type":"track","event":"completed_order","userId":"u1"}""");
        _harness.Connect(SourceSchemaSettings.Default, [StageHarness.Track("Order Completed", OrderSchema)],
            StageHarness.Transformation("Fix name", "event = 'completed_order'", newEventName: "Order Completed"));

        var handedOn = await _harness.RunAsync(StageHarness.Entry("""{"type":"track","event":"completed_order","userId":"u1","properties":{"order_id":"o1"}}"""));

        Assert.Empty(handedOn);
        var events = await _harness.Inventory.ListAsync(StageHarness.Source, CancellationToken.None);
        Assert.Equal(["completed_order"], events.Select(e => e.Name));
    }

    [Fact]
    public async Task ATransformationThatDropsTheEventShowsItBlockedWithTheTransformationsName()
    {
        _harness.Connect(SourceSchemaSettings.Default, null, StageHarness.Transformation("No tests", "event = 'Test'", drop: true));

        var handedOn = await _harness.RunAsync(StageHarness.Entry("""{"type":"track","event":"Test","userId":"u1"}"""), StageHarness.Entry(CleanOrder));

        Assert.Equal(["track:Order Completed"], handedOn.Select(e => e.Tag));
        var shown = Assert.Single(_harness.Debugger.Recent(StageHarness.Source, 10));
        Assert.Equal("transformation", shown.Reason!.Code);
        Assert.Contains("No tests", shown.Reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventsForwardedByProtocolsAreNotCheckedAgainstThePlan()
    {
        _harness.Connect(Strict(), [StageHarness.Track("Order Completed", OrderSchema)]);
        var forwarded = StageHarness.Entry("""{"type":"track","event":"Coupon Applied","userId":"u1","forwardedFromProject":"src-mobile"}""");

        var handedOn = await _harness.RunAsync(forwarded);

        Assert.Same(forwarded, Assert.Single(handedOn));
    }

    [Fact]
    public async Task BlockedEventsAreForwardedAsEventsOfTheTargetSourceWithTheirOrigin()
    {
        _harness.Connect(Strict() with { ForwardingBlockedEventsTo = StageHarness.Target }, [StageHarness.Track("Order Completed", OrderSchema)]);
        var blocked = StageHarness.Entry("""{"type":"track","event":"Coupon Applied","userId":"u7","messageId":"m-77","projectId":"src-web","workspaceId":"ws-1"}""");

        await _harness.RunAsync(blocked);

        var record = Assert.Single(_harness.Log.Appended);
        Assert.Equal((StageHarness.Target + ":m-77", "u7", "track:Coupon Applied"), (record.IdempotencyKey, record.PartitionKey, record.Tag));
        var json = StageHarness.Json(record);
        Assert.Equal((StageHarness.Target, StageHarness.Source, "Coupon Applied"),
            (json.GetProperty("projectId").GetString(), json.GetProperty("forwardedFromProject").GetString(), json.GetProperty("event").GetString()));
        var shown = Assert.Single(_harness.Debugger.Recent(StageHarness.Target, 10));
        Assert.Equal((DebuggerStatus.Accepted, "m-77", "u7"), (shown.Status, shown.MessageId, shown.UserId));
    }

    [Fact]
    public async Task EventsBlockedInTheSchemaViewAreNotForwarded()
    {
        await _harness.BlockAsync("""{"type":"track","event":"Debug Ping","userId":"u1"}""");
        _harness.Connect(SourceSchemaSettings.Default with { ForwardingBlockedEventsTo = StageHarness.Target });

        Assert.Empty(await _harness.RunAsync(StageHarness.Entry("""{"type":"track","event":"Debug Ping","userId":"u1"}""")));

        Assert.Empty(_harness.Log.Appended);
    }

    [Fact]
    public async Task ViolationsAreForwardedAsViolationGeneratedEventsWithStableMessageIds()
    {
        _harness.Connect(SourceSchemaSettings.Default with { ForwardingViolationsTo = StageHarness.Target }, [StageHarness.Track("Order Completed", OrderSchema)]);
        const string Invalid = """{"type":"track","event":"Order Completed","userId":"u1","messageId":"m-9","properties":{"price":"5"},"timestamp":"2026-11-29T10:29:00.000Z","context":{"app":{"version":"3.2"}}}""";

        await _harness.RunAsync(StageHarness.Entry(Invalid));
        await _harness.RunAsync(StageHarness.Entry(Invalid));

        var appended = _harness.Log.Appended;
        Assert.Equal(4, appended.Count);
        Assert.Equal(appended.Take(2).Select(r => r.IdempotencyKey), appended.Skip(2).Select(r => r.IdempotencyKey));
        var record = appended.Take(2).Single(r => StageHarness.Json(r).GetProperty("properties").GetProperty("violationType").GetString() == ViolationTypes.Required);
        Assert.Equal(("schema-violations", "track:Violation Generated"), (record.PartitionKey, record.Tag));
        Assert.StartsWith(StageHarness.Target + ":sch-", record.IdempotencyKey, StringComparison.Ordinal);
        var json = StageHarness.Json(record);
        Assert.Equal(("Violation Generated", "schema-violations", StageHarness.Source, StageHarness.Target),
            (json.GetProperty("event").GetString(), json.GetProperty("userId").GetString(), json.GetProperty("forwardedFromProject").GetString(), json.GetProperty("projectId").GetString()));
        var properties = json.GetProperty("properties");
        Assert.Equal(
            ("3.2", "m-9", "Order Completed", "2026-11-29T10:29:00.000Z", "track", StageHarness.Source, "Web", "web", "tp_1", "Web plan", "properties.order_id"),
            (properties.GetProperty("appVersion").GetString(), properties.GetProperty("eventMessageID").GetString(), properties.GetProperty("eventName").GetString(),
             properties.GetProperty("eventTimestamp").GetString(), properties.GetProperty("eventType").GetString(), properties.GetProperty("sourceID").GetString(),
             properties.GetProperty("sourceName").GetString(), properties.GetProperty("sourceSlug").GetString(), properties.GetProperty("trackingPlanID").GetString(),
             properties.GetProperty("trackingPlanName").GetString(), properties.GetProperty("violationField").GetString()));
        Assert.StartsWith("properties.order_id", properties.GetProperty("violationDescription").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingIsForwardedToASourceOfAnotherWorkspace()
    {
        _harness.Connect(Strict() with { ForwardingBlockedEventsTo = "src-elsewhere", ForwardingViolationsTo = "src-elsewhere" }, [StageHarness.Track("Order Completed", OrderSchema)]);

        Assert.Empty(await _harness.RunAsync(StageHarness.Entry("""{"type":"track","event":"Coupon Applied","userId":"u1"}""")));

        Assert.Empty(_harness.Log.Appended);
    }

    [Fact]
    public async Task WhenTheLogCannotStoreAForwardedEventTheStageFailsSoTheProcessorTriesAgain()
    {
        _harness.Connect(Strict() with { ForwardingBlockedEventsTo = StageHarness.Target }, [StageHarness.Track("Order Completed", OrderSchema)]);
        _harness.Log.Answer = AppendStatus.Unavailable;

        await Assert.ThrowsAsync<IOException>(() => _harness.RunAsync(StageHarness.Entry("""{"type":"track","event":"Coupon Applied","userId":"u1"}""")));
    }

    [Fact]
    public async Task ViolationsAreRecordedPerEventTypeAndFieldWithSamples()
    {
        _harness.Connect(SourceSchemaSettings.Default, [StageHarness.Track("Order Completed", OrderSchema)]);

        await _harness.RunAsync(
            StageHarness.Entry("""{"type":"track","event":"Order Completed","userId":"u1","messageId":"m-a","properties":{"order_id":"o1","price":"5"}}"""),
            StageHarness.Entry("""{"type":"track","event":"Order Completed","userId":"u1","messageId":"m-b","properties":{"order_id":"o2","price":"6"}}"""));
        await _harness.Flusher.FlushAsync(CancellationToken.None);

        var summary = Assert.Single(await _harness.Violations.SummaryAsync(StageHarness.Source, StageHarness.Now.AddHours(-1), CancellationToken.None));
        Assert.Equal(("track", "Order Completed", ViolationTypes.InvalidType, "properties.price", 2L), (summary.Type, summary.Name, summary.ViolationType, summary.Field, summary.Count));
        var samples = await _harness.Violations.SamplesAsync(StageHarness.Source, "track", "Order Completed", 10, CancellationToken.None);
        Assert.Equal(["m-b", "m-a"], samples.Select(s => s.MessageId));
    }

    private static SourceSchemaSettings Strict() => SourceSchemaSettings.Default with
    {
        Track = new TrackControls(AllowUnplannedEvents: false, AllowEventOnViolations: false),
    };

    private static List<Violation> Violations(LogEntry entry) =>
        [.. StageHarness.Json(entry).GetProperty("context").GetProperty("protocols").GetProperty("violations").EnumerateArray()
            .Select(v => new Violation(v.GetProperty("type").GetString()!, v.GetProperty("field").GetString()!, v.GetProperty("description").GetString()!))];

    public void Dispose() => _harness.Dispose();
}
