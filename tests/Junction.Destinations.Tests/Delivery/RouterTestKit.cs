using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Destinations.Delivery;
using Junction.Destinations.Framework;
using Junction.Destinations.Tests.Fakes;
using Junction.EventLog;
using Junction.Fql;
using Junction.Testing;
using Junction.Workspace.Catalog;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Junction.Destinations.Tests.Delivery;

/// <summary>One send a <see cref="TestDestination"/> received.</summary>
internal sealed record ReceivedBatch(DateTimeOffset At, IReadOnlyList<string> MessageIds, int Status);

/// <summary>
/// A destination for router tests: its one action batches up to <c>maxBatchSize</c> events, and a test function
/// decides the answer to every send (by default 200). It records every send with the fake clock's time.
/// </summary>
internal sealed class TestDestination : IDestination
{
    private readonly ConcurrentQueue<ReceivedBatch> _received = new();
    private readonly TimeProvider _time;

    public TestDestination(TimeProvider time, string slug = "test-destination", int maxBatchSize = 10, IReadOnlyList<ActionField>? fields = null)
    {
        _time = time;
        Action = new ActionDefinition("send", "send", "Send", "Sends events.", null, fields ?? [], MaxBatchSize: maxBatchSize);
        Definition = new DestinationDefinition(
            slug, slug, slug, "A destination for tests.", [DestinationCategories.Other], "https://example.com",
            new SourceBadge("T", "#000000"), [], [Action], [], "https://example.invalid");
    }

    public DestinationDefinition Definition { get; }

    public ActionDefinition Action { get; }

    /// <summary>Decides the answer to a send; may wait (a slow tool) or throw (no answer).</summary>
    public Func<ActionBatch, CancellationToken, Task<SendResult>> Answer { get; set; } = (_, _) => Task.FromResult(SendResult.Ok());

    public IReadOnlyList<ReceivedBatch> Received => [.. _received];

    /// <summary>Every messageId the tool took (2xx, or a 2xx item status), in the order it took them.</summary>
    public IReadOnlyList<string> Accepted => [.. Received.SelectMany(b => b.MessageIds.Where((_, i) => b.Status is >= 200 and < 300))];

    public void AnswerWith(Func<ActionBatch, SendResult> answer) => Answer = (batch, _) => Task.FromResult(answer(batch));

    public async ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken)
    {
        var at = _time.GetUtcNow();
        SendResult result;
        try
        {
            result = await Answer(batch, cancellationToken);
        }
        catch
        {
            _received.Enqueue(new ReceivedBatch(at, batch.Items.Select(i => i.MessageId).ToList(), 0));
            throw;
        }

        if (result.ItemStatuses is { } statuses)
        {
            for (var i = 0; i < batch.Items.Count; i++)
            {
                _received.Enqueue(new ReceivedBatch(at, [batch.Items[i].MessageId], statuses[i]));
            }
        }
        else
        {
            _received.Enqueue(new ReceivedBatch(at, batch.Items.Select(i => i.MessageId).ToList(), result.Status));
        }

        return result;
    }
}

/// <summary>A destination directory the test sets by hand.</summary>
internal sealed class TestDirectory : IDestinationDirectory
{
    private readonly Lock _gate = new();
    private List<DestinationInstance> _all = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Changed
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    public IReadOnlyList<DestinationInstance> All()
    {
        lock (_gate)
        {
            return _all;
        }
    }

    public DestinationInstance? Find(string destinationId) => All().FirstOrDefault(d => d.Id == destinationId);

    public IReadOnlyList<DestinationInstance> ForSource(string sourceId) => All().Where(d => d.SourceId == sourceId && d.Enabled).ToList();

    public void Set(params DestinationInstance[] instances)
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            _all = [.. instances];
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    public static DestinationInstance Instance(string id, IDestination destination, bool enabled = true, long version = 1, string? baseUrl = null)
    {
        var settings = new JsonObject();
        if (baseUrl is not null)
        {
            settings[DestinationDefinition.BaseUrlSetting] = baseUrl;
        }

        return new DestinationInstance(id, "ws_test", "src_test", id, destination, enabled, settings, [], DestinationFilterSet.Compile([]), version);
    }
}

/// <summary>
/// A router over real per-destination queues in a temporary directory, with a fake clock the test drives. The router
/// can be stopped abruptly and a new one started over the same directory.
/// </summary>
internal sealed class RouterHarness : IAsyncDisposable
{
    private readonly List<TempDirectory> _directories = [new()];
    private DeliveryQueues _queues;
    private DestinationRouter? _router;

