using Junction.Ingest.AnalyticsJs;
using Junction.Web.Sources.Setup;
using Junction.Workspace.Catalog;

namespace Junction.Web.Tests.Sources.Setup;

/// <summary>
/// Each example sets its library's own host option to this server, in the form that library reads it (see the
/// summary of <see cref="InstallExamples"/> for where each was checked).
/// </summary>
public sealed class InstallExamplesTests
{
    private const string Key = "wk_0123456789abcdef0123456789abcd";
    private static readonly PublicBase Https = PublicBase.TryParse("https://data.example.com")!;
    private static readonly PublicBase LocalHttp = PublicBase.TryParse("http://127.0.0.1:8088")!;
    private static readonly PublicBase UnderAPath = PublicBase.TryParse("https://example.com/junction")!;

    [Fact]
    public void TheExampleOfTheSourcesOwnLibraryComesFirstAndEveryLibraryHasOne()
    {
        foreach (var entry in SourceCatalog.All.Where(e => e.Slug != "javascript"))
        {
            var examples = InstallExamples.For(entry.Slug, Key, Https);

            Assert.Equal(InstallExamples.IdFor(entry.Slug), examples[0].Id);
            Assert.Equal(11, examples.Count);
            Assert.Equal(examples.Count, examples.Select(e => e.Id).Distinct().Count());
        }
    }

    [Fact]
    public void AWebsiteHasNoLibraryExampleOfItsOwnSoTheOrderIsTheUsualOne() =>
        Assert.Equal("node", InstallExamples.For("javascript", Key, Https)[0].Id);

    [Fact]
    public void EveryExampleCarriesTheWriteKey()
    {
        foreach (var example in InstallExamples.For("javascript", Key, Https))
        {
            Assert.Contains(Key, example.Code, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("node", "host: 'http://127.0.0.1:8088',")]
    [InlineData("python", "analytics.host = 'http://127.0.0.1:8088'")]
    [InlineData("dotnet", "apiHost: \"127.0.0.1:8088/v1\"")]
    [InlineData("dotnet", "cdnHost: \"127.0.0.1:8088/v1\"")]
    [InlineData("java", ".endpoint(\"http://127.0.0.1:8088\")")]
    [InlineData("go", "Endpoint: \"http://127.0.0.1:8088\",")]
    [InlineData("ruby", "host: '127.0.0.1',")]
    [InlineData("ruby", "port: 8088,")]
    [InlineData("php", "'host' => '127.0.0.1:8088',")]
    [InlineData("php", "'ssl' => false,")]
    [InlineData("kotlin", "apiHost = \"127.0.0.1:8088/v1\"")]
    [InlineData("kotlin", "cdnHost = \"127.0.0.1:8088/v1\"")]
    [InlineData("swift", ".apiHost(\"127.0.0.1:8088/v1\")")]
    [InlineData("swift", ".cdnHost(\"127.0.0.1:8088/v1\")")]
    [InlineData("react-native", "proxy: 'http://127.0.0.1:8088/v1',")]
    [InlineData("react-native", "cdnProxy: 'http://127.0.0.1:8088/v1',")]
    [InlineData("react-native", "useSegmentEndpoints: true,")]
    [InlineData("curl", "http://127.0.0.1:8088/v1/track")]
    [InlineData("curl", $"-u '{Key}:'")]
    public void EachLibrarysHostOptionPointsAtThisServerInTheFormItReads(string id, string line) =>
        Assert.Contains(line, Example(id, LocalHttp).Code, StringComparison.Ordinal);

    [Theory]
    [InlineData("node", "path: '/junction/v1/batch',")]
    [InlineData("python", "analytics.host = 'https://example.com/junction'")]
    [InlineData("dotnet", "apiHost: \"example.com/junction/v1\"")]
    [InlineData("java", ".endpoint(\"https://example.com/junction\")")]
    [InlineData("ruby", "path: '/junction/v1/import',")]
    [InlineData("ruby", "port: 443,")]
    [InlineData("php", "'host' => 'example.com/junction',")]
    [InlineData("php", "'ssl' => true,")]
    [InlineData("react-native", "proxy: 'https://example.com/junction/v1',")]
    [InlineData("curl", "https://example.com/junction/v1/track")]
    public void AServerUnderAPathKeepsThePathInFrontOfTheTrackingApi(string id, string line) =>
        Assert.Contains(line, Example(id, UnderAPath).Code, StringComparison.Ordinal);

    [Fact]
    public void WithoutAPathBaseNodeAndRubyUseTheirDefaultPaths()
    {
        Assert.DoesNotContain("path:", Example("node", Https).Code, StringComparison.Ordinal);
        Assert.DoesNotContain("path:", Example("ruby", Https).Code, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dotnet")]
    [InlineData("ruby")]
    [InlineData("kotlin")]
    [InlineData("swift")]
    public void TheLibrariesThatOnlySpeakHttpsSaySoWhenThisServerIsPlainHttp(string id)
    {
        Assert.Contains("https", Example(id, LocalHttp).Note, StringComparison.Ordinal);
        Assert.Null(Example(id, Https).Note);
    }

    private static InstallExample Example(string id, PublicBase server) =>
        InstallExamples.For("javascript", Key, server).Single(e => e.Id == id);
}
