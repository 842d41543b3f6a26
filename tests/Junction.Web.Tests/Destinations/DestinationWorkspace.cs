using System.Text.Json;
using System.Text.Json.Nodes;
using Bunit;
using Junction.Destinations.Catalog;
using Junction.Destinations.ControlPlane;
using Junction.Destinations.Framework;
using Junction.Testing;
using Junction.Web.Destinations;
using Junction.Web.Destinations.Settings;
using Junction.Web.Shared;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Accounts;
using Junction.Workspace.Audit;
using Junction.Workspace.Catalog;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using FieldType = Junction.Destinations.Framework.FieldType;

namespace Junction.Web.Tests.Destinations;

/// <summary>
/// A whole Junction in the test process whose catalog has "Every Type", a destination with one setting of each type,
/// an owner, a source, and a bUnit context that renders a destination's Settings tab in its real frame against the
/// server's services.
/// </summary>
internal sealed class DestinationWorkspace : IAsyncDisposable
{
    public const string EveryTypeId = "every-type-0001";

    private DestinationWorkspace(JunctionTestServer server, WorkspaceContext owner, string sourceId)
    {
        Server = server;
        Owner = owner;
        SourceId = sourceId;
        Bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        Bunit.Services.AddMudServices();
        Bunit.Services.AddSingleton(new Scoped(server.Services.GetRequiredService<IServiceScopeFactory>()));
        Bunit.Services.AddSingleton(server.Services.GetRequiredService<DestinationCatalog>());
        Bunit.Services.AddSingleton(server.Services.GetRequiredService<Junction.Workspace.Sources.ISourceLookup>());
    }

    public static DestinationDefinition EveryType { get; } = new(
        EveryTypeId,
        "every-type",
        "Every Type",
        "A destination with one setting of each type, for the settings form's tests.",
        [DestinationCategories.Analytics],
        "https://example.com/every-type",
        new SourceBadge("ET", "#334455"),
        [
            new SettingDefinition("account", "Account", "The account's name.", FieldType.String),
            new SettingDefinition("notes", "Notes", "Anything to remember.", FieldType.Text),
            new SettingDefinition("token", "Token", "The API token.", FieldType.Password, Required: true),
            new SettingDefinition("ratio", "Sample ratio", "A share of events.", FieldType.Number),
            new SettingDefinition("limit", "Limit", "Events per request.", FieldType.Integer),
            new SettingDefinition("verbose", "Verbose", "Send debug fields.", FieldType.Boolean, Default: JsonValue.Create(false)),
            new SettingDefinition("region", "Region", "Where the account lives.", FieldType.Select, Default: JsonValue.Create("us"),
                Choices: [new Choice("us", "United States"), new Choice("eu", "Europe")]),
            new SettingDefinition("extra", "Extra fields", "Fields added to every event.", FieldType.Object),
        ],
        [new ActionDefinition("send", "send", "Send", "Sends the whole event.", null, [], Classic: true, ClassicTypes: ["track"])],
        [],
        "https://api.every-type.example.com");

    public JunctionTestServer Server { get; }

    public WorkspaceContext Owner { get; }

    public string SourceId { get; }

    public BunitContext Bunit { get; } = new();

    /// <summary>A member of the same workspace who may read every source and change none.</summary>
    public WorkspaceContext Reader => new(
        Owner.Workspace,
        new Principal(Owner.Workspace.Id, PrincipalType.User, "usr_reader", "Rita Reader", [new Grant(Roles.Find("source-read-only")!, GrantScope.Everything)]),
        "usr_reader");

    public static async Task<DestinationWorkspace> StartAsync()
    {
        var server = await JunctionTestServer.StartAsync(configure: builder =>
            builder.Services.AddSingleton(new DestinationCatalog([.. BuiltInDestinations.All, new Stub(EveryType)])));
        var (sourceId, _) = await server.CreateSourceAsync("web");
        await using var scope = server.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<JunctionDbContext>();
        var owner = await FirstOwnerSetup.CreateOwnerAsync(
            db, services.GetRequiredService<AuditTrail>(), services.GetRequiredService<TimeProvider>(),
            "olivia@example.test", "Olivia Owner", "a long owner passphrase", CancellationToken.None);
        var workspace = await db.Workspaces.AsNoTracking().OrderBy(w => w.CreatedAt).FirstAsync();
        var principal = await services.GetRequiredService<AccessService>().ForUserAsync(workspace.Id, owner.Value!.Id, CancellationToken.None);
        return new DestinationWorkspace(server, new WorkspaceContext(workspace, principal!, owner.Value.Id), sourceId);
    }

    /// <summary>Adds an Every Type destination as the owner, disabled, with the given settings.</summary>
    public async Task<string> CreateAsync(object? settings = null)
    {
        var input = new NewDestination(SourceId, EveryTypeId, Name: "Every Type", Settings: settings is null ? null : JsonSerializer.SerializeToElement(settings));
        var outcome = await RunAsync<DestinationService, Outcome<DestinationView>>(s => s.CreateAsync(Owner.Principal, input, CancellationToken.None));
        return outcome.Value?.Id ?? throw new InvalidOperationException(outcome.Problem!.Message);
    }

    /// <summary>The destination as stored: enabled, and its settings in clear (secrets decrypted).</summary>
    public async Task<(bool Enabled, JsonObject Settings)> StoredAsync(string destinationId)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var entity = await scope.ServiceProvider.GetRequiredService<JunctionDbContext>().Destinations.AsNoTracking().SingleAsync(d => d.Id == destinationId);
        return (entity.Enabled, scope.ServiceProvider.GetRequiredService<DestinationSettings>().Unprotect(entity.SettingsJson));
    }

    /// <summary>Renders the destination's Settings tab in its frame, as <paramref name="workspace"/> sees it, once it has loaded.</summary>
    public IRenderedComponent<DestinationFrame> RenderSettings(string destinationId, WorkspaceContext workspace)
    {
        Bunit.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
        });
        var frame = Bunit.Render<DestinationFrame>(p => p
            .AddCascadingValue(workspace)
            .Add(f => f.DestinationId, destinationId)
            .Add(f => f.Tab, "settings")
            .AddChildContent<DestinationSettingsTab>());
        frame.WaitForAssertion(() => Assert.NotNull(frame.Find("[data-setting=account]")), TimeSpan.FromSeconds(10));
        return frame;
    }

    public async Task<TResult> RunAsync<TService, TResult>(Func<TService, Task<TResult>> operation)
        where TService : notnull
    {
        await using var scope = Server.Services.CreateAsyncScope();
        return await operation(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async ValueTask DisposeAsync()
    {
        await Bunit.DisposeAsync();
        await Server.DisposeAsync();
    }

    private sealed class Stub(DestinationDefinition definition) : IDestination
    {
        public DestinationDefinition Definition => definition;

        public ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken) =>
            ValueTask.FromResult(SendResult.Ok());
    }
}
