using Junction.Ingest.Debugger;
using Junction.Web.Shared;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Components;

namespace Junction.Web.Sources.Debugger;

/// <summary>
/// The Debugger tab: the source's events as they arrive, newest on top. It starts from the events the feed already
/// holds and then follows its live stream. Arrivals are queued off the render context and drawn together at most
/// <see cref="FramesPerSecond"/> times a second, the list is capped at <see cref="LiveEvents.Capacity"/> and only its
/// visible rows are rendered, so a busy source does not flood the browser. Reading the stream needs Source Read on the
/// source (the rule of the debugger API); it is checked when the stream opens and again before each batch is shown.
/// (Razor components are always public; what they show stays internal.)
/// </summary>
public sealed partial class DebuggerView : IAsyncDisposable
{
    /// <summary>How often, at most, arrivals are drawn.</summary>
    public const int FramesPerSecond = 4;

    internal static readonly TimeSpan FrameInterval = TimeSpan.FromSeconds(1.0 / FramesPerSecond);

    private LiveEvents _events = new();
    private List<EventRow> _visible = [];
    private DebuggerFilter _filter = DebuggerFilter.All;
    private EventRow? _selected;
    private Problem? _problem;
    private string? _openedSourceId;
    private CancellationTokenSource? _stream;
    private ITimer? _frames;
    private int _frameQueued;

    [Inject] private DebuggerFeed Feed { get; set; } = default!;

    [Inject] private ISourceLookup Sources { get; set; } = default!;

    [Inject] private TimeProvider Time { get; set; } = default!;

    [CascadingParameter] private WorkspaceContext Workspace { get; set; } = default!;

    [Parameter, EditorRequired] public string SourceId { get; set; } = "";

    /// <summary>The page's events, for tests that wait for arrivals.</summary>
    internal LiveEvents Events => _events;

    protected override async Task OnParametersSetAsync()
    {
        if (_openedSourceId != SourceId)
        {
            await CloseAsync();
            Open();
        }
    }

    private void Open()
    {
        _openedSourceId = SourceId;
        _events = new LiveEvents();
        _visible = [];
        _selected = null;
        _problem = Authorize();
        if (_problem is not null)
        {
            return;
        }

        if (!RendererInfo.IsInteractive)
        {
            // Prerendering: the recent events only; the interactive render that follows opens the stream.
            _events.Load(Feed.Recent(SourceId, LiveEvents.Capacity));
            _visible = Filtered();
            return;
        }

        // Subscribe before reading the recent events so that nothing arriving in between is missed; LiveEvents drops
        // the overlap.
        _stream = new CancellationTokenSource();
        _ = FollowAsync(Feed.SubscribeAsync(SourceId, _stream.Token), _events, _stream.Token);
        _events.Load(Feed.Recent(SourceId, LiveEvents.Capacity));
        _visible = Filtered();
        _frames = Time.CreateTimer(_ => OnFrame(), null, FrameInterval, FrameInterval);
    }

    private Problem? Authorize() =>
        SourceAccess.Check(Workspace.Principal, AccessLevel.Read, Sources.FindById(SourceId), "Reading the debugger of");

    // Runs off the render context: it only queues.
    private static async Task FollowAsync(IAsyncEnumerable<DebuggerEntry> entries, LiveEvents events, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var entry in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                events.Add(entry);
            }
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or ObjectDisposedException)
        {
            // The page closed the stream.
        }
    }

    // On the timer's thread: one frame at a time is queued to the render context, and only when events arrived.
    private void OnFrame()
    {
        if (!_events.HasArrivals || Interlocked.Exchange(ref _frameQueued, 1) == 1)
        {
            return;
        }

        _ = DrawFrameAsync();
    }

    private async Task DrawFrameAsync()
    {
        try
        {
            await InvokeAsync(async () =>
            {
                Volatile.Write(ref _frameQueued, 0);
                if ((_problem = Authorize()) is not null)
                {
                    await CloseAsync();
                    _events = new LiveEvents();
                    _visible = [];
                    _selected = null;
                    StateHasChanged();
                    return;
                }

                if (_events.Flush())
                {
                    _visible = Filtered();
                    StateHasChanged();
                }
            });
        }
        catch (ObjectDisposedException)
        {
            // The page's circuit has gone.
        }
    }

    private void Pause() => _events.Pause();

    private void Resume()
    {
        _events.Resume();
        _visible = Filtered();
    }

    private void Select(EventRow row) => _selected = row;

    private void OnTypesChanged(IReadOnlyCollection<string>? types) =>
        SetFilter(_filter with { Types = (types ?? []).ToHashSet(StringComparer.Ordinal) });

    private void OnStatusesChanged(IReadOnlyCollection<DebuggerStatus>? statuses) =>
        SetFilter(_filter with { Statuses = (statuses ?? []).ToHashSet() });

    private void OnSearchChanged(string? search) => SetFilter(_filter with { Search = (search ?? "").Trim() });

    private void SetFilter(DebuggerFilter filter)
    {
        _filter = filter;
        _visible = Filtered();
    }

    private List<EventRow> Filtered() =>
        _filter.IsEmpty ? [.. _events.Shown] : _events.Shown.Where(_filter.Matches).ToList();

    private async Task CloseAsync()
    {
        if (_frames is not null)
        {
            await _frames.DisposeAsync();
            _frames = null;
        }

        if (_stream is not null)
        {
            await _stream.CancelAsync();
            _stream.Dispose();
            _stream = null;
        }
    }

    public async ValueTask DisposeAsync() => await CloseAsync();
}
