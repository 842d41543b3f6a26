using System.Text.Json;
using Bunit;
using Junction.Destinations.ControlPlane;
using Junction.Ingest.Debugger;
using Junction.Protocols.ControlPlane;
using Junction.Protocols.Observation;
using Junction.Protocols.Processing;
using Junction.Protocols.Violations;
using Junction.Testing;
using Junction.Web.Shared;
using Junction.Web.Sources;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Accounts;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace Junction.Web.Tests.Protocols;

/// <summary>
/// A whole Junction in the test process with an owner and a source "shop", and a bUnit context that renders the
/// Protocols pages and the source's Schema tab against the server's own services: the real
/// <see cref="ProtocolsService"/>, schema inventory, violation store and processor. Events are sent to the Tracking API
/// with the source's write key and go through the processor as in production.
/// </summary>
internal sealed class ProtocolsWorkspace : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private IRenderedComponent<MudPopoverProvider>? _popovers;

    private ProtocolsWorkspace(JunctionTestServer server, WorkspaceContext owner, string sourceId, string writeKey)
    {
        Server = server;
        Owner = owner;
        SourceId = sourceId;
        WriteKey = writeKey;
        var services = server.Services;
        Bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        Bunit.Services.AddMudServices();
        Bunit.Services.AddSingleton(new Scoped(services.GetRequiredService<IServiceScopeFactory>()));
        Bunit.Services.AddSingleton(services.GetRequiredService<ISourceLookup>());
        Bunit.Services.AddSingleton(services.GetRequiredService<SchemaInventory>());
        Bunit.Services.AddSingleton(services.GetRequiredService<IProtocolsDirectory>());
        Bunit.Services.AddSingleton(services.GetRequiredService<ViolationStore>());
        Bunit.Services.AddSingleton(services.GetRequiredService<ProtocolsFlusher>());
        Bunit.Services.AddSingleton(services.GetRequiredService<DebuggerFeed>());
        Bunit.Services.AddSingleton(services.GetRequiredService<DestinationCatalog>());
        Bunit.Services.AddSingleton(services.GetRequiredService<TimeProvider>());
    }

    public JunctionTestServer Server { get; }

    public WorkspaceContext Owner { get; }

    /// <summary>The source "shop".</summary>
    public string SourceId { get; }

    public string WriteKey { get; }

    public BunitContext Bunit { get; } = new();

    /// <summary>MudBlazor's popover provider, where select lists open.</summary>
    public IRenderedComponent<MudPopoverProvider> Popovers => _popovers ??= Bunit.Render<MudPopoverProvider>();

    /// <summary>A member who may read every source and every tracking plan and change none.</summary>
    public WorkspaceContext Reader => new(
        Owner.Workspace,
        new Principal(Owner.Workspace.Id, PrincipalType.User, "usr_reader", "Rita Reader",
        [
            new Grant(Roles.Find("source-read-only")!, GrantScope.Everything),
            new Grant(Roles.Find("tracking-plan-read-only")!, GrantScope.Everything),
        ]),
        "usr_reader");

    /// <summary>A member with no role on the source.</summary>
    public WorkspaceContext Stranger => new(
        Owner.Workspace,
        new Principal(Owner.Workspace.Id, PrincipalType.User, "usr_stranger", "Sam Stranger", [new Grant(Roles.WorkspaceMember, GrantScope.Everything)]),
        "usr_stranger");

    public static async Task<ProtocolsWorkspace> StartAsync()
    {
        var server = await JunctionTestServer.StartAsync(settings: [("Protocols:SampleFirstPerMinute", "1000")]);
        var (sourceId, writeKey) = await server.CreateSourceAsync("shop");
        await using var scope = server.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<JunctionDbContext>();
        var owner = await FirstOwnerSetup.CreateOwnerAsync(
            db, services.GetRequiredService<AuditTrail>(), services.GetRequiredService<TimeProvider>(),
            "olivia@example.test", "Olivia Owner", "a long owner passphrase", CancellationToken.None);
        var workspace = await db.Workspaces.AsNoTracking().OrderBy(w => w.CreatedAt).FirstAsync();
        var principal = await services.GetRequiredService<AccessService>().ForUserAsync(workspace.Id, owner.Value!.Id, CancellationToken.None);
        return new ProtocolsWorkspace(server, new WorkspaceContext(workspace, principal!, owner.Value.Id), sourceId, writeKey);
    }

    /// <summary>Sends a track call to the Tracking API with the source's write key.</summary>
    public async Task TrackAsync(string eventName, object properties, string userId = "user-1")
    {
        var json = JsonSerializer.Serialize(new { type = "track", @event = eventName, userId, properties });
        using var response = await Server.PostTrackingAsync("/v1/track", json, WriteKey);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Waits until the schema inventory has observed an event of the source with this name.</summary>
    public Task ObservedAsync(string name) =>
        Eventually.TrueAsync(
            async () => (await Server.Services.GetRequiredService<SchemaInventory>().ListAsync(SourceId, CancellationToken.None)).Any(e => e.Name == name),
            Patience, $"the schema inventory to observe {name}");

    /// <summary>Creates a plan as the owner, with the source's observed schema imported and the source connected, answering its id.</summary>
    public async Task<string> PlanFromSchemaAsync(string name = "Shop plan")
    {
        var plan = await RunAsync<ProtocolsService, Outcome<TrackingPlanView>>(s => s.CreatePlanAsync(Owner.Principal, new NewTrackingPlan(name), CancellationToken.None));
        var id = plan.Value!.Id;
        var imported = await RunAsync<ProtocolsService, Outcome<RulesAdded>>(s => s.ImportSchemaAsync(Owner.Principal, id, SourceId, null, CancellationToken.None));
        Assert.Null(imported.Problem);
        var connected = await RunAsync<ProtocolsService, Outcome<string>>(s => s.ConnectSourceAsync(Owner.Principal, id, SourceId, CancellationToken.None));
        Assert.Null(connected.Problem);
        return id;
    }

    /// <summary>Renders a tab's content in <see cref="SourceFrame"/>, as <paramref name="workspace"/> sees it, once the frame has loaded.</summary>
    public IRenderedComponent<SourceFrame> RenderSourceTab<TTab>(WorkspaceContext workspace)
        where TTab : IComponent
    {
        _ = Popovers;
        var frame = Bunit.Render<SourceFrame>(p => p
            .AddCascadingValue(workspace)
            .Add(f => f.SourceId, SourceId)
            .Add(f => f.Tab, "schema")
            .AddChildContent<TTab>());
        frame.WaitForAssertion(() => Assert.Empty(frame.FindAll("[aria-label='Loading the source']")), Patience);
        return frame;
    }

    /// <summary>Renders a component that needs only the workspace.</summary>
    public IRenderedComponent<T> RenderPage<T>(WorkspaceContext workspace, Action<ComponentParameterCollectionBuilder<T>>? parameters = null)
        where T : IComponent
    {
        _ = Popovers;
        return Bunit.Render<T>(p =>
        {
            p.AddCascadingValue(workspace);
            parameters?.Invoke(p);
        });
    }

    /// <summary>Chooses an option of the MudSelect in (or at) <paramref name="container"/>: opens its list and clicks the option with this text.</summary>
    public void Choose<T>(IRenderedComponent<T> page, string container, string option)
        where T : IComponent
    {
        var root = page.Find(container);
        (root.ClassList.Contains("mud-input-control") ? root : root.QuerySelector(".mud-input-control") ?? root.Closest(".mud-input-control")!).MouseDown();
        Popovers.WaitForAssertion(() => Assert.NotEmpty(OptionsNamed(option)));
        OptionsNamed(option)[0].Click();
    }

    public async Task<TResult> RunAsync<TService, TResult>(Func<TService, Task<TResult>> operation)
        where TService : notnull
    {
        await using var scope = Server.Services.CreateAsyncScope();
        return await operation(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>Text as a person reads it: every run of white space as one space.</summary>
    public static string Words(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public async ValueTask DisposeAsync()
    {
        await Bunit.DisposeAsync();
        await Server.DisposeAsync();
    }

    private List<AngleSharp.Dom.IElement> OptionsNamed(string option) =>
        Popovers.FindAll(".mud-popover-open .mud-list-item").Where(i => i.TextContent.Trim() == option).ToList();
}
