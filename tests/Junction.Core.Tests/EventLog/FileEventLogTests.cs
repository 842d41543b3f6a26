using Junction.EventLog;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Junction.Core.Tests.EventLog;

/// <summary>The embedded segment-file log: the conformance suite, plus what only a file log has to prove.</summary>
public sealed class FileEventLogTests : EventLogConformance
{
    private FileEventLogOptions _options = null!;

    private protected override Task<IEventLog> OpenAsync(int partitions = 4)
    {
        _options ??= new FileEventLogOptions { Directory = Directory, Partitions = partitions, MinFreeBytes = 0 };
        return Task.FromResult<IEventLog>(FileEventLog.Open(_options, TimeProvider.System, NullLogger.Instance));
    }

    [Fact]
    public async Task AHalfWrittenRecordAtTheEndIsCutOffWhenTheLogIsOpenedAgain()
    {
        AppendResult[] results;
        await using (var log = await OpenAsync(partitions: 1))
        {
            results = await log.AppendAsync([Record("u", "m-1"), Record("u", "m-2")], CancellationToken.None);
        }

        var segment = System.IO.Directory.GetFiles(Path.Combine(Directory, "p000"), "*.seg").Single();
        var before = new FileInfo(segment).Length;

        // A crash in the middle of a write leaves part of a frame behind: a length that runs past the end of the file.
        var frame = new byte[] { 200, 0, 0, 0, 1, 2, 3, 4, 1, 9, 9 };
        await File.AppendAllBytesAsync(segment, frame);

        await using var reopened = await OpenAsync();
        var entries = await ReadAllAsync(reopened, 0);
        Assert.Equal(["src:m-1", "src:m-2"], entries.Select(e => e.IdempotencyKey));
        Assert.Equal(before, new FileInfo(segment).Length);

        var next = await reopened.AppendAsync([Record("u", "m-3")], CancellationToken.None);
        Assert.Equal(AppendStatus.Stored, next[0].Status);
        Assert.Equal(["src:m-1", "src:m-2", "src:m-3"], (await ReadAllAsync(reopened, 0)).Select(e => e.IdempotencyKey));
        Assert.True(next[0].Position > results[1].Position);
    }

    [Fact]
    public async Task ARecordWhoseChecksumDoesNotMatchIsCutTogetherWithEverythingAfterIt()
    {
        await using (var log = await OpenAsync(partitions: 1))
        {
            await log.AppendAsync([Record("u", "m-1"), Record("u", "m-2"), Record("u", "m-3")], CancellationToken.None);
        }

        var segment = System.IO.Directory.GetFiles(Path.Combine(Directory, "p000"), "*.seg").Single();
        var bytes = await File.ReadAllBytesAsync(segment);

        // Flip a byte inside the last record's payload, as a torn sector would.
        bytes[^3] ^= 0xFF;
        await File.WriteAllBytesAsync(segment, bytes);

        await using var reopened = await OpenAsync();
        Assert.Equal(["src:m-1", "src:m-2"], (await ReadAllAsync(reopened, 0)).Select(e => e.IdempotencyKey));
    }

