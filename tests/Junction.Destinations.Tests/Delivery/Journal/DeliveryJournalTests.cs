using System.Text.Json.Nodes;
using Junction.Destinations.Delivery.Journal;
using Junction.Destinations.Framework;

namespace Junction.Destinations.Tests.Delivery.Journal;

public sealed class DeliveryJournalTests
{
    private static readonly DateTimeOffset T0 = JournalHarness.Start;

    [Fact]
    public async Task EveryStepOfAnEventBecomesItsTraceInOrderPerDestination()
    {
        await using var h = await JournalHarness.StartAsync();
        var record = Steps.Record("msg-1", T0);
        h.Journal.Report(Steps.Queued(record, T0));
        h.Journal.Report(Steps.Filtered("msg-1", T0, "FILTERED_BY_RULES: filter \"Drop tests\"", destinationId: "dst_other"));
        h.Journal.Report(Steps.Retrying("msg-1", T0.AddSeconds(1), 1, 503, "Service Unavailable"));
        h.Journal.Report(Steps.Delivered(record, T0.AddSeconds(5), attempt: 2));
        h.Journal.Report(Steps.Queued(Steps.Record("msg-other", T0), T0));
        await h.FlushAsync();

        var traces = await h.Traces.ForMessageAsync(Steps.Source, "msg-1", TestContext.Current.CancellationToken);

        Assert.Equal(2, traces.Count);
        var amplitude = Assert.Single(traces, t => t.DestinationId == Steps.Destination);
        Assert.Equal(DeliveryState.Delivered, amplitude.FinalState);
        Assert.Equal([DeliveryState.Queued, DeliveryState.Retrying, DeliveryState.Delivered], amplitude.Steps.Select(s => s.State));
        Assert.Contains("Order Completed", amplitude.Steps[0].Payload);
        Assert.False(amplitude.Steps[0].PayloadTruncated);
        var retry = amplitude.Steps[1];
        Assert.Equal((1, 503, "Service Unavailable", 120.0), (retry.Attempt, retry.Status, retry.Response, retry.LatencyMs));
        Assert.Null(amplitude.Steps[2].Payload);
        var filtered = Assert.Single(traces, t => t.DestinationId == "dst_other");
        Assert.Equal(DeliveryState.Filtered, filtered.FinalState);
        Assert.StartsWith("FILTERED_BY_RULES", filtered.Steps[0].Reason, StringComparison.Ordinal);
        Assert.Empty(await h.Traces.ForMessageAsync("src_elsewhere", "msg-1", TestContext.Current.CancellationToken));
        Assert.Single(await h.Traces.ForDestinationAsync(Steps.Destination, "msg-1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AnAbortReportedInTheSameInstantAsTheStepsBeforeItStaysLastInTheTrace()
    {
        await using var h = await JournalHarness.StartAsync();
        var record = Steps.Record("msg-1", T0);
        h.Journal.Report(Steps.Queued(record, T0));
        h.Journal.Report(Steps.Retrying("msg-1", T0, 1, 429, "slow down"));
        h.Journal.Report(Steps.Aborted(record, T0));
        await h.FlushAsync();

        var trace = Assert.Single(await h.Traces.ForMessageAsync(Steps.Source, "msg-1", TestContext.Current.CancellationToken));

        Assert.Equal([DeliveryState.Queued, DeliveryState.Retrying, DeliveryState.Aborted], trace.Steps.Select(s => s.State));
        Assert.Equal(DeliveryState.Aborted, trace.FinalState);
    }

    [Fact]
    public async Task ALargePayloadKeepsItsStartInTheTraceAndIsWholeInTheDeadLetter()
    {
        await using var h = await JournalHarness.StartAsync(o => o.MaxTracePayloadChars = 300);
        var big = new JsonObject { ["text"] = new string('x', 5_000) };
        var record = Steps.Record("msg-big", T0, payload: big);
        h.Journal.Report(Steps.Queued(record, T0));
        h.Journal.Report(Steps.Aborted(record, T0.AddSeconds(1)));
        await h.FlushAsync();

        var trace = Assert.Single(await h.Traces.ForMessageAsync(Steps.Source, "msg-big", TestContext.Current.CancellationToken));
        Assert.True(trace.Steps[0].PayloadTruncated);
        Assert.Equal(300, trace.Steps[0].Payload!.Length);
        var (letters, _) = await h.DeadLetters.ListAsync(new DeadLetterFilter(Steps.Destination), 0, 10, TestContext.Current.CancellationToken);
        var kept = DeliveryRecord.Decode(Assert.Single(letters).Record!)!;
        Assert.Equal(5_000, kept.Payload["text"]!.GetValue<string>().Length);
    }

    [Fact]
    public async Task DeadLettersAreFilteredByStateStatusSubscriptionTimeAndText()
    {
        await using var h = await JournalHarness.StartAsync();
        h.Journal.Report(Steps.Aborted(Steps.Record("msg-a", T0), T0, 400, "{\"error\":\"missing event_type\"}"));
        h.Journal.Report(Steps.Aborted(Steps.Record("msg-b", T0, subscriptionId: "sub_identify"), T0.AddMinutes(10), 401, "bad key"));
        h.Journal.Report(Steps.Expired(Steps.Record("msg-c", T0), T0.AddMinutes(20)));
        h.Journal.Report(Steps.Aborted(Steps.Record("msg-d", T0, destinationId: "dst_other"), T0));
        await h.FlushAsync();
        var ct = TestContext.Current.CancellationToken;

        async Task<string[]> Ids(DeadLetterFilter filter) =>
            (await h.DeadLetters.ListAsync(filter, 0, 100, ct)).Items.Select(l => l.MessageId).ToArray();

        var all = new DeadLetterFilter(Steps.Destination);
        Assert.Equal(["msg-c", "msg-b", "msg-a"], await Ids(all));
        Assert.Equal(["msg-c"], await Ids(all with { State = DeliveryState.Expired }));
        Assert.Equal(["msg-b"], await Ids(all with { Status = 401 }));
        Assert.Equal(["msg-b"], await Ids(all with { SubscriptionId = "sub_identify" }));
        Assert.Equal(["msg-b", "msg-a"], await Ids(all with { End = T0.AddMinutes(15) }));
        Assert.Equal(["msg-c", "msg-b"], await Ids(all with { Start = T0.AddMinutes(5) }));
        Assert.Equal(["msg-a"], await Ids(all with { Text = "EVENT_TYPE" }));
        Assert.Equal(["msg-c"], await Ids(all with { Text = "msg-c" }));
        Assert.Empty(await Ids(all with { Text = "%" }));

        var (page, total) = await h.DeadLetters.ListAsync(all, 1, 1, ct);
        Assert.Equal(3, total);
        Assert.Equal("msg-b", Assert.Single(page).MessageId);
    }

    [Fact]
    public async Task ResendingChosenDeadLettersRequeuesTheSameRecordAndTheyAreNoLongerPending()
    {
        await using var h = await JournalHarness.StartAsync();
        var record = Steps.Record("msg-a", T0);
        h.Journal.Report(Steps.Queued(record, T0));
        h.Journal.Report(Steps.Aborted(record, T0.AddSeconds(1)));
        h.Journal.Report(Steps.Aborted(Steps.Record("msg-b", T0), T0.AddSeconds(1)));
        await h.FlushAsync();
        var ct = TestContext.Current.CancellationToken;
        var pending = new DeadLetterFilter(Steps.Destination);
        var (letters, _) = await h.DeadLetters.ListAsync(pending, 0, 10, ct);
        var idOfA = letters.Single(l => l.MessageId == "msg-a").Id;
        h.Time.Advance(TimeSpan.FromMinutes(3));

        var result = await h.DeadLetters.ResendAsync(Steps.Destination, [idOfA, 999_999], ct);
        await h.FlushAsync();

        Assert.Equal(new ResendResult(1, 0, 1), result);
        var (destinationId, sent) = Assert.Single(h.Queues.Enqueued);
        Assert.Equal((Steps.Destination, "msg-a", Steps.Subscription), (destinationId, sent.MessageId, sent.SubscriptionId));
        Assert.Equal(record.Payload.ToJsonString(), sent.Payload.ToJsonString());
        Assert.Equal(["msg-b"], (await h.DeadLetters.ListAsync(pending, 0, 10, ct)).Items.Select(l => l.MessageId));
        var resent = Assert.Single((await h.DeadLetters.ListAsync(pending with { Which = DeadLetterStatus.Resent }, 0, 10, ct)).Items);
        Assert.Equal(h.Time.GetUtcNow(), resent.ResentAt);
        var trace = Assert.Single(await h.Traces.ForMessageAsync(Steps.Source, "msg-a", ct));
        Assert.Equal([DeliveryState.Queued, DeliveryState.Aborted, DeliveryState.Queued], trace.Steps.Select(s => s.State));
        Assert.Equal(DeadLetterQuery.ResentReason, trace.Steps[^1].Reason);

        Assert.Equal(new ResendResult(0, 0, 1), await h.DeadLetters.ResendAsync(Steps.Destination, [idOfA], ct));
        Assert.Single(h.Queues.Enqueued);
    }

    [Fact]
    public async Task ResendingByFilterSendsEveryPendingMatchAndKeepsWhatTheQueueRefused()
    {
        await using var h = await JournalHarness.StartAsync();
        for (var i = 0; i < 1_200; i++)
        {
            var record = Steps.Record($"msg-{i}", T0);
            h.Journal.Report(i % 2 == 0 ? Steps.Aborted(record, T0, 400) : Steps.Expired(record, T0));
        }

        await h.FlushAsync();
        var ct = TestContext.Current.CancellationToken;
        var expired = new DeadLetterFilter(Steps.Destination, State: DeliveryState.Expired);

        h.Queues.Unavailable = true;
        Assert.Equal(new ResendResult(0, 600, 0), await h.DeadLetters.ResendAsync(expired, ct));
        Assert.Equal(600, (await h.DeadLetters.ListAsync(expired, 0, 1, ct)).Total);

        h.Queues.Unavailable = false;
        Assert.Equal(new ResendResult(600, 0, 0), await h.DeadLetters.ResendAsync(expired, ct));
        Assert.Equal(600, h.Queues.Enqueued.Count);
        Assert.All(h.Queues.Enqueued, e => Assert.Equal(1, int.Parse(e.Record.MessageId[4..], System.Globalization.CultureInfo.InvariantCulture) % 2));
        Assert.Equal(0, (await h.DeadLetters.ListAsync(expired, 0, 1, ct)).Total);
        Assert.Equal(600, (await h.DeadLetters.ListAsync(new DeadLetterFilter(Steps.Destination), 0, 1, ct)).Total);
    }

    [Fact]
    public async Task MetricsCountEveryStateAndDiscardReasonPerMinuteOverAnyRange()
    {
        await using var h = await JournalHarness.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            h.Journal.Report(Steps.Delivered(Steps.Record($"d{i}", T0), T0.AddSeconds(10)));
        }

        h.Journal.Report(Steps.Retrying("r1", T0.AddSeconds(20), 1, 503, ""));
        h.Journal.Report(Steps.Retrying("r1", T0.AddSeconds(30), 2, 0, ""));
        h.Journal.Report(Steps.Aborted(Steps.Record("a1", T0), T0.AddMinutes(1), 400));
        h.Journal.Report(Steps.Expired(Steps.Record("e1", T0), T0.AddMinutes(2)));
        h.Journal.Report(Steps.Filtered("f1", T0.AddMinutes(2), "FILTERED_BY_RULES: no test events"));
        h.Journal.Report(Steps.Filtered("f2", T0.AddMinutes(2), "FILTERED_BY_RULES"));
        h.Journal.Report(Steps.Filtered("f3", T0.AddMinutes(3), "NO_MATCHING_MAPPING"));
        h.Journal.Report(Steps.Filtered("f4", T0.AddMinutes(3), "something new"));
        h.Journal.Report(Steps.Delivered(Steps.Record("elsewhere", T0, destinationId: "dst_other"), T0));
        await h.FlushAsync();
        var ct = TestContext.Current.CancellationToken;

        var report = await h.Metrics.ReportAsync(Steps.Destination, T0, T0.AddMinutes(4), TimeSpan.FromMinutes(1), ct);

        Assert.Equal((5L, 2L, 1L, 1L, 4L, 2L), (report.Totals.Delivered, report.Totals.Retried, report.Totals.Aborted, report.Totals.Expired, report.Totals.Filtered, report.Totals.NotDelivered));
        Assert.Equal([5L, 0, 0, 0], report.Series.Select(p => p.Totals.Delivered));
        Assert.Equal([0L, 0, 2, 2], report.Series.Select(p => p.Totals.Filtered));
        Assert.Equal(
            [(DiscardReasons.FilteredByRules, 2L), (DiscardReasons.NoMatchingMapping, 1L), (DiscardReasons.Other, 1L)],
            report.DiscardReasons.Select(r => (r.Code, r.Count)));
        Assert.Contains(new ReasonCount(DeliveryState.Retrying, "503", 1), report.Failures);
        Assert.Contains(new ReasonCount(DeliveryState.Retrying, "NO_RESPONSE", 1), report.Failures);
        Assert.Contains(new ReasonCount(DeliveryState.Aborted, "400", 1), report.Failures);

        var later = await h.Metrics.ReportAsync(Steps.Destination, T0.AddMinutes(2), T0.AddMinutes(4), TimeSpan.FromMinutes(1), ct);
        Assert.Equal((0L, 1L, 4L), (later.Totals.Delivered, later.Totals.Expired, later.Totals.Filtered));
        var hourly = await h.Metrics.ReportAsync(Steps.Destination, T0, T0.AddMinutes(4), TimeSpan.FromHours(1), ct);
        Assert.Equal(5L, Assert.Single(hourly.Series).Totals.Delivered);
    }

    [Fact]
    public async Task LatencyPercentilesAreEndToEndFromReceiptOverTheChosenRange()
    {
        await using var h = await JournalHarness.StartAsync();

        // Minute 0: latencies of 1 to 100 seconds. Minute 1: 100 deliveries of 2 ms.
        for (var i = 1; i <= 100; i++)
        {
            var at = T0.AddSeconds(30);
            h.Journal.Report(Steps.Delivered(Steps.Record($"slow{i}", at - TimeSpan.FromSeconds(i)), at));
            h.Journal.Report(Steps.Delivered(Steps.Record($"fast{i}", T0.AddMinutes(1)), T0.AddMinutes(1).AddMilliseconds(2)));
        }

        await h.FlushAsync();
        var ct = TestContext.Current.CancellationToken;

        var first = (await h.Metrics.ReportAsync(Steps.Destination, T0, T0.AddMinutes(1), TimeSpan.FromMinutes(1), ct)).Totals.Latency;
        AssertNear(50_000, first.P50);
        AssertNear(95_000, first.P95);
        AssertNear(99_000, first.P99);

        var both = (await h.Metrics.ReportAsync(Steps.Destination, T0, T0.AddMinutes(2), TimeSpan.FromMinutes(1), ct)).Totals.Latency;
        AssertNear(2, both.P50);
        AssertNear(90_000, both.P95);
        AssertNear(98_000, both.P99);

        var none = await h.Metrics.ReportAsync(Steps.Destination, T0.AddHours(1), T0.AddHours(2), TimeSpan.FromMinutes(1), ct);
        Assert.Equal(new LatencyPercentiles(null, null, null), none.Totals.Latency);
    }

    [Fact]
    public async Task RetentionDeletesStepsPastTheirAgeAndBeyondTheRowCap()
    {
        await using var h = await JournalHarness.StartAsync(o =>
        {
            o.Retention = TimeSpan.FromDays(1);
            o.MaxTraceSteps = 5;
        });
        var ct = TestContext.Current.CancellationToken;
        h.Journal.Report(Steps.Queued(Steps.Record("old", T0), T0));
        h.Journal.Report(Steps.Aborted(Steps.Record("old-dead", T0), T0));
        h.Time.Advance(TimeSpan.FromDays(2));
        var now = h.Time.GetUtcNow();
        for (var i = 0; i < 8; i++)
        {
            h.Journal.Report(Steps.Queued(Steps.Record($"new{i}", now), now));
        }

        await h.FlushAsync();
        Assert.Equal(10, await h.Store.CountStepsAsync(ct));

        Assert.Equal(5, await h.Retention.RunOnceAsync(ct));

        Assert.Equal(5, await h.Store.CountStepsAsync(ct));
        Assert.Empty(await h.Traces.ForMessageAsync(Steps.Source, "old", ct));
        Assert.Empty(await h.Traces.ForMessageAsync(Steps.Source, "new2", ct));
        Assert.Single(await h.Traces.ForMessageAsync(Steps.Source, "new3", ct));

        // Dead letters keep their own, longer retention.
        Assert.Equal(1, (await h.DeadLetters.ListAsync(new DeadLetterFilter(Steps.Destination), 0, 10, ct)).Total);
        h.Time.Advance(h.Options.DeadLetterRetention);
        await h.Retention.RunOnceAsync(ct);
        Assert.Equal(0, (await h.DeadLetters.ListAsync(new DeadLetterFilter(Steps.Destination), 0, 10, ct)).Total);
    }

    [Fact]
    public async Task AFullQueueDropsTraceStepsButNeverADeadLetterOrACount()
    {
        // The writer is not running, so the bounded queue fills up.
        await using var h = new JournalHarness(o => o.QueueCapacity = 10);
        for (var i = 0; i < 100; i++)
        {
            h.Journal.Report(Steps.Delivered(Steps.Record($"ok{i}", T0), T0));
        }

        for (var i = 0; i < 50; i++)
        {
            h.Journal.Report(Steps.Aborted(Steps.Record($"bad{i}", T0), T0));
            h.Journal.Report(Steps.Filtered($"f{i}", T0, "FILTERED_BY_INTEGRATIONS_OBJECT"));
        }

        Assert.Equal(140, h.Journal.DroppedSteps);
        await h.StartWriterAsync();
        await h.FlushAsync();
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(50, (await h.DeadLetters.ListAsync(new DeadLetterFilter(Steps.Destination), 0, 1, ct)).Total);
        var totals = (await h.Metrics.ReportAsync(Steps.Destination, T0, T0.AddMinutes(1), TimeSpan.FromMinutes(1), ct)).Totals;
        Assert.Equal((100L, 50L, 50L), (totals.Delivered, totals.Aborted, totals.Filtered));
        Assert.Equal(60, await h.Store.CountStepsAsync(ct));
    }

    [Fact]
    public async Task StoppingTheJournalWritesWhatWasReported()
    {
        var h = await JournalHarness.StartAsync();
        await using (h)
        {
            for (var i = 0; i < 500; i++)
            {
                h.Journal.Report(Steps.Queued(Steps.Record($"m{i}", T0), T0));
            }

            await h.Journal.StopAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, h.Journal.Pending);
            Assert.Equal(500, await h.Store.CountStepsAsync(TestContext.Current.CancellationToken));
        }
    }

    [Theory]
    [InlineData("FILTERED_BY_RULES", DiscardReasons.FilteredByRules)]
    [InlineData("FILTERED_BY_RULES: filter 7", DiscardReasons.FilteredByRules)]
    [InlineData("UNSUPPORTED_EVENT_TYPE alias", DiscardReasons.UnsupportedEventType)]
    [InlineData("FILTERED_BY_RULESET", DiscardReasons.Other)]
    [InlineData(null, DiscardReasons.Other)]
    public void AFilteredReasonIsCountedUnderTheCodeItStartsWith(string? reason, string code) =>
        Assert.Equal(code, DiscardReasons.Classify(reason));

    private static void AssertNear(double expected, double? actual) =>
        Assert.InRange(actual!.Value, expected * 0.94, expected * 1.06);
}
