using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Bunit;
using Junction.Destinations.ControlPlane;
using Junction.Destinations.Delivery;
using Junction.Destinations.Delivery.Journal;
using Junction.Destinations.Framework;
using Junction.EventLog;
using Junction.Testing;
using Junction.Web.Shared;
using Junction.Workspace.Access;
using Junction.Workspace.Catalog;
using Junction.Workspace.Data;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;

namespace Junction.Web.Tests.Destinations.Delivery;

/// <summary>
/// The destination pages' world for bUnit: a real delivery journal on a temporary <c>delivery.db</c> (its writer,
/// metrics flusher and query services, as the server registers them), a fake clock, a queue that records re-sent
/// records, the destinations and sources directories, the delivery health, and MudBlazor's providers rendered.
/// </summary>
internal sealed class DeliveryKit : IAsyncDisposable
{
    public const string WorkspaceId = "ws_test";
    public const string SourceId = "src_web";
    public const string DestinationId = "dst_amplitude";
    public const string OtherDestinationId = "dst_mixpanel";
    public const string Subscription = "sub_track";
    public const string OtherSubscription = "sub_identify";
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private IRenderedComponent<IComponent>? _providers;

    public DeliveryKit()
    {
        Store = new JournalStore(Path.Combine(_directory.Path, "delivery.db"));
        var options = Microsoft.Extensions.Options.Options.Create(new DeliveryJournalOptions());
        Journal = new DeliveryJournal(Store, Counter, options, Time, NullLogger<DeliveryJournal>.Instance);
        Flusher = new DeliveryMetricsFlusher(Counter, Store, options, Time, NullLogger<DeliveryMetricsFlusher>.Instance);
        DeadLetters = new DeadLetterQuery(Store, Queues, Journal, Time);
        Destinations.Add(DestinationId, "Amplitude", (Subscription, "Track calls"), (OtherSubscription, "Identify calls"));
        Destinations.Add(OtherDestinationId, "Mixpanel");

        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
        Context.Services.AddSingleton<TimeProvider>(Time);
        Context.Services.AddSingleton(new DeliveryMetricsQuery(Store, Flusher));
        Context.Services.AddSingleton(new TraceQuery(Store));
        Context.Services.AddSingleton(DeadLetters);
        Context.Services.AddSingleton(Health);
        Context.Services.AddSingleton<IDestinationDirectory>(Destinations);
        Context.Services.AddSingleton<ISourceLookup>(new Lookup(new SourceInfo(SourceId, WorkspaceId, "web", "Web", "IqDTy1TpoU", Enabled: true)));
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public JournalStore Store { get; }

    public DeliveryMetricsCounter Counter { get; } = new();

    public DeliveryJournal Journal { get; }

    public DeliveryMetricsFlusher Flusher { get; }

    public DeadLetterQuery DeadLetters { get; }

    public RecordingQueues Queues { get; } = new();

    public DestinationHealth Health { get; } = new();

    public SourceDestinations Destinations { get; } = new();

    public BunitContext Context { get; } = new();

    /// <summary>The destination as the frame cascades it.</summary>
    public static DestinationView View { get; } = new(
        DestinationId, WorkspaceId, SourceId, SourceDestinations.Definition, "Amplitude", true, [], Start, Start);

    public static Principal Owner { get; } = new(WorkspaceId, PrincipalType.User, "usr_owner", "Olivia", [new Grant(Roles.WorkspaceOwner, GrantScope.Everything)]);

    /// <summary>A member with Source Read-only on every source: reads deliveries, may not re-send.</summary>
    public static Principal Reader { get; } = new(
        WorkspaceId, PrincipalType.User, "usr_reader", "Rita", [new Grant(Roles.WorkspaceMember, GrantScope.Everything), new Grant(Roles.Find("source-read-only")!, GrantScope.Everything)]);

    /// <summary>A member with no role on sources.</summary>
    public static Principal Stranger { get; } = new(
        WorkspaceId, PrincipalType.User, "usr_stranger", "Sam", [new Grant(Roles.WorkspaceMember, GrantScope.Everything)]);

    /// <summary>Where dialogs and open select lists are rendered.</summary>
    public IRenderedComponent<IComponent> Providers => _providers ??= Context.Render(builder =>
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<MudDialogProvider>(1);
        builder.CloseComponent();
    });

