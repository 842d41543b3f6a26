using System.Text;
using System.Text.Json;
using Junction.EventLog;
using Junction.Events;
using Junction.Ingest.Debugger;
using Junction.Ingest.Volume;
using Junction.Protocols.Controls;
using Junction.Protocols.Observation;
using Junction.Protocols.Plans;
using Junction.Protocols.Processing;
using Junction.Protocols.Transformations;
using Junction.Protocols.Violations;
using Junction.Testing;
using Junction.Workspace.Sources;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Junction.Protocols.Tests.Processing;

/// <summary>
/// The Protocols stage with everything real except its surroundings: a fake directory of sources' Protocols
/// configurations, an in-memory ingest log that records what is forwarded, a fixed list of sources, a fake clock, and
/// the schema and violation stores in a temporary <c>protocols.db</c>.
/// </summary>
internal sealed class StageHarness : IDisposable
{
    public const string Source = "src-web";
    public const string Target = "src-quarantine";
    public const string Workspace = "ws-1";
    public static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 30, 0, TimeSpan.Zero);
    private static int _position;
    private readonly TempDirectory _data = new();

    public StageHarness(ProtocolsProcessingOptions? options = null)
    {
        var settings = Options.Create(options ?? new ProtocolsProcessingOptions());
        var path = Path.Combine(_data.Path, "protocols.db");
        Schema = new SchemaStore(path);
        Violations = new ViolationStore(path);
        Observer = new SchemaObserver(settings);
        Flags = new SchemaFlags(Schema);
        Recorder = new ViolationRecorder(settings);
        Debugger = new DebuggerFeed(Time);
        Forwarder = new ProtocolsForwarder(Log, Debugger, Sources, Time, NullLogger<ProtocolsForwarder>.Instance);
        Stage = new ProtocolsStage(Observer, Flags, Recorder, Forwarder, Debugger, Directory, Volume, NullLogger<ProtocolsStage>.Instance);
        Flusher = new ProtocolsFlusher(Observer, Schema, Recorder, Violations, settings, Time, new Lifetime(), NullLogger<ProtocolsFlusher>.Instance);
        Inventory = new SchemaInventory(Schema, Flags, Flusher, Time);
    }

    public FakeTimeProvider Time { get; } = new(Now);

    public VolumeCounter Volume { get; } = new();

    public FakeDirectory Directory { get; } = new();

    public RecordingLog Log { get; } = new();

    public StaticSources Sources { get; } = new(
        new SourceInfo(Source, Workspace, "web", "Web", "IqDTy1TpoU", true),
        new SourceInfo(Target, Workspace, "quarantine", "Quarantine", "IqDTy1TpoU", true),
        new SourceInfo("src-elsewhere", "ws-2", "elsewhere", "Elsewhere", "IqDTy1TpoU", true));

    public SchemaStore Schema { get; }

    public ViolationStore Violations { get; }

    public SchemaObserver Observer { get; }

    public SchemaFlags Flags { get; }

    public ViolationRecorder Recorder { get; }

    public DebuggerFeed Debugger { get; }

    public ProtocolsForwarder Forwarder { get; }

    public ProtocolsStage Stage { get; }

    public ProtocolsFlusher Flusher { get; }

    public SchemaInventory Inventory { get; }

    /// <summary>A stored event of <see cref="Source"/> (or another source), tagged as the gateway tags it.</summary>
    public static LogEntry Entry(string json, string sourceId = Source, DateTimeOffset? at = null)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var type = EventTypes.TryParse(root.GetProperty("type").GetString(), out var parsed) ? parsed : EventType.Track;
        var name = type switch
        {
            EventType.Track => root.GetProperty("event").GetString(),
            EventType.Page or EventType.Screen when root.TryGetProperty("name", out var n) => n.GetString(),
            _ => null,
        };
        var messageId = root.TryGetProperty("messageId", out var id) ? id.GetString()! : "m-" + Interlocked.Increment(ref _position);
        var user = root.TryGetProperty("userId", out var u) ? u.GetString()! : "anon";
        return new LogEntry(0, new LogPosition(Interlocked.Increment(ref _position)), at ?? Now, user, sourceId + ":" + messageId, EventTag.Format(type, name),
            Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Runs the stage over some events.</summary>
    public async Task<IReadOnlyList<LogEntry>> RunAsync(params LogEntry[] entries) => await Stage.ProcessAsync(entries, CancellationToken.None);

    /// <summary>Connects a plan (and optionally transformations) to <see cref="Source"/>.</summary>
    public void Connect(SourceSchemaSettings settings, IReadOnlyList<PlanRule>? rules = null, params TransformationDefinition[] transformations) =>
        Directory.Set(new SourceProtocols(
            Source, "tp_1", "Web plan", rules is null ? null : PlanCompiler.Compile(rules), settings,
            [.. transformations.Where(t => t.DestinationMetadataId is null).Select(TransformationCompiler.Compile)],
            transformations.Where(t => t.DestinationMetadataId is not null)
                .GroupBy(t => t.DestinationMetadataId!)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<CompiledTransformation>)[.. g.Select(TransformationCompiler.Compile)])));

    /// <summary>Observes an event of the source and blocks it (or one of its properties) in the schema view.</summary>
    public async Task BlockAsync(string json, string? path = null)
    {
        var entry = Entry(json);
        EventTag.TryParse(entry.Tag, out var type, out var name);
        await RunAsync(entry);
        Assert.True(path is null
            ? await Inventory.TrySetEventFlagsAsync(Source, type.Name(), name ?? "", true, null, CancellationToken.None)
            : await Inventory.TrySetPropertyBlockedAsync(Source, type.Name(), name ?? "", path, true, CancellationToken.None));
    }

    public static JsonElement Json(LogEntry entry) => JsonSerializer.Deserialize<JsonElement>(entry.Payload.Span);

    public static JsonElement Json(LogRecord record) => JsonSerializer.Deserialize<JsonElement>(record.Payload.Span);

    public static PlanRule Track(string name, string schema, int version = 1) => new(RuleType.Track, name, version, JsonSerializer.Deserialize<JsonElement>(schema));

    public static PlanRule Rule(RuleType type, string schema) => new(type, null, 1, JsonSerializer.Deserialize<JsonElement>(schema));

    public static TransformationDefinition Transformation(
        string name, string condition, string? newEventName = null, bool drop = false, string? destination = null, params PropertyRename[] renames) =>
        new("tr-" + name, name, Source, destination, true, condition, drop, newEventName, renames, [], []);

    public void Dispose()
    {
        Flusher.Dispose();
        _data.Dispose();
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}

