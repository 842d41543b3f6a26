using Junction.Workspace.Tests.PublicApi;

namespace Junction.Workspace.Tests.Sources;

public sealed class SourcesPaginationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("pagination.count", "pagination.cursor")]
    [InlineData("pagination[count]", "pagination[cursor]")]
    [InlineData("pagination%5Bcount%5D", "pagination%5Bcursor%5D")]
    public async Task WhenTheCursorIsFollowedEveryPageIsReturnedOnce(string countKey, string cursorKey)
    {
        using var api = await fixture.Server.CreateWorkspaceClientAsync("paging-" + Guid.NewGuid().ToString("N")[..8]);
        var slugs = Enumerable.Range(1, 7).Select(i => $"source-{i}").ToList();
        foreach (var slug in slugs)
        {
            await api.CreateSourceAsync(slug);
        }

        var seen = new List<string>();
        var pageSizes = new List<int>();
        string? cursor = null;
        do
        {
            var query = $"sources?{countKey}=3" + (cursor is null ? "" : $"&{cursorKey}={Uri.EscapeDataString(cursor)}");
            var data = await (await api.GetAsync(query)).ReadDataAsync();
            var page = data.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("slug").GetString()!).ToList();
            seen.AddRange(page);
            pageSizes.Add(page.Count);
            var pagination = data.GetProperty("pagination");
            Assert.Equal(7, pagination.GetProperty("totalEntries").GetInt32());
            Assert.Equal(cursor ?? pagination.GetProperty("current").GetString(), pagination.GetProperty("current").GetString());
            cursor = pagination.TryGetProperty("next", out var next) ? next.GetString() : null;
        }
        while (cursor is not null);

        Assert.Equal([3, 3, 1], pageSizes);
        Assert.Equal(slugs, seen);
    }

    [Fact]
    public async Task WhenThePreviousCursorIsFollowedTheEarlierPageComesBack()
    {
        using var api = await fixture.Server.CreateWorkspaceClientAsync("previous-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var slug in new[] { "a", "b", "c", "d" })
        {
            await api.CreateSourceAsync(slug);
        }

        var first = await (await api.GetAsync("sources?pagination[count]=2")).ReadDataAsync();
        Assert.False(first.GetProperty("pagination").TryGetProperty("previous", out _));
        var next = first.GetProperty("pagination").GetProperty("next").GetString()!;
        var second = await (await api.GetAsync($"sources?pagination[count]=2&pagination[cursor]={Uri.EscapeDataString(next)}")).ReadDataAsync();
        var previous = second.GetProperty("pagination").GetProperty("previous").GetString()!;
        var again = await (await api.GetAsync($"sources?pagination[count]=2&pagination[cursor]={Uri.EscapeDataString(previous)}")).ReadDataAsync();

        Assert.Equal(["c", "d"], second.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("slug").GetString()));
        Assert.Equal(["a", "b"], again.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("slug").GetString()));
    }

    [Theory]
    [InlineData("sources?pagination[count]=0", "pagination.count")]
    [InlineData("sources?pagination.count=1001", "pagination.count")]
    [InlineData("sources?pagination.count=ten", "pagination.count")]
    [InlineData("sources?pagination.count=5&pagination.cursor=%25%25", "pagination.cursor")]
    [InlineData("catalog/sources?pagination[count]=-1", "pagination.count")]
    public async Task WhenThePaginationIsInvalidTheAnswerIs422NamingTheField(string path, string field)
    {
        var response = await fixture.Api.GetAsync(path);

        Assert.Equal(field, (await response.ReadErrorAsync(422)).GetProperty("field").GetString());
    }
}
