using Junction.Ingest.AnalyticsJs;
using Junction.Ingest.Volume;
using Junction.Testing;
using Junction.Web.Sources.Setup;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Web.Tests.Sources.Setup;

/// <summary>The Setup page's examples run as printed, with Segment's real libraries from the Node.js fixtures.</summary>
public sealed class InstallExampleRunTests
{
    [Fact]
    public async Task TheNodeExampleAsPrintedSendsItsEventToThisServer()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var (sourceId, writeKey) = await server.CreateSourceAsync("node-backend");
        var example = InstallExamples.For("node-js", writeKey, PublicBase.TryParse(server.BaseAddress.ToString())!)[0];
        Assert.Equal("node", example.Id);

        // The script sits beside the fixtures' node_modules, where `import '@segment/analytics-node'` resolves.
        var script = Path.Combine(Repository.NodeFixtures, $"setup-example-{Guid.NewGuid():N}.mjs");
        await File.WriteAllTextAsync(script, example.Code);
        try
        {
            var (exitCode, output, error) = await Node.RunAsync(script);
            Assert.True(exitCode == 0, $"node exited with {exitCode}:\n{output}\n{error}");
        }
        finally
        {
            File.Delete(script);
        }

        var store = server.Services.GetRequiredService<VolumeStore>();
        var flusher = server.Services.GetRequiredService<VolumeFlusher>();
        await Eventually.TrueAsync(async () =>
        {
            await flusher.FlushAsync(CancellationToken.None);
            var now = DateTimeOffset.UtcNow;
            var rows = await store.QueryAsync([sourceId], now.AddHours(-1), now.AddHours(1), byMinute: true, CancellationToken.None);
            return rows.Any(r => r.EventName == "Order Completed" && r.Accepted == 1);
        }, TimeSpan.FromSeconds(30), "the example's Order Completed event to be counted");
    }
}