/// <summary>Sources' Protocols configurations, set by the test.</summary>
internal sealed class FakeDirectory : IProtocolsDirectory
{
    private readonly Dictionary<string, SourceProtocols> _sources = new(StringComparer.Ordinal);

    public int Lookups { get; private set; }

    public void Set(SourceProtocols protocols)
    {
        lock (_sources)
        {
            _sources[protocols.SourceId] = protocols;
        }
    }

    public SourceProtocols? ForSource(string sourceId)
    {
        lock (_sources)
        {
            Lookups++;
            return _sources.GetValueOrDefault(sourceId);
        }
    }
}

/// <summary>An ingest log that keeps appended records in memory and answers as told.</summary>
internal sealed class RecordingLog : IEventLog
{
    private readonly List<LogRecord> _appended = [];

    public AppendStatus Answer { get; set; } = AppendStatus.Stored;

    public IReadOnlyList<LogRecord> Appended
    {
        get
        {
            lock (_appended)
            {
                return [.. _appended];
            }
        }
    }

    public int PartitionCount => 1;

    public ValueTask<AppendResult[]> AppendAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken)
    {
        lock (_appended)
        {
            if (Answer == AppendStatus.Stored)
            {
                _appended.AddRange(records);
            }
        }

        return ValueTask.FromResult(records.Select((_, i) => new AppendResult(Answer, 0, new LogPosition(i + 1))).ToArray());
    }

    public ValueTask<IReadOnlyList<LogEntry>> ReadAsync(int partition, LogPosition after, int maxCount, TimeSpan maxWait, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public ValueTask CommitAsync(string consumer, int partition, LogPosition position, CancellationToken cancellationToken) => throw new NotSupportedException();

    public ValueTask<LogPosition> GetCommittedAsync(string consumer, int partition, CancellationToken cancellationToken) => throw new NotSupportedException();

    public LogPosition GetHead(int partition) => throw new NotSupportedException();

    public LogHealth GetHealth() => throw new NotSupportedException();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A fixed list of sources.</summary>
internal sealed class StaticSources(params SourceInfo[] sources) : ISourceLookup
{
    public SourceInfo? FindByWriteKey(string writeKey) => null;

    public SourceInfo? FindById(string sourceId) => sources.FirstOrDefault(s => s.Id == sourceId);

    public IReadOnlyList<SourceInfo> InWorkspace(string workspaceId) => [.. sources.Where(s => s.WorkspaceId == workspaceId)];
}