    public async Task StartAsync() => await Journal.StartAsync(CancellationToken.None);

    /// <summary>Renders a destination tab's content as the frame would, for <paramref name="principal"/>.</summary>
    public IRenderedComponent<T> Render<T>(Principal principal, Action<ComponentParameterCollectionBuilder<T>>? parameters = null, DestinationView? destination = null)
        where T : IComponent
    {
        _ = Providers;
        var workspace = new WorkspaceContext(new WorkspaceEntity { Id = WorkspaceId, Name = "Acme", Slug = "acme" }, principal, principal.Id);
        return Context.Render<T>(p =>
        {
            p.AddCascadingValue(workspace).AddCascadingValue(destination ?? View);
            parameters?.Invoke(p);
        });
    }

    public void Report(DeliveryStep step) => Journal.Report(step);

    /// <summary>Waits until every reported step is written and every count is stored.</summary>
    public async Task FlushAsync()
    {
        await Journal.FlushAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        await Flusher.FlushAsync(CancellationToken.None);
    }

    /// <summary>Clicks the button of the open dialog whose text is <paramref name="text"/>.</summary>
    public void ClickDialogButton(string text) =>
        Providers.FindAll(".mud-dialog button").First(b => b.TextContent.Trim() == text).Click();

    /// <summary>Chooses an option in the select marked <paramref name="test"/> inside <paramref name="scope"/>.</summary>
    public void Choose<T>(IRenderedComponent<T> scope, string test, string option)
        where T : IComponent
    {
        scope.Find($"[data-test={test}] .mud-input-control").MouseDown();
        Providers.WaitForAssertion(() => Assert.NotEmpty(OptionsNamed(option)));
        OptionsNamed(option)[0].Click();
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await Journal.StopAsync(CancellationToken.None);
        Journal.Dispose();
        Flusher.Dispose();
        DeadLetters.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    private List<IElement> OptionsNamed(string option) =>
        Providers.FindAll(".mud-popover-open .mud-list-item").Where(i => i.TextContent.Trim() == option).ToList();

    private sealed class Lookup(params SourceInfo[] sources) : ISourceLookup
    {
        public SourceInfo? FindByWriteKey(string writeKey) => null;

        public SourceInfo? FindById(string sourceId) => sources.FirstOrDefault(s => s.Id == sourceId);

        public IReadOnlyList<SourceInfo> InWorkspace(string workspaceId) => sources.Where(s => s.WorkspaceId == workspaceId).ToList();
    }
}

/// <summary>Records and steps the way the fan-out and the router report them.</summary>
internal static class Steps
{
    public static DeliveryRecord Record(string messageId, DateTimeOffset receivedAt, string destinationId = DeliveryKit.DestinationId, string subscriptionId = DeliveryKit.Subscription) =>
        new(
            destinationId,
            subscriptionId,
            "logEvent",
            DeliveryKit.SourceId,
            messageId,
            "user-1",
            receivedAt,
            new JsonObject { ["event_type"] = "Order Completed", ["user_id"] = "user-1" },
            JsonDocument.Parse($$"""{"type":"track","event":"Order Completed","messageId":"{{messageId}}","userId":"user-1"}""").RootElement.Clone());

    public static DeliveryStep Queued(DeliveryRecord record, DateTimeOffset at) =>
        new(record.DestinationId, record.SourceId, record.MessageId, record.SubscriptionId, DeliveryState.Queued, at, Record: record);

    public static DeliveryStep Filtered(string messageId, DateTimeOffset at, string reason, string destinationId = DeliveryKit.DestinationId) =>
        new(destinationId, DeliveryKit.SourceId, messageId, null, DeliveryState.Filtered, at, Reason: reason);

    public static DeliveryStep Retrying(DeliveryRecord record, DateTimeOffset at, int attempt, int status, string reason, string response) =>
        new(record.DestinationId, record.SourceId, record.MessageId, record.SubscriptionId, DeliveryState.Retrying, at, reason, attempt, status, response, TimeSpan.FromMilliseconds(120));

