using System.Text;
using Junction.EventLog;

namespace Junction.Core.Tests.EventLog;

/// <summary>
/// What every event log must do, whatever stores it. Each implementation runs this suite through a short fixture
/// that says how to open (and reopen) a log in a directory.
/// </summary>
public abstract class EventLogConformance : IDisposable
{
    private readonly Junction.Testing.TempDirectory _directory = new();

    protected string Directory => _directory.Path;

    /// <summary>Opens the log stored in <see cref="Directory"/>, creating it when new.</summary>
    private protected abstract Task<IEventLog> OpenAsync(int partitions = 4);

    public void Dispose()
    {
        _directory.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task EveryAppendedRecordIsAnsweredAsStoredInTheSameOrder()
    {
        await using var log = await OpenAsync();
        var records = Enumerable.Range(0, 50).Select(i => Record($"user-{i % 7}", $"m-{i}")).ToArray();

        var results = await log.AppendAsync(records, CancellationToken.None);

        Assert.Equal(records.Length, results.Length);
        Assert.All(results, r => Assert.Equal(AppendStatus.Stored, r.Status));
        for (var i = 0; i < records.Length; i++)
        {
            Assert.Equal(LogPartitioner.PartitionOf(records[i].PartitionKey, log.PartitionCount), results[i].Partition);
        }
    }

    [Fact]
    public async Task OneUsersRecordsAreReadBackFromOnePartitionInAppendOrder()
    {
        await using var log = await OpenAsync();
        for (var i = 0; i < 30; i++)
        {
            await log.AppendAsync([Record("user-a", $"a-{i}"), Record("user-b", $"b-{i}")], CancellationToken.None);
        }

        var partition = LogPartitioner.PartitionOf("user-a", log.PartitionCount);
        var entries = await ReadAllAsync(log, partition);
        var ofA = entries.Where(e => e.PartitionKey == "user-a").Select(e => e.IdempotencyKey).ToList();

        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"src:a-{i}"), ofA);
        Assert.All(entries, e => Assert.Equal(partition, e.Partition));
    }

    [Fact]
    public async Task PayloadsAndKeysAreReadBackExactly()
    {
        await using var log = await OpenAsync();
        var payload = Encoding.UTF8.GetBytes("""{"type":"track","event":"Ünïcödé ✓","properties":{"n":1}}""");
        var results = await log.AppendAsync([new LogRecord("user-ü", "src:m-1", payload)], CancellationToken.None);

        var entry = Assert.Single(await ReadAllAsync(log, results[0].Partition));

        Assert.Equal("user-ü", entry.PartitionKey);
        Assert.Equal("src:m-1", entry.IdempotencyKey);
        Assert.Equal(payload, entry.Payload.ToArray());
        Assert.Equal(results[0].Position, entry.Position);
    }

    [Fact]
    public async Task ReadingAfterAPositionReturnsOnlyLaterEntries()
    {
        await using var log = await OpenAsync(partitions: 1);
        var results = await log.AppendAsync(Enumerable.Range(0, 10).Select(i => Record("u", $"m-{i}")).ToArray(), CancellationToken.None);

        var after = await log.ReadAsync(0, results[4].Position, 100, TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(Enumerable.Range(5, 5).Select(i => $"src:m-{i}"), after.Select(e => e.IdempotencyKey));
        Assert.True(after.Zip(after.Skip(1)).All(pair => pair.First.Position < pair.Second.Position));
    }

    [Fact]
    public async Task AReadWaitsForTheNextAppendAndAnswersEmptyWhenNothingCame()
    {
        await using var log = await OpenAsync(partitions: 1);

        var nothing = await log.ReadAsync(0, LogPosition.Start, 10, TimeSpan.FromMilliseconds(100), CancellationToken.None);
        Assert.Empty(nothing);

        var waiting = log.ReadAsync(0, LogPosition.Start, 10, TimeSpan.FromSeconds(30), CancellationToken.None).AsTask();
        await log.AppendAsync([Record("u", "m-late")], CancellationToken.None);
        var entries = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("src:m-late", Assert.Single(entries).IdempotencyKey);
    }

    [Fact]
    public async Task AcknowledgedRecordsAndCommittedPositionsSurviveReopening()
    {
        AppendResult[] results;
        await using (var log = await OpenAsync())
        {
            results = await log.AppendAsync(Enumerable.Range(0, 20).Select(i => Record($"user-{i}", $"m-{i}")).ToArray(), CancellationToken.None);
            await log.CommitAsync("processor", results[3].Partition, results[3].Position, CancellationToken.None);
        }

        await using var reopened = await OpenAsync();
        var all = new List<LogEntry>();
        for (var p = 0; p < reopened.PartitionCount; p++)
        {
            all.AddRange(await ReadAllAsync(reopened, p));
        }

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"src:m-{i}").Order(), all.Select(e => e.IdempotencyKey).Order());
        Assert.Equal(results[3].Position, await reopened.GetCommittedAsync("processor", results[3].Partition, CancellationToken.None));
    }

    [Fact]
    public async Task ANewConsumerStartsAtTheBeginningAndCommitsOnlyMoveForward()
    {
        await using var log = await OpenAsync(partitions: 1);
        var results = await log.AppendAsync(Enumerable.Range(0, 5).Select(i => Record("u", $"m-{i}")).ToArray(), CancellationToken.None);

        Assert.Equal(LogPosition.Start, await log.GetCommittedAsync("new-consumer", 0, CancellationToken.None));
        await log.CommitAsync("c", 0, results[3].Position, CancellationToken.None);
        await log.CommitAsync("c", 0, results[1].Position, CancellationToken.None);

        Assert.Equal(results[3].Position, await log.GetCommittedAsync("c", 0, CancellationToken.None));
        Assert.Equal(results[4].Position, log.GetHead(0));
    }

    [Fact]
    public async Task ManyConcurrentAppendsAreEachStoredOnce()
    {
        await using var log = await OpenAsync();
        var appends = Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
            await log.AppendAsync([Record($"user-{i % 13}", $"m-{i}-a"), Record($"user-{i % 5}", $"m-{i}-b")], CancellationToken.None)));

        var results = await Task.WhenAll(appends);

        Assert.All(results.SelectMany(r => r), r => Assert.Equal(AppendStatus.Stored, r.Status));
        var stored = new List<string>();
        for (var p = 0; p < log.PartitionCount; p++)
        {
            stored.AddRange((await ReadAllAsync(log, p)).Select(e => e.IdempotencyKey));
        }

        Assert.Equal(400, stored.Count);
        Assert.Equal(400, stored.Distinct().Count());
    }

    private static protected LogRecord Record(string user, string messageId, string? json = null) =>
        new(user, "src:" + messageId, Encoding.UTF8.GetBytes(json ?? $$"""{"type":"track","event":"E","messageId":"{{messageId}}"}"""));

    private static protected async Task<List<LogEntry>> ReadAllAsync(IEventLog log, int partition)
    {
        var all = new List<LogEntry>();
        var position = LogPosition.Start;
        while (true)
        {
            var entries = await log.ReadAsync(partition, position, 1000, TimeSpan.Zero, CancellationToken.None);
            if (entries.Count == 0)
            {
                return all;
            }

            all.AddRange(entries);
            position = entries[^1].Position;
        }
    }
}
