using System.Net;
using System.Xml.Linq;
using Junction.Testing;
using Junction.Workspace.Catalog;
using Junction.Workspace.Tests.PublicApi;

namespace Junction.Workspace.Tests.Catalog;

public sealed class CatalogApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task WhenTheCatalogIsListedEveryEntryHasTheSourceMetadataShape()
    {
        var data = await (await fixture.Api.GetAsync("catalog/sources?pagination[count]=100")).ReadDataAsync();

        var entries = data.GetProperty("sourcesCatalog").EnumerateArray().ToList();
        Assert.True(entries.Count >= 12);
        Assert.Equal(entries.Count, data.GetProperty("pagination").GetProperty("totalEntries").GetInt32());
        foreach (var entry in entries)
        {
            Assert.Matches("^[0-9A-Za-z]{10}$", entry.GetProperty("id").GetString());
            Assert.Matches("^[a-z0-9-]+$", entry.GetProperty("slug").GetString());
            Assert.False(string.IsNullOrWhiteSpace(entry.GetProperty("name").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(entry.GetProperty("description").GetString()));
            Assert.Contains(Assert.Single(entry.GetProperty("categories").Strings()), new[] { "Website", "Server", "Mobile" });
            Assert.False(entry.GetProperty("isCloudEventSource").GetBoolean());
            Assert.Equal(0, entry.GetProperty("options").GetArrayLength());
            var logo = new Uri(entry.GetProperty("logos").GetProperty("default").GetString()!);
            Assert.Equal(fixture.Server.BaseAddress.Authority, logo.Authority);
        }

        var slugs = entries.Select(e => e.GetProperty("slug").GetString()).ToList();
        Assert.Equal(slugs.Count, slugs.Distinct().Count());
        Assert.Subset(
            new HashSet<string?> { "javascript", "http-api", "node-js", "python", "net", "java", "go", "ruby", "php", "kotlin-android", "apple", "react-native" },
            slugs.ToHashSet());
    }

    [Fact]
    public async Task WhenTheCatalogIsPagedTheCursorWalksEveryEntryOnce()
    {
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var data = await (await fixture.Api.GetAsync("catalog/sources?pagination.count=5" + (cursor is null ? "" : "&pagination.cursor=" + Uri.EscapeDataString(cursor)))).ReadDataAsync();
            seen.AddRange(data.GetProperty("sourcesCatalog").EnumerateArray().Select(e => e.GetProperty("id").GetString()!));
            cursor = data.GetProperty("pagination").TryGetProperty("next", out var next) ? next.GetString() : null;
        }
        while (cursor is not null);

        Assert.Equal(SourceCatalog.All.Select(e => e.Id), seen);
    }

    [Fact]
    public async Task WhenAnEntryIsReadByIdItComesUnderSourceMetadata()
    {
        var data = await (await fixture.Api.GetAsync("catalog/sources/IqDTy1TpoU")).ReadDataAsync();

        var metadata = data.GetProperty("sourceMetadata");
        Assert.Equal("javascript", metadata.GetProperty("slug").GetString());
        Assert.Equal(["Website"], metadata.GetProperty("categories").Strings());
    }

    [Fact]
    public async Task WhenAnEntryIsUnknownTheAnswerIs404InTheErrorEnvelope()
    {
        var error = await (await fixture.Api.GetAsync("catalog/sources/nope")).ReadErrorAsync(404);

        Assert.Equal("not-found", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task WhenALogoIsFetchedWithoutATokenItIsACacheableSvgBadge()
    {
        var logoUrl = (await (await fixture.Api.GetAsync("catalog/sources/U9mT0bPcI6")).ReadDataAsync())
            .GetProperty("sourceMetadata").GetProperty("logos").GetProperty("default").GetString()!;

        using var anonymous = new HttpClient();
        var response = await anonymous.GetAsync(logoUrl);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("public", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.MaxAge > TimeSpan.Zero);
        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync());
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", svg.Root!.Name);
        Assert.Equal("N", svg.Root.Element(ns + "text")!.Value);

        var again = new HttpRequestMessage(HttpMethod.Get, logoUrl);
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await anonymous.SendAsync(again)).StatusCode);
    }

    [Fact]
    public void EveryCatalogEntryRendersAsWellFormedSvg()
    {
        foreach (var entry in SourceCatalog.All.Append(SourceCatalog.Unlisted))
        {
            var svg = XDocument.Parse(CatalogLogos.Render(entry));
            Assert.Equal(entry.Name, svg.Root!.Attribute("aria-label")!.Value);
        }
    }

    [Fact]
    public async Task WhenALogoIsUnknownTheAnswerIs404()
    {
        var response = await fixture.Server.Http.GetAsync("catalog/logos/nope.svg");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
