using System.Net.Http.Json;
using System.Text.Json;
using Junction.Testing;

namespace Junction.Ingest.Tests.Processing;

public sealed class DedupeTests
{
    [Fact]
    public async Task ARepeatedMessageIdIsCountedAsADuplicateAndNotAsASecondEvent()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var (sourceId, writeKey) = await server.CreateSourceAsync();
        using var api = await server.CreateApiClientAsync();

        for (var i = 0; i < 3; i++)
        {
            await server.PostTrackingAsync("v1/track", """{"userId":"u1","event":"Retried","messageId":"m-same"}""", writeKey);
        }

        await server.PostTrackingAsync("v1/track", """{"userId":"u1","event":"Retried","messageId":"m-other"}""", writeKey);

        var start = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));
        var end = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"));
        await Eventually.TrueAsync(async () =>
        {
            var accepted = await TotalAsync(api, $"events/volume?granularity=HOUR&startTime={start}&endTime={end}&sourceId={sourceId}");
            var duplicates = await TotalAsync(api, $"events/volume?granularity=HOUR&startTime={start}&endTime={end}&sourceId={sourceId}&status=DUPLICATE");
            return accepted == 2 && duplicates == 2;
        }, TimeSpan.FromSeconds(20), "two accepted events and two duplicates");
    }

    private static async Task<long> TotalAsync(HttpClient api, string path)
    {
        var body = await api.GetFromJsonAsync<JsonElement>(path);
        return body.GetProperty("data").GetProperty("result").EnumerateArray().Sum(r => r.GetProperty("total").GetInt64());
    }
}
