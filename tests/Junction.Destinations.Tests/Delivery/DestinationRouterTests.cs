using System.Net.Http.Json;
using Junction.Destinations.Delivery;
using Junction.Destinations.Framework;
using Junction.Testing;

namespace Junction.Destinations.Tests.Delivery;

public sealed class DestinationRouterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task WhenTheDestinationAnswers503ForTenMinutesEveryRecordIsDeliveredInUserOrderOnceItRecovers()
    {
        await using var harness = new RouterHarness();
        var tool = new TestDestination(harness.Time);
        var recoversAt = harness.Time.GetUtcNow() + TimeSpan.FromMinutes(10);
        tool.AnswerWith(_ => harness.Time.GetUtcNow() < recoversAt ? new SendResult(503, "down for maintenance") : SendResult.Ok());
        harness.Directory.Set(TestDirectory.Instance("dst_a", tool));
        var records = harness.Records("dst_a", users: 20, perUser: 10);
        await harness.EnqueueAsync("dst_a", records);

        await harness.StartAsync();
        await harness.RunUntilAsync(() => harness.Journal.Finished("dst_a").Count == records.Count, Second, TimeSpan.FromHours(1), "every record to be delivered");

        Assert.Equal(records.Count, harness.Journal.Of(DeliveryState.Delivered).Select(s => s.MessageId).Distinct().Count());
        Assert.Empty(harness.Journal.Of(DeliveryState.Aborted));
        Assert.Empty(harness.Journal.Of(DeliveryState.Expired));
        // Retries are jittered, so the last failed attempt may fall anywhere in the last back-off before the recovery; the
        // back-off never waits longer than RetryMaxDelay, and nothing is taken before the destination recovers.
        var lastFailure = tool.Received.Where(b => b.Status == 503).Max(b => b.At);
        Assert.True(lastFailure >= recoversAt - new DeliveryOptions().RetryMaxDelay, $"the last 503 came at {lastFailure:O}");
        Assert.All(tool.Received.Where(b => b.Status != 503), b => Assert.True(b.At >= recoversAt));
        Assert.All(harness.Journal.Of(DeliveryState.Retrying), s => Assert.Equal(503, s.Status));
        var accepted = tool.Accepted;
        Assert.Equal(records.Select(r => r.MessageId).Order(), accepted.Distinct().Order());
        var duplicates = accepted.Count - accepted.Distinct().Count();
        output.WriteLine($"{records.Count} records, {tool.Received.Count} sends, {accepted.Count} taken, {duplicates} duplicates.");
        Assert.Equal(0, duplicates);
        AssertUserOrder(records, accepted);
        Assert.Equal(DeliveryHealthState.Active, harness.Health.Get("dst_a")!.State);
        Assert.Equal(503, harness.Health.Get("dst_a")!.LastError!.Status);
    }

    [Fact]
    public async Task WhenTheDestinationAnswers429WithRetryAfterNothingIsSentBeforeTheWaitIsOver()
    {
        await using var api = await FakeApi.StartAsync();
        api.Then(new FakeAnswer(429, """{"error":"rate limited"}""", RetryAfter: "120"));
        await using var harness = new RouterHarness(o =>
        {
            o.RequestTimeout = TimeSpan.FromHours(1);
            o.Partitions = 1;
            o.MaxConcurrency = 1;
        });
        var tool = new HttpTestDestination(harness.Time);
        harness.Directory.Set(TestDirectory.Instance("dst_http", tool, baseUrl: api.BaseUrl));
        await harness.EnqueueAsync("dst_http", harness.Records("dst_http", users: 3, perUser: 2));

        await harness.StartAsync();
        await harness.RunUntilAsync(() => harness.Journal.Finished().Count == 6, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(10), "the records to be delivered after the wait");

        var limited = tool.AnsweredAt[0];
        Assert.All(tool.SentAt.Skip(1), at => Assert.True(at >= limited + TimeSpan.FromSeconds(120), $"A send at {at:O} came before the Retry-After of the 429 answered at {limited:O} was over."));
        var retrying = Assert.Single(harness.Journal.Of(DeliveryState.Retrying), s => s.MessageId == "m-0-0");
        Assert.Equal(429, retrying.Status);
        Assert.Contains("rate limited", retrying.ResponseExcerpt, StringComparison.Ordinal);
        Assert.Equal(6, harness.Journal.Of(DeliveryState.Delivered).Count);
        Assert.All(api.Received, r => Assert.Equal("/batch", r.Path));
    }

    [Fact]
    public async Task APoisonEventAnswered400InsideABatchIsAbortedAloneWithoutHoldingBackItsBatchOrOtherUsers()
    {
        await using var harness = new RouterHarness();
        var tool = new TestDestination(harness.Time, maxBatchSize: 10);
        const string Poison = "m-3-1";
        tool.AnswerWith(batch => batch.Items.Any(i => i.MessageId == Poison)
            ? new SendResult(400, """{"error":"invalid event"}""")
            : SendResult.Ok());
        harness.Directory.Set(TestDirectory.Instance("dst_a", tool));
        var records = harness.Records("dst_a", users: 10, perUser: 3);
        await harness.EnqueueAsync("dst_a", records);

        // The clock does not move: splitting a refused batch needs no back-off.
        await harness.StartAsync();
        await RouterHarness.WaitUntilAsync(() => harness.Journal.Finished().Count == records.Count, "every record to be finished");

        var aborted = Assert.Single(harness.Journal.Of(DeliveryState.Aborted));
        Assert.Equal(Poison, aborted.MessageId);
        Assert.Equal(400, aborted.Status);
        Assert.Contains("invalid event", aborted.ResponseExcerpt, StringComparison.Ordinal);
        Assert.Equal(Poison, aborted.Record!.MessageId);
        Assert.Equal(records.Count - 1, harness.Journal.Of(DeliveryState.Delivered).Count);
        Assert.Contains(tool.Received, b => b.MessageIds.SequenceEqual([Poison]) && b.Status == 400);
        AssertUserOrder(records.Where(r => r.MessageId != Poison).ToList(), tool.Accepted);
    }

    [Fact]
    public async Task ItemStatusesOfAMultiStatusAnswerDecideEachEventOnItsOwn()
    {
        await using var harness = new RouterHarness();
        var tool = new TestDestination(harness.Time, maxBatchSize: 10);
        var first = true;
        tool.AnswerWith(batch =>
        {
            if (!first)
            {
                return SendResult.Ok();
            }

            first = false;
            var statuses = batch.Items.Select(i => i.MessageId switch { "m-0-0" => 400, "m-1-0" => 429, _ => 200 }).ToList();
            return new SendResult(207, "multi", ItemStatuses: statuses);
        });
        harness.Directory.Set(TestDirectory.Instance("dst_a", tool));
        harness.Options.Partitions = 1;
        await harness.EnqueueAsync("dst_a", harness.Records("dst_a", users: 3, perUser: 1));

        await harness.StartAsync();
        await harness.RunUntilAsync(() => harness.Journal.Finished().Count == 3, Second, TimeSpan.FromMinutes(5), "the three records to be finished");

        Assert.Equal("m-0-0", Assert.Single(harness.Journal.Of(DeliveryState.Aborted)).MessageId);
        Assert.Equal("m-1-0", Assert.Single(harness.Journal.Of(DeliveryState.Retrying)).MessageId);
        Assert.Equal(["m-1-0", "m-2-0"], harness.Journal.Of(DeliveryState.Delivered).Select(s => s.MessageId).Order());
    }

    [Fact]
    public async Task AFailingOrHangingDestinationDoesNotSlowDeliveryToAHealthyOne()
    {
        await using var harness = new RouterHarness(o => o.MaxConcurrency = 2);
        var healthy = new TestDestination(harness.Time, slug: "healthy");
        var failing = new TestDestination(harness.Time, slug: "failing");
        failing.AnswerWith(_ => new SendResult(503, "down"));
        var hanging = new TestDestination(harness.Time, slug: "hanging");
        var hangingSends = 0;
        hanging.Answer = async (_, cancellationToken) =>
        {
            Interlocked.Increment(ref hangingSends);
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return SendResult.Ok();
        };
        harness.Directory.Set(
            TestDirectory.Instance("dst_failing", failing),
            TestDirectory.Instance("dst_hanging", hanging),
            TestDirectory.Instance("dst_healthy", healthy));
        foreach (var id in new[] { "dst_failing", "dst_hanging", "dst_healthy" })
        {
            await harness.EnqueueAsync(id, harness.Records(id, users: 50, perUser: 10));
        }

        // No simulated time passes: the healthy destination must not wait for the others' back-off or timeouts.
        await harness.StartAsync();
        await RouterHarness.WaitUntilAsync(() => harness.Journal.Finished("dst_healthy").Count == 500, "the healthy destination to get everything");

        Assert.Empty(harness.Journal.Finished("dst_failing"));
        Assert.Empty(harness.Journal.Finished("dst_hanging"));
        Assert.NotEmpty(failing.Received);
        Assert.Equal(2, Volatile.Read(ref hangingSends));
        Assert.Equal(DeliveryHealthState.Active, harness.Health.Get("dst_healthy")!.State);
        Assert.Equal(DeliveryHealthState.Retrying, harness.Health.Get("dst_failing")!.State);
    }

    [Fact]
    public async Task RecordsStillFailingWhenTheirRetryWindowEndsAreExpiredIntoTheJournalWithTheRecord()
    {
        await using var harness = new RouterHarness();
        var tool = new TestDestination(harness.Time);
        tool.AnswerWith(_ => new SendResult(500, "internal error"));
        harness.Directory.Set(TestDirectory.Instance("dst_a", tool));
        var receivedAt = harness.Time.GetUtcNow();
        await harness.EnqueueAsync("dst_a", harness.Records("dst_a", users: 5, perUser: 2));

        await harness.StartAsync();
        await harness.RunUntilAsync(() => harness.Journal.Finished().Count == 10, Minute, TimeSpan.FromHours(6), "the records to expire");

        var expired = harness.Journal.Of(DeliveryState.Expired);
        Assert.Equal(10, expired.Count);
        Assert.All(expired, step =>
        {
            Assert.True(step.At >= receivedAt + harness.Options.RetryWindow, $"{step.MessageId} expired at {step.At:O}, before its window ended.");
            Assert.True(step.Attempt >= harness.Options.MinAttempts);
            Assert.NotNull(step.Record);
            Assert.Contains("retry window", step.Reason, StringComparison.Ordinal);
        });
        Assert.Empty(harness.Journal.Of(DeliveryState.Delivered));
        Assert.Equal(DeliveryHealthState.Paused, harness.Health.Get("dst_a")!.State);
    }

    [Fact]
    public async Task ADestinationFailingForPauseAfterIsProbedAtAGrowingIntervalAndResumesWhenItAnswers()
    {
        await using var harness = new RouterHarness(o =>
        {
            o.PauseAfter = TimeSpan.FromMinutes(30);
            o.RetryWindow = TimeSpan.FromHours(24);
        });
        var tool = new TestDestination(harness.Time, maxBatchSize: 1);
        var up = false;
        tool.AnswerWith(_ => Volatile.Read(ref up) ? SendResult.Ok() : new SendResult(502, "bad gateway"));
        harness.Directory.Set(TestDirectory.Instance("dst_a", tool));
        var start = harness.Time.GetUtcNow();
        var records = harness.Records("dst_a", users: 40, perUser: 2);
        await harness.EnqueueAsync("dst_a", records);

        // The fake clock moves in steps, and on a busy machine a probe can be seen up to one step late: with each end of
        // two neighbouring gaps read that way, the later gap can read up to two steps shorter than the earlier one.
        var step = TimeSpan.FromSeconds(10);
        await harness.StartAsync();
        await harness.RunUntilAsync(() => harness.Time.GetUtcNow() >= start + TimeSpan.FromHours(2), step, TimeSpan.FromHours(3), "two hours to pass");

        var health = harness.Health.Get("dst_a")!;
        Assert.Equal(DeliveryHealthState.Paused, health.State);
        Assert.Equal(502, health.LastError!.Status);
        var pausedAt = start + TimeSpan.FromMinutes(31);
        var probes = tool.Received.Where(b => b.At >= pausedAt).Select(b => b.At).ToList();
        var gaps = probes.Zip(probes.Skip(1), (a, b) => b - a).ToList();
        output.WriteLine($"Sends before the pause: {tool.Received.Count - probes.Count}; probe gaps: {string.Join(", ", gaps.Select(g => g.TotalMinutes.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)))} min.");
        Assert.InRange(probes.Count, 3, 12);
        Assert.All(gaps.Zip(gaps.Skip(1)), pair => Assert.True(pair.Second >= pair.First - 2 * step, "Probe gaps must not shrink."));

        Volatile.Write(ref up, true);
        await harness.RunUntilAsync(() => harness.Journal.Finished().Count == records.Count, TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), "delivery to resume");
        Assert.Equal(DeliveryHealthState.Active, harness.Health.Get("dst_a")!.State);
        AssertUserOrder(records, tool.Accepted);
    }

    [Fact]
    public async Task WhileAUsersRecordWaitsForARetryItsLaterRecordsWaitButOtherUsersGoOn()
    {
        await using var harness = new RouterHarness(o => o.Partitions = 1);
        var tool = new TestDestination(harness.Time, maxBatchSize: 1);
        var failedOnce = false;
        tool.AnswerWith(batch =>
        {
            if (batch.Items[0].MessageId == "a-0" && !failedOnce)
            {
                failedOnce = true;
                return new SendResult(500, "oops");
            }

            return SendResult.Ok();
        });
        harness.Directory.Set(TestDirectory.Instance("dst_a", tool));
        await harness.EnqueueAsync("dst_a",
        [
            harness.Record("dst_a", "alice", "a-0"), harness.Record("dst_a", "bob", "b-0"),
            harness.Record("dst_a", "alice", "a-1"), harness.Record("dst_a", "bob", "b-1"),
        ]);

        await harness.StartAsync();
        await RouterHarness.WaitUntilAsync(() => harness.Journal.Finished().SetEquals(["b-0", "b-1"]), "bob's records to be delivered");
        Assert.DoesNotContain(tool.Received, b => b.MessageIds.Contains("a-1"));

        await harness.RunUntilAsync(() => harness.Journal.Finished().Count == 4, Second, TimeSpan.FromMinutes(5), "alice's records to be delivered");
        Assert.Equal(["a-0", "a-1"], tool.Accepted.Where(id => id.StartsWith('a')));
    }

    [Fact]
    public async Task AUsersRecordsHeldLongerThanMaxHoldTimeGoAheadOfItsRecordThatKeepsFailing()
    {
        await using var harness = new RouterHarness(o =>
        {
            o.Partitions = 1;
            o.MaxHoldTime = TimeSpan.FromMinutes(15);
            o.RetryMaxDelay = TimeSpan.FromMinutes(1);
        });
        var tool = new TestDestination(harness.Time, maxBatchSize: 1);
        tool.AnswerWith(batch => batch.Items[0].MessageId == "a-0" ? new SendResult(500, "cannot take this one") : SendResult.Ok());
        harness.Directory.Set(TestDirectory.Instance("dst_a", tool));
        var start = harness.Time.GetUtcNow();
        await harness.EnqueueAsync("dst_a", [harness.Record("dst_a", "alice", "a-0"), harness.Record("dst_a", "alice", "a-1")]);

        await harness.StartAsync();

        // Other users keep the destination delivering, which is when order yields to liveness.
        var n = 0;
        await harness.RunUntilAsync(
            () =>
            {
                harness.Queues.EnqueueAsync("dst_a", [harness.Record("dst_a", "bob", $"b-{n++}")], CancellationToken.None).AsTask().GetAwaiter().GetResult();
                return harness.Journal.Finished().Contains("a-1");
            },
            TimeSpan.FromSeconds(10),
            TimeSpan.FromMinutes(30),
            "alice's later record to go ahead");

        var delivered = harness.Journal.Of(DeliveryState.Delivered).Single(s => s.MessageId == "a-1");
        Assert.True(delivered.At >= start + TimeSpan.FromMinutes(15), $"a-1 went ahead at {delivered.At:O}, before it had been held for 15 minutes.");
        Assert.DoesNotContain("a-0", harness.Journal.Finished());
    }

    [Fact]
    public async Task AfterAnAbruptStopANewRouterOverTheSameDirectoryDeliversEverythingNotCommitted()
    {
        await using var harness = new RouterHarness();
        var first = new TestDestination(harness.Time);
        first.AnswerWith(batch => new SendResult(207, "", ItemStatuses: batch.Items.Select(i => IsFailingUser(i.MessageId) ? 503 : 200).ToList()));
        harness.Directory.Set(TestDirectory.Instance("dst_a", first));
        var records = harness.Records("dst_a", users: 10, perUser: 20);
        await harness.EnqueueAsync("dst_a", records);
        await harness.StartAsync();
        await harness.RunUntilAsync(() => first.Accepted.Count >= 100, Second, TimeSpan.FromMinutes(10), "some records to be delivered");

        await harness.CrashAsync();
        var second = new TestDestination(harness.Time);
        harness.Directory.Set(TestDirectory.Instance("dst_a", second, version: 2));
        await harness.StartAsync();
        await harness.RunUntilAsync(
            () => first.Accepted.Concat(second.Accepted).ToHashSet().Count == records.Count,
            Second,
            TimeSpan.FromMinutes(10),
            "every record to be delivered by one router or the other");

        var resent = first.Accepted.Intersect(second.Accepted).Count();
        output.WriteLine($"First router delivered {first.Accepted.Count}, the second {second.Accepted.Count}; {resent} delivered twice.");
        Assert.All(records.Where(r => IsFailingUser(r.MessageId)), r => Assert.Contains(r.MessageId, second.Accepted));

        // Records delivered behind a failing user's retrying record were past the commit point: they are sent again.
        Assert.True(resent > 0, "Records finished after the commit point should have been sent again.");
        AssertUserOrder(records, second.Accepted);
        AssertUserOrder(records, first.Accepted);

        // Users 0, 3, 6 and 9 fall in four different partitions, so every partition has one.
        static bool IsFailingUser(string messageId) => int.Parse(messageId.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture) % 3 == 0;
    }

    [Fact]
    public async Task ARestartAfterEverythingWasDeliveredAndCommittedSendsNothingAgain()
    {
        await using var harness = new RouterHarness();
        var first = new TestDestination(harness.Time);
        harness.Directory.Set(TestDirectory.Instance("dst_a", first));
        await harness.EnqueueAsync("dst_a", harness.Records("dst_a", users: 10, perUser: 5));
        await harness.StartAsync();
        await harness.RunUntilAsync(() => first.Accepted.Count == 50, Second, TimeSpan.FromMinutes(1), "everything to be delivered");
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await RouterHarness.WaitUntilAsync(() => Committed(harness), "the positions to be committed");

        await harness.CrashAsync();
        var second = new TestDestination(harness.Time);
        harness.Directory.Set(TestDirectory.Instance("dst_a", second, version: 2));
        await harness.StartAsync();
        await harness.EnqueueAsync("dst_a", [harness.Record("dst_a", "user-1", "after-restart")]);
        await harness.RunUntilAsync(() => second.Accepted.Count > 0, Second, TimeSpan.FromMinutes(1), "the new record to be delivered");

        Assert.Equal(["after-restart"], second.Accepted);
    }

    [Fact]
    public async Task ADisabledDestinationStillDeliversWhatIsAlreadyQueued()
    {
        await using var harness = new RouterHarness();
        var tool = new TestDestination(harness.Time);
        harness.Directory.Set(TestDirectory.Instance("dst_a", tool, enabled: false));
        await harness.EnqueueAsync("dst_a", harness.Records("dst_a", users: 4, perUser: 3));

        await harness.StartAsync();
        await RouterHarness.WaitUntilAsync(() => tool.Accepted.Count == 12, "the queued records to be delivered");
    }

    [Fact]
    public async Task DeletingADestinationStopsItsDeliveryAndRemovesItsQueue()
    {
        await using var harness = new RouterHarness();
        var tool = new TestDestination(harness.Time);
        tool.AnswerWith(_ => new SendResult(503, "down"));
        harness.Directory.Set(TestDirectory.Instance("dst_a", tool));
        await harness.EnqueueAsync("dst_a", harness.Records("dst_a", users: 2, perUser: 2));
        await harness.StartAsync();
        await RouterHarness.WaitUntilAsync(() => tool.Received.Count > 0, "a first send");
        var queue = harness.Queues.QueueDirectory("dst_a");
        Assert.True(Directory.Exists(queue));

        harness.Directory.Set();
        await RouterHarness.WaitUntilAsync(() => !Directory.Exists(queue), "the queue to be deleted");
        Assert.Null(harness.Health.Get("dst_a"));
        var refused = await harness.Queues.EnqueueAsync("dst_a", [harness.Record("dst_a", "u", "late")], CancellationToken.None);
        Assert.False(refused[0].IsDurable);
    }

    [Fact]
    public async Task BatchesHoldOneActionsEventsUpToItsMaxBatchSize()
    {
        await using var harness = new RouterHarness(o => o.Partitions = 1);
        var tool = new TestDestination(harness.Time, maxBatchSize: 10);
        harness.Directory.Set(TestDirectory.Instance("dst_a", tool));
        await harness.EnqueueAsync("dst_a", harness.Records("dst_a", users: 25, perUser: 1));

        await harness.StartAsync();
        await RouterHarness.WaitUntilAsync(() => tool.Accepted.Count == 25, "everything to be delivered");

        Assert.All(tool.Received, b => Assert.InRange(b.MessageIds.Count, 1, 10));
        Assert.Equal([5, 10, 10], tool.Received.Select(b => b.MessageIds.Count).Order());
    }

    [Fact]
    public async Task ABatchThatIsNotFullWaitsForTheLingerTimeBeforeItIsSent()
    {
        await using var harness = new RouterHarness(o =>
        {
            o.Partitions = 1;
            o.Linger = TimeSpan.FromMilliseconds(200);
        });
        var tool = new TestDestination(harness.Time, maxBatchSize: 10);
        harness.Directory.Set(TestDirectory.Instance("dst_a", tool));
        await harness.StartAsync();
        await harness.EnqueueAsync("dst_a", harness.Records("dst_a", users: 3, perUser: 1));
        await Task.Delay(200);
        Assert.Empty(tool.Received);

        harness.Time.Advance(TimeSpan.FromMilliseconds(200));
        await RouterHarness.WaitUntilAsync(() => tool.Accepted.Count == 3, "the lingering batch to be sent");
        Assert.Single(tool.Received);
    }

    [Fact]
    public async Task AnEventWhoseMappingTurnsBatchingOffIsSentAloneAtOnceAndBatchSizeCapsTheOthers()
    {
        await using var harness = new RouterHarness(o =>
        {
            o.Partitions = 1;
            o.Linger = TimeSpan.FromSeconds(5);
        });
        ActionField[] batching =
        [
            new(ActionDefinition.EnableBatchingField, "Batch", "Send events in batches.", FieldType.Boolean, Default: false),
            new(ActionDefinition.BatchSizeField, "Batch size", "The most events one request carries.", FieldType.Integer, Default: 10),
        ];
        var tool = new TestDestination(harness.Time, maxBatchSize: 10, fields: batching);
        harness.Directory.Set(TestDirectory.Instance("dst_a", tool));
        await harness.StartAsync();

        // Batching off: each event is its own request, sent without waiting out the linger (the fake clock stands still).
        var alone = harness.Records("dst_a", users: 3, perUser: 1, prefix: "alone");
        await harness.EnqueueAsync("dst_a", alone);
        await RouterHarness.WaitUntilAsync(() => tool.Accepted.Count == 3, "the unbatched events to be sent at once");
        Assert.All(tool.Received, b => Assert.Single(b.MessageIds));

        // Batching on with a batch size of 4: full batches of 4 go at once, the rest after the linger.
        var batched = harness.Records("dst_a", users: 10, perUser: 1, prefix: "batched");
        foreach (var record in batched)
        {
            record.Payload[ActionDefinition.EnableBatchingField] = true;
            record.Payload[ActionDefinition.BatchSizeField] = 4;
        }

        await harness.EnqueueAsync("dst_a", batched);
        await RouterHarness.WaitUntilAsync(() => tool.Accepted.Count == 11, "the two full batches");
        // The clock moves on by a linger at each look, so the last batch goes once it has lingered, whenever it formed.
        await RouterHarness.WaitUntilAsync(
            () =>
            {
                harness.Time.Advance(TimeSpan.FromSeconds(5));
                return tool.Accepted.Count == 13;
            },
            "the last batch after the linger");
        Assert.Equal([2, 4, 4], tool.Received.Skip(3).Select(b => b.MessageIds.Count).Order());
    }

    [Fact]
    public void InvalidSettingsNameTheirConfigurationKey()
    {
        var options = new DeliveryOptions { DataDirectory = "/tmp/x", MinAttempts = 0 };
        Assert.Contains("Delivery:MinAttempts", options.Validate(), StringComparison.Ordinal);
        options = new DeliveryOptions { DataDirectory = "/tmp/x" };
        options.Destinations["actions-amplitude"] = new DestinationLimits { MaxConcurrency = 0 };
        Assert.Contains("Delivery:Destinations:actions-amplitude:MaxConcurrency", options.Validate(), StringComparison.Ordinal);
        Assert.Contains("Delivery:DataDirectory", new DeliveryOptions().Validate(), StringComparison.Ordinal);
    }

    private static bool Committed(RouterHarness harness)
    {
        var queue = harness.Queues.Open("dst_a");
        for (var p = 0; p < queue.PartitionCount; p++)
        {
            if (queue.GetCommittedAsync(DeliveryQueues.RouterConsumer, p, CancellationToken.None).AsTask().GetAwaiter().GetResult() < queue.GetHead(p))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Each user's events were taken in the order they were queued (first deliveries; repeats of a replay may follow).</summary>
    private static void AssertUserOrder(IReadOnlyList<DeliveryRecord> records, IReadOnlyList<string> accepted)
    {
        var user = records.ToDictionary(r => r.MessageId, r => r.UserKey);
        foreach (var group in records.GroupBy(r => r.UserKey))
        {
            var expected = group.Select(r => r.MessageId).ToList();
            var firstSeen = accepted.Where(id => user.TryGetValue(id, out var u) && u == group.Key).Distinct().ToList();
            Assert.Equal(expected.Where(firstSeen.Contains), firstSeen);
        }
    }

    /// <summary>A destination that posts its batch as JSON to <c>{baseUrl}/batch</c>, as a real one does.</summary>
    private sealed class HttpTestDestination(TimeProvider time) : IDestination
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<DateTimeOffset> _sentAt = new();
        private readonly System.Collections.Concurrent.ConcurrentQueue<DateTimeOffset> _answeredAt = new();

        /// <summary>When each request started, by the fake clock.</summary>
        public IReadOnlyList<DateTimeOffset> SentAt => [.. _sentAt];

        /// <summary>When each answer arrived, by the fake clock (which the test moves while a request is on the wire).</summary>
        public IReadOnlyList<DateTimeOffset> AnsweredAt => [.. _answeredAt];

        public DestinationDefinition Definition { get; } = new TestDestination(time, "http-test", maxBatchSize: 2).Definition;

        public async ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken)
        {
            _sentAt.Enqueue(context.Time.GetUtcNow());
            using var response = await context.Http.PostAsJsonAsync(context.Url("/batch"), batch.Items.Select(i => i.Payload).ToList(), cancellationToken);
            var result = await SendResult.FromResponseAsync(response, context.Time, cancellationToken);
            _answeredAt.Enqueue(context.Time.GetUtcNow());
            return result;
        }
    }
}
