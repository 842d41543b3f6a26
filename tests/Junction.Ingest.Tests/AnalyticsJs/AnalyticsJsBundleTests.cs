using System.Net;
using System.Text.RegularExpressions;
using Junction.Testing;

namespace Junction.Ingest.Tests.AnalyticsJs;

public sealed partial class AnalyticsJsBundleTests
{
    private static readonly string BundleFolder = Path.Combine(AppContext.BaseDirectory, "analytics-next");

    [Fact]
    public void TheBuildCopiesThePinnedBundleBesideTheServerAndTheTests()
    {
        var serverFolder = Path.Combine(Path.GetDirectoryName(Repository.ServerAssembly)!, "analytics-next");

        foreach (var folder in new[] { BundleFolder, serverFolder })
        {
            Assert.True(File.Exists(Path.Combine(folder, "standalone.js")), $"{folder}/standalone.js exists");
            Assert.Contains(Directory.EnumerateFiles(folder, "queryString.bundle.*.js"), _ => true);
        }

        // The chunk file names in the standalone bundle's own chunk map are exactly the files copied beside it.
        var standalone = File.ReadAllText(Path.Combine(BundleFolder, "standalone.js"));
        var chunkHashes = Directory.EnumerateFiles(BundleFolder, "*.bundle.*.js")
            .Select(f => Path.GetFileName(f).Split('.')[^2])
            .ToList();
        Assert.NotEmpty(chunkHashes);
        Assert.All(chunkHashes, hash => Assert.Contains($"\"{hash}\"", standalone, StringComparison.Ordinal));
        Assert.Contains("\"1.84.3\"", standalone, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLibraryIsTheStandaloneBuildServedAsJavaScript()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var (_, writeKey) = await server.CreateSourceAsync();

        using var response = await server.Http.GetAsync($"analytics.js/v1/{writeKey}/analytics.min.js", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            await File.ReadAllBytesAsync(Path.Combine(BundleFolder, "standalone.js"), TestContext.Current.CancellationToken),
            await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.CacheControl?.MaxAge);
        Assert.NotNull(response.Headers.ETag);
    }

    [Fact]
    public async Task ARevalidatedLibraryIsAnswered304()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var (_, writeKey) = await server.CreateSourceAsync();
        var path = $"analytics.js/v1/{writeKey}/analytics.min.js";
        using var first = await server.Http.GetAsync(path, TestContext.Current.CancellationToken);
        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var response = await server.Http.SendAsync(again, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task TheLibraryForAnUnknownWriteKeyIsAnswered404()
    {
        await using var server = await JunctionTestServer.StartAsync();

        using var response = await server.Http.GetAsync("analytics.js/v1/not-a-key/analytics.min.js", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("unknown_write_key", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerWithoutTheBundleSaysSoInsteadOfServingNothing()
    {
        using var empty = new TempDirectory();
        await using var server = await JunctionTestServer.StartAsync(settings: [("AnalyticsJs:BundleDirectory", empty.Path)]);
        var (_, writeKey) = await server.CreateSourceAsync();

        using var library = await server.Http.GetAsync($"analytics.js/v1/{writeKey}/analytics.min.js", TestContext.Current.CancellationToken);
        using var chunk = await server.Http.GetAsync(
            $"analytics-next/bundles/{Path.GetFileName(Directory.EnumerateFiles(BundleFolder, "queryString.bundle.*.js").First())}",
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, library.StatusCode);
        Assert.Contains("analytics_js_not_installed", await library.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, chunk.StatusCode);
    }

    [Fact]
    public async Task EveryLazyChunkOfTheBuildIsServedCrossOriginAndCachedForLong()
    {
        await using var server = await JunctionTestServer.StartAsync();

        foreach (var file in Directory.EnumerateFiles(BundleFolder, "*.bundle.*.js"))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"analytics-next/bundles/{Path.GetFileName(file)}");
            request.Headers.Add("Origin", "http://shop.example");
            using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/javascript", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("http://shop.example", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
            Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
            Assert.Equal(
                await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken),
                await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        }
    }

    [Theory]
    [InlineData("analytics-next/bundles/queryString.bundle.0000000000000000000.js")]
    [InlineData("analytics-next/bundles/standalone.js")]
    [InlineData("analytics-next/bundles/..%2Fstandalone.js")]
    [InlineData("analytics-next/bundles/..%2F..%2FJunction.Server.dll")]
    [InlineData("analytics-next/bundles/%2Fetc%2Fpasswd")]
    [InlineData("analytics-next/bundles/queryString.bundle.34b193ada8fe288d1bd1.js.map")]
    public async Task OnlyChunkFilesOfTheBuildAreServed(string path)
    {
        await using var server = await JunctionTestServer.StartAsync();

        using var response = await server.Http.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("bundle_not_found", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePreflightOfTheSettingsIsAnswered()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var (_, writeKey) = await server.CreateSourceAsync();
        using var request = new HttpRequestMessage(HttpMethod.Options, $"v1/projects/{writeKey}/settings");
        request.Headers.Add("Origin", "http://shop.example");
        request.Headers.Add("Access-Control-Request-Method", "GET");

        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal("http://shop.example", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [GeneratedRegex("^[A-Za-z0-9-]+\\.bundle\\.[0-9a-f]+\\.js$")]
    private static partial Regex ChunkName();

    [Fact]
    public void ChunkFileNamesCarryAContentHash()
    {
        Assert.All(Directory.EnumerateFiles(BundleFolder, "*.bundle.*.js"), f => Assert.Matches(ChunkName(), Path.GetFileName(f)));
    }
}