    public RouterHarness(Action<DeliveryOptions>? configure = null)
    {
        Options = new DeliveryOptions
        {
            DataDirectory = _directories[0].Path,
            Linger = TimeSpan.Zero,
            CommitInterval = TimeSpan.FromSeconds(1),
        };
        configure?.Invoke(Options);
        Assert.Null(Options.Validate());
        _queues = NewQueues();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public DeliveryOptions Options { get; }

    public TestDirectory Directory { get; } = new();

    public RecordingJournal Journal { get; } = new();

    public DestinationHealth Health { get; private set; } = new();

    public DeliveryQueues Queues => _queues;

    public string DataDirectory => Options.DataDirectory;

    /// <summary>Records of <paramref name="users"/> users with <paramref name="perUser"/> events each, interleaved (u0-0, u1-0, …, u0-1 …).</summary>
    public IReadOnlyList<DeliveryRecord> Records(string destinationId, int users, int perUser, string prefix = "m")
    {
        var records = new List<DeliveryRecord>();
        for (var n = 0; n < perUser; n++)
        {
            for (var u = 0; u < users; u++)
            {
                records.Add(Record(destinationId, $"user-{u}", $"{prefix}-{u}-{n}"));
            }
        }

        return records;
    }

    public DeliveryRecord Record(string destinationId, string user, string messageId, string action = "send")
    {
        var payload = new JsonObject { ["userId"] = user, ["messageId"] = messageId };
        using var document = JsonDocument.Parse(payload.ToJsonString());
        return new DeliveryRecord(destinationId, "sub_1", action, "src_test", messageId, user, Time.GetUtcNow(), payload, document.RootElement.Clone());
    }

    public async Task EnqueueAsync(string destinationId, IReadOnlyList<DeliveryRecord> records)
    {
        var results = await _queues.EnqueueAsync(destinationId, records, CancellationToken.None);
        Assert.All(results, r => Assert.Equal(AppendStatus.Stored, r.Status));
    }

    public async Task StartAsync()
    {
        Health = new DestinationHealth();
        _router = new DestinationRouter(
            Directory, _queues, Health, Journal, new DeliveryHttp(), Time, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<DestinationRouter>.Instance);
        await _router.StartAsync(CancellationToken.None);
    }

    /// <summary>
    /// A kill -9: copies the data directory as it is on disk at this moment (queues and committed positions, with
    /// whatever a crash would leave), then throws the running router away and points the harness at the copy. The
    /// old router's graceful stop writes only to the old directory, so the next router sees exactly the copy.
    /// </summary>
    public async Task CrashAsync()
    {
        var snapshot = new TempDirectory();
        _directories.Add(snapshot);
        CopyDirectory(Options.DataDirectory, snapshot.Path);
        var router = _router!;
        _router = null;
        await router.StopAsync(CancellationToken.None);
        router.Dispose();
        await _queues.DisposeAsync();
        Options.DataDirectory = snapshot.Path;
        _queues = NewQueues();
    }

    /// <summary>Moves the fake clock forward in steps, letting the router work between them, until <paramref name="done"/> holds.</summary>
    public async Task RunUntilAsync(Func<bool> done, TimeSpan step, TimeSpan limit, string what)
    {
        var end = Time.GetUtcNow() + limit;
        while (!done())
        {
            if (Time.GetUtcNow() >= end)
            {
                // Some real time for the last step's work before giving up.
                await Eventually.TrueAsync(() => Task.FromResult(done()), TimeSpan.FromSeconds(5), what);
                return;
            }

            await Task.Delay(2);
            await Settle();
            Time.Advance(step);
        }
    }

    /// <summary>Lets real time pass (the router works) without moving the fake clock, until <paramref name="done"/> holds.</summary>
    public static Task WaitUntilAsync(Func<bool> done, string what) =>
        Eventually.TrueAsync(() => Task.FromResult(done()), TimeSpan.FromSeconds(20), what);

    public async ValueTask DisposeAsync()
    {
        if (_router is { } router)
        {
            await router.StopAsync(CancellationToken.None);
            router.Dispose();
        }

        await _queues.DisposeAsync();
        foreach (var directory in _directories)
        {
            directory.Dispose();
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in System.IO.Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            System.IO.Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            FileStream source;
            try
            {
                source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (IOException) when (file.EndsWith(".tmp", StringComparison.Ordinal))
            {
                // A position being written this instant (held exclusively, or already renamed): a crash now would
                // leave the previous position file, which is what the copy keeps.
                continue;
            }

            using (source)
            using (var target = File.Create(Path.Combine(to, Path.GetRelativePath(from, file))))
            {
                source.CopyTo(target);
            }
        }
    }

    private static async Task Settle()
    {
        for (var i = 0; i < 3; i++)
        {
            await Task.Yield();
        }
    }

    private DeliveryQueues NewQueues() =>
        new(Microsoft.Extensions.Options.Options.Create(Options), Time, NullLogger<DeliveryQueues>.Instance);
}
