using Junction.Ingest.AnalyticsJs;

namespace Junction.Ingest.Tests.AnalyticsJs;

public sealed class AnalyticsJsSnippetTests
{
    private const string WriteKey = "wk_0123456789abcdef";

    [Fact]
    public void TheSnippetIsOneScriptElement()
    {
        var snippet = AnalyticsJsSnippet.Render(WriteKey, "https://data.example.com");

        Assert.StartsWith("<script>", snippet, StringComparison.Ordinal);
        Assert.EndsWith("</script>\n", snippet, StringComparison.Ordinal);
        Assert.Equal(1, Count(snippet, "<script"));
        Assert.Equal(1, Count(snippet, "</script>"));
    }

    [Fact]
    public void EveryQueuedMethodIsStubbed()
    {
        var snippet = AnalyticsJsSnippet.Render(WriteKey, "https://data.example.com");

        string[] expected =
        [
            "trackSubmit", "trackClick", "trackLink", "trackForm", "pageview", "identify", "reset", "group", "track", "ready", "alias",
            "debug", "page", "screen", "once", "off", "on", "addSourceMiddleware", "addIntegrationMiddleware", "setAnonymousId",
            "addDestinationMiddleware", "register",
        ];
        Assert.Equal(expected, AnalyticsJsSnippet.Methods);
        Assert.Contains("analytics.methods = [" + string.Join(", ", expected.Select(m => $"\"{m}\"")) + "];", snippet, StringComparison.Ordinal);
        Assert.Contains("analytics[analytics.methods[i]] = analytics.factory(analytics.methods[i]);", snippet, StringComparison.Ordinal);
    }

    [Fact]
    public void CallsThatNeedThePageCarryABufferedPageContext()
    {
        var snippet = AnalyticsJsSnippet.Render(WriteKey, "https://data.example.com");

        Assert.Contains("""var withPage = ["track", "screen", "alias", "group", "page", "identify"];""", snippet, StringComparison.Ordinal);
        Assert.Contains("__t: \"bpc\"", snippet, StringComparison.Ordinal);
        foreach (var field in new[] { "c:", "p: location.pathname", "u: location.href", "s: location.search", "t: document.title", "r: document.referrer" })
        {
            Assert.Contains(field, snippet, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheWriteKeyAndTheJunctionBaseAreSetBeforeLoading()
    {
        var snippet = AnalyticsJsSnippet.Render(WriteKey, "http://localhost:8088");

        var writeKey = snippet.IndexOf($"analytics._writeKey = \"{WriteKey}\";", StringComparison.Ordinal);
        var cdn = snippet.IndexOf("analytics._cdn = \"http://localhost:8088\";", StringComparison.Ordinal);
        var load = snippet.IndexOf($"analytics.load(\"{WriteKey}\");", StringComparison.Ordinal);
        var page = snippet.IndexOf("analytics.page();", StringComparison.Ordinal);
        Assert.True(writeKey > 0, "sets _writeKey");
        Assert.True(cdn > 0, "sets _cdn");
        Assert.True(writeKey < load && cdn < load, "_writeKey and _cdn are set before load");
        Assert.True(load < page, "load comes before the first page call");
    }

    [Fact]
    public void TheLibraryIsLoadedFromJunctionWithTheSchemeOfTheBase()
    {
        var http = AnalyticsJsSnippet.Render(WriteKey, "http://127.0.0.1:5000/");
        var https = AnalyticsJsSnippet.Render(WriteKey, "https://data.example.com/junction/");

        Assert.Contains("analytics._cdn = \"http://127.0.0.1:5000\";", http, StringComparison.Ordinal);
        Assert.Contains("analytics._cdn = \"https://data.example.com/junction\";", https, StringComparison.Ordinal);
        Assert.Contains(
            "tag.src = analytics._cdn + \"/analytics.js/v1/\" + encodeURIComponent(key) + \"/analytics.min.js\";", http, StringComparison.Ordinal);
        Assert.DoesNotContain("cdn.segment.com", http, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", http, StringComparison.Ordinal);
    }

    [Fact]
    public void ValuesCannotBreakOutOfTheScript()
    {
        var snippet = AnalyticsJsSnippet.Render("k\"</script><script>alert(1)</script>", "https://data.example.com");

        Assert.Equal(1, Count(snippet, "</script>"));
        Assert.DoesNotContain("alert(1)</", snippet, StringComparison.Ordinal);
        Assert.Contains("analytics._writeKey = \"k\\u0022\\u003C/script\\u003E", snippet, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameInputGivesTheSameSnippet()
    {
        Assert.Equal(AnalyticsJsSnippet.Render(WriteKey, "https://a.example"), AnalyticsJsSnippet.Render(WriteKey, "https://a.example"));
    }

    [Theory]
    [InlineData("data.example.com")]
    [InlineData("/relative")]
    [InlineData("ftp://data.example.com")]
    [InlineData("https://data.example.com/?x=1")]
    [InlineData("")]
    public void ABaseThatIsNotAnAbsoluteHttpUrlIsRefused(string baseUrl)
    {
        Assert.Throws<ArgumentException>(() => AnalyticsJsSnippet.Render(WriteKey, baseUrl));
    }

    [Fact]
    public void AnEmptyWriteKeyIsRefused()
    {
        Assert.Throws<ArgumentException>(() => AnalyticsJsSnippet.Render(" ", "https://data.example.com"));
    }

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