    public static DeliveryStep Delivered(DeliveryRecord record, DateTimeOffset at, int attempt = 1) =>
        new(record.DestinationId, record.SourceId, record.MessageId, record.SubscriptionId, DeliveryState.Delivered, at, null, attempt, 200, "{\"code\":200}", TimeSpan.FromMilliseconds(80), record);

    public static DeliveryStep Aborted(DeliveryRecord record, DateTimeOffset at, int status = 400, string response = "{\"error\":\"invalid api_key\"}") =>
        new(record.DestinationId, record.SourceId, record.MessageId, record.SubscriptionId, DeliveryState.Aborted, at, $"The tool refused the event with {status}.", 1, status, response, TimeSpan.FromMilliseconds(50), record);

    public static DeliveryStep Expired(DeliveryRecord record, DateTimeOffset at, int status = 503) =>
        new(record.DestinationId, record.SourceId, record.MessageId, record.SubscriptionId, DeliveryState.Expired, at, "Still failing (503) after 12 attempts when its retry window of 04:00:00 (Delivery:RetryWindow) ended.", 12, status, "Service Unavailable", TimeSpan.FromSeconds(10), record);
}

/// <summary>An <see cref="IDeliveryQueues"/> that keeps what it is given and answers stored.</summary>
internal sealed class RecordingQueues : IDeliveryQueues
{
    private readonly Lock _lock = new();

    public List<DeliveryRecord> Enqueued { get; } = [];

    public ValueTask<AppendResult[]> EnqueueAsync(string destinationId, IReadOnlyList<DeliveryRecord> records, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Enqueued.AddRange(records);
            return ValueTask.FromResult(records.Select(_ => new AppendResult(AppendStatus.Stored, 0, default)).ToArray());
        }
    }
}

/// <summary>A fixed <see cref="IDestinationDirectory"/> of the source's destinations, with their mappings.</summary>
internal sealed class SourceDestinations : IDestinationDirectory
{
    public static readonly DestinationDefinition Definition = new(
        "5f7dd6d21ad74f3842b1fc47", "actions-amplitude", "Amplitude (Actions)", "Product analytics.", [DestinationCategories.Analytics],
        "https://amplitude.com", new SourceBadge("A", "#1E61F0"), [], [], [], "https://api2.amplitude.com");

    private readonly Dictionary<string, DestinationInstance> _byId = new(StringComparer.Ordinal);

    public Task Changed { get; } = new TaskCompletionSource().Task;

    public void Add(string id, string name, params (string Id, string Name)[] subscriptions)
    {
        var action = new ActionDefinition("act_log", "logEvent", "Log Event", "Sends an event.", null, []);
        _byId[id] = new DestinationInstance(
            id, DeliveryKit.WorkspaceId, DeliveryKit.SourceId, name, new FakeDestination(), true, [],
            subscriptions.Select(s => new CompiledSubscription(s.Id, s.Name, action, null, null)).ToList(),
            Junction.Fql.DestinationFilterSet.Compile([]), 1);
    }

    public IReadOnlyList<DestinationInstance> ForSource(string sourceId) => _byId.Values.Where(d => d.SourceId == sourceId).ToList();

    public IReadOnlyList<DestinationInstance> All() => _byId.Values.ToList();

    public DestinationInstance? Find(string destinationId) => _byId.GetValueOrDefault(destinationId);

    private sealed class FakeDestination : IDestination
    {
        public DestinationDefinition Definition => SourceDestinations.Definition;

        public ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken) =>
            ValueTask.FromResult(SendResult.Ok());
    }
}

/// <summary>Reading numbers the pages show.</summary>
internal static class Shown
{
    /// <summary>"84 ms" or "1.53 s" as milliseconds.</summary>
    public static double Milliseconds(string text)
    {
        var parts = text.Split(' ');
        var value = double.Parse(parts[0], CultureInfo.InvariantCulture);
        return parts[1] == "s" ? value * 1000 : value;
    }
}