    [Fact]
    public async Task RecordsAreReadAcrossSegmentFilesAfterTheActiveOneFillsUp()
    {
        _options = new FileEventLogOptions { Directory = Directory, Partitions = 1, SegmentBytes = 1024, MinFreeBytes = 0 };
        await using var log = await OpenAsync();
        for (var i = 0; i < 100; i++)
        {
            await log.AppendAsync([Record("u", $"m-{i}")], CancellationToken.None);
        }

        Assert.True(System.IO.Directory.GetFiles(Path.Combine(Directory, "p000"), "*.seg").Length > 3);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"src:m-{i}"), (await ReadAllAsync(log, 0)).Select(e => e.IdempotencyKey));
    }

    [Fact]
    public async Task SegmentsAreRemovedOnlyOnceEveryConsumerIsPastThemAndTheyAreOlderThanTheRetention()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _options = new FileEventLogOptions
        {
            Directory = Directory,
            Partitions = 1,
            SegmentBytes = 512,
            MinFreeBytes = 0,
            Retention = TimeSpan.FromHours(1),
        };
        await using var log = FileEventLog.Open(_options, clock, NullLogger.Instance);
        var results = new List<AppendResult>();
        for (var i = 0; i < 30; i++)
        {
            results.AddRange(await log.AppendAsync([Record("u", $"m-{i}")], CancellationToken.None));
        }

        var segments = () => System.IO.Directory.GetFiles(Path.Combine(Directory, "p000"), "*.seg").Length;
        var before = segments();
        await log.CommitAsync("processor", 0, results[20].Position, CancellationToken.None);

        // Young segments stay even though the consumer is past them.
        clock.Advance(TimeSpan.FromMinutes(2));
        await log.AppendAsync([Record("u", "tick-1")], CancellationToken.None);
        Assert.Equal(before, segments());

        foreach (var file in System.IO.Directory.GetFiles(Path.Combine(Directory, "p000"), "*.seg"))
        {
            File.SetLastWriteTimeUtc(file, clock.GetUtcNow().UtcDateTime - TimeSpan.FromHours(2));
        }

        clock.Advance(TimeSpan.FromMinutes(2));
        await log.AppendAsync([Record("u", "tick-2")], CancellationToken.None);

        Assert.True(segments() < before);
        var remaining = await ReadAllAsync(log, 0, from: results[20].Position);
        Assert.Equal(Enumerable.Range(21, 9).Select(i => $"src:m-{i}").Concat(["src:tick-1", "src:tick-2"]), remaining.Select(e => e.IdempotencyKey));
    }

    [Fact]
    public async Task AppendsAreRefusedAsFullWhileTheDiskIsBelowTheFloor()
    {
        _options = new FileEventLogOptions { Directory = Directory, Partitions = 1, MinFreeBytes = long.MaxValue };
        await using var log = await OpenAsync();

        var results = await log.AppendAsync([Record("u", "m-1")], CancellationToken.None);

        Assert.Equal(AppendStatus.Full, results[0].Status);
        Assert.False(log.GetHealth().Available, log.GetHealth().ToString());
        Assert.Empty(await ReadAllAsync(log, 0));
    }

    [Fact]
    public async Task AWriteTheDiskRefusesIsAnsweredUnavailableAndLeavesNoPartialRecordBehind()
    {
        await using var disk = await Junction.Testing.SmallFilesystem.TryMountAsync(megabytes: 8)
            ?? throw new InvalidOperationException("This test needs to mount a tmpfs (the test command runs as root).");

        // No free-space floor: the write itself must hit ENOSPC.
        _options = new FileEventLogOptions { Directory = Path.Combine(disk.Path, "log"), Partitions = 1, MinFreeBytes = long.MinValue / 2 };
        await using var log = await OpenAsync();
        await log.AppendAsync([Record("u", "before")], CancellationToken.None);
        var filler = disk.Fill();

        var big = new string('x', 200_000);
        var results = await log.AppendAsync([Record("u", "refused", $$"""{"blob":"{{big}}"}""")], CancellationToken.None);
        Assert.Equal(AppendStatus.Unavailable, results[0].Status);
        Assert.False(log.GetHealth().Available, log.GetHealth().ToString());

        File.Delete(filler);
        var after = await log.AppendAsync([Record("u", "after")], CancellationToken.None);
        Assert.Equal(AppendStatus.Stored, after[0].Status);
        Assert.Equal(["src:before", "src:after"], (await ReadAllAsync(log, 0)).Select(e => e.IdempotencyKey));
    }

    [Fact]
    public async Task ARecordLargerThanTheLimitIsRefusedAndTheOthersAreStored()
    {
        _options = new FileEventLogOptions { Directory = Directory, Partitions = 1, MinFreeBytes = 0, MaxRecordBytes = 1024 };
        await using var log = await OpenAsync();

        var results = await log.AppendAsync([Record("u", "big", new string('x', 2000)), Record("u", "small")], CancellationToken.None);

        Assert.Equal([AppendStatus.TooLarge, AppendStatus.Stored], results.Select(r => r.Status));
        Assert.Equal("src:small", Assert.Single(await ReadAllAsync(log, 0)).IdempotencyKey);
    }

    [Fact]
    public async Task ALogKeepsThePartitionCountItWasCreatedWith()
    {
        await using (var log = await OpenAsync(partitions: 3))
        {
            Assert.Equal(3, log.PartitionCount);
        }

        _options = new FileEventLogOptions { Directory = Directory, Partitions = 16, MinFreeBytes = 0 };
        await using var reopened = await OpenAsync();
        Assert.Equal(3, reopened.PartitionCount);
    }

    private static async Task<List<LogEntry>> ReadAllAsync(IEventLog log, int partition, LogPosition from)
    {
        var all = new List<LogEntry>();
        var position = from;
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
