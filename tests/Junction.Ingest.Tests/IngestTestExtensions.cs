using System.Net.Http.Json;
using System.Text.Json;
using Junction.Testing;

namespace Junction.Ingest.Tests;

internal static class IngestTestExtensions
{
    /// <summary>The debugger's entries for a source, newest first.</summary>
    public static async Task<List<JsonElement>> DebuggerEventsAsync(this HttpClient api, string sourceId, int count = 500)
    {
        var body = await api.GetFromJsonAsync<JsonElement>($"sources/{sourceId}/debugger/events?count={count}");
        return body.GetProperty("data").GetProperty("events").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    /// <summary>Waits until the debugger shows an entry matching <paramref name="match"/>.</summary>
    public static Task<JsonElement?> WaitForDebuggerEventAsync(this HttpClient api, string sourceId, Func<JsonElement, bool> match) =>
        WaitAsync(api, sourceId, match);

    private static async Task<JsonElement?> WaitAsync(HttpClient api, string sourceId, Func<JsonElement, bool> match)
    {
        var found = await Eventually.GetAsync<object>(async () =>
        {
            var events = await api.DebuggerEventsAsync(sourceId);
            var hit = events.FirstOrDefault(match);
            return hit.ValueKind == JsonValueKind.Undefined ? null : hit;
        }, TimeSpan.FromSeconds(20), "the event in the debugger");
        return (JsonElement)found;
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
