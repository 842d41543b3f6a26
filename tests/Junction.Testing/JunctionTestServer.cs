using System.Net.Http.Headers;
using System.Text;
using Junction.Server.Hosting;
using Junction.Workspace;
using Junction.Workspace.Data;
using Junction.Workspace.PublicApi;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Junction.Testing;

/// <summary>
/// A whole Junction running in the test process on a free loopback port, with its own data directory: the same
/// composition root as <c>Junction.Server serve</c>, so tests exercise the real thing over real HTTP.
/// </summary>
public sealed class JunctionTestServer : IAsyncDisposable
{
    private readonly TempDirectory? _ownedData;

    private JunctionTestServer(WebApplication app, string dataDirectory, TempDirectory? ownedData)
    {
        App = app;
        DataDirectory = dataDirectory;
        _ownedData = ownedData;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public string DataDirectory { get; }

    public Uri BaseAddress { get; }

    /// <summary>A client for this server with no credentials.</summary>
    public HttpClient Http { get; }

    /// <summary>Starts a server. <paramref name="settings"/> are configuration overrides such as <c>("Tracking:MaxBatchEvents", "10")</c>.</summary>
    public static async Task<JunctionTestServer> StartAsync(
        string? dataDirectory = null,
        IEnumerable<(string Key, string Value)>? settings = null,
        Action<WebApplicationBuilder>? configure = null,
        string url = "http://127.0.0.1:0")
    {
        var owned = dataDirectory is null ? new TempDirectory() : null;
        var data = dataDirectory ?? owned!.Path;
        var arguments = new List<string> { "--urls", url };
        foreach (var (key, value) in settings ?? [])
        {
            arguments.Add($"--{key}={value}");
        }

        var app = JunctionHost.Build(data, [.. arguments], builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        return new JunctionTestServer(app, data, owned);
    }

    /// <summary>Creates a Public API token for the default workspace and answers a client that sends it.</summary>
    public async Task<HttpClient> CreateApiClientAsync(string description = "tests")
    {
        var secret = await CreateTokenAsync(description);
        var client = new HttpClient { BaseAddress = new Uri(BaseAddress, "api/"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    /// <summary>Creates a Public API token for the default workspace and answers its secret.</summary>
    public async Task<string> CreateTokenAsync(string description = "tests")
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var workspace = await db.Workspaces.OrderBy(w => w.CreatedAt).FirstAsync();
        var (_, secret) = await ApiTokens.CreateAsync(db, workspace.Id, description, TimeProvider.System, CancellationToken.None);
        return secret;
    }

    /// <summary>
    /// Adds a source with one write key straight into the control plane (tests of the data plane do not depend on
    /// the Public API this way) and answers its id and write key.
    /// </summary>
    public async Task<(string SourceId, string WriteKey)> CreateSourceAsync(string slug = "test-source", bool enabled = true)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var workspace = await db.Workspaces.OrderBy(w => w.CreatedAt).FirstAsync();
        var source = new SourceEntity
        {
            Id = Ids.New("src"),
            WorkspaceId = workspace.Id,
            Slug = slug,
            Name = slug,
            CatalogId = "IqDTy1TpoU",
            Enabled = enabled,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        var writeKey = Ids.Random(32);
        source.WriteKeys.Add(new WriteKeyEntity { Key = writeKey, SourceId = source.Id, CreatedAt = DateTimeOffset.UtcNow });
        db.Sources.Add(source);
        await db.SaveChangesAsync();
        await Services.GetRequiredService<SourceDirectory>().RefreshAsync(CancellationToken.None);
        return (source.Id, writeKey);
    }

    /// <summary>Posts a body to the Tracking API with the write key as Basic auth, as Segment's libraries do.</summary>
    public Task<HttpResponseMessage> PostTrackingAsync(string path, string json, string? writeKey, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json, Encoding.UTF8, contentType),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (writeKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        }

        return Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _ownedData?.Dispose();
    }
}
