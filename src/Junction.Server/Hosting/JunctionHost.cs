using Junction.Destinations.ControlPlane;
using Junction.Destinations.Delivery;
using Junction.Destinations.Delivery.Journal;
using Junction.Destinations.Fanout;
using Junction.Ingest;
using Junction.Ingest.AnalyticsJs;
using Junction.Ingest.Tracking;
using Junction.Protocols.ControlPlane;
using Junction.Protocols.Processing;
using Junction.Server.Health;
using Junction.Warehouses;
using Junction.Warehouses.ControlPlane;
using Junction.Web;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Accounts;
using Junction.Workspace.Audit;
using Junction.Workspace.Catalog;
using Junction.Workspace.Email;
using Junction.Workspace.Invites;
using Junction.Workspace.PublicApi;
using Junction.Workspace.Secrets;
using Junction.Workspace.Sources;
using Junction.Workspace.Workspaces;

namespace Junction.Server.Hosting;

/// <summary>The composition root: every capability registered and mapped, in the order a request meets them.</summary>
internal static class JunctionHost
{
    public const string DefaultUrl = "http://localhost:8088";

    /// <summary>Builds the web application that runs the whole platform on <paramref name="dataDirectory"/>.</summary>
    /// <param name="dataDirectory">All embedded state lives here.</param>
    /// <param name="hostArguments">Arguments for the host: <c>--urls</c> and <c>--Section:Key=value</c> configuration overrides.</param>
    /// <param name="configure">Lets tests replace services (a fake clock) before the app is built.</param>
    public static WebApplication Build(string dataDirectory, string[] hostArguments, Action<WebApplicationBuilder>? configure = null)
    {
        // SQLite, consumer-position commits and dedupe snapshots block a thread-pool thread while they write and fsync;
        // on a two-core machine the default minimum (one thread per core) would then starve request handling.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), completionPorts);

        dataDirectory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = hostArguments,
            ContentRootPath = AppContext.BaseDirectory,

            // Named after this assembly even when a test process hosts it: the static web assets manifests carry its name.
            ApplicationName = typeof(JunctionHost).Assembly.GetName().Name,
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddWorkspace(dataDirectory);
        builder.Services.AddSecrets(builder.Configuration, dataDirectory);
        builder.Services.AddAccessManagement();
        builder.Services.AddAudit(builder.Configuration);
        builder.Services.AddAccounts(builder.Configuration);
        builder.Services.AddEmail(builder.Configuration, dataDirectory);
        builder.Services.AddInvites(builder.Configuration);

        // The delivery journal first: hosted services stop in reverse order, so it writes the last steps the
        // processor's fan-out and the router report while they stop.
        builder.Services.AddDeliveryJournal(builder.Configuration, dataDirectory);
        builder.Services.AddIngest(builder.Configuration, dataDirectory);
        builder.Services.AddAnalyticsJs(builder.Configuration);
        builder.Services.AddDestinationsControlPlane();
        builder.Services.AddDestinationFanout();
        builder.Services.AddDelivery(builder.Configuration, dataDirectory);
        builder.Services.AddWarehouses(builder.Configuration, dataDirectory);
        builder.Services.AddProtocolsControlPlane();
        builder.Services.AddProtocolsProcessing(builder.Configuration, dataDirectory);
        builder.Services.AddHealth(dataDirectory);
        builder.AddJunctionWeb();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseAccounts();
        app.MapHealth();
        app.MapTracking();
        app.MapAnalyticsJs();
        app.MapCatalogLogos();
        app.MapDestinationLogosRoute();
        app.MapWarehouseLogosRoute();
        app.MapPublicApi()
            .MapWorkspaceApi()
            .MapCatalogApi()
            .MapSourcesApi()
            .MapAccessManagementApi()
            .MapAuditApi()
            .MapInvitesApi()
            .MapIngestApi()
            .MapDestinationsApi()
            .MapDeliveryJournal()
            .MapWarehousesApi()
            .MapProtocolsApi()
            .MapProtocolsDataApi();
        app.MapJunctionWeb();
        return app;
    }
}
