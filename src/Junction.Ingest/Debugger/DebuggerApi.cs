using System.Text;
using System.Text.Json;
using Junction.Workspace.Access;
using Junction.Workspace.PublicApi;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Ingest.Debugger;

/// <summary>
/// The source debugger over HTTP: <c>GET /api/sources/{id}/debugger/events?count=N</c> (newest first) and a live
/// server-sent-events stream, <c>GET /api/sources/{id}/debugger/stream</c>, one <c>event: event</c> per arrival.
/// Both need Source Read-only (or more) on the source, checked before the handler runs; a source of another workspace
/// is not found.
/// </summary>
internal static class DebuggerApi
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static RouteGroupBuilder MapDebuggerApi(this RouteGroupBuilder api)
    {
        api.MapGet("/sources/{sourceId}/debugger/events", ListEvents).RequireSource(AccessLevel.Read);
        api.MapGet("/sources/{sourceId}/debugger/stream", StreamAsync).RequireSource(AccessLevel.Read);
        return api;
    }

    private static IResult ListEvents(string sourceId, int? count, DebuggerFeed feed)
    {
        if (count is < 1 or > DebuggerFeed.Capacity)
        {
            return ApiResults.Invalid($"count must be from 1 to {DebuggerFeed.Capacity}.", "count");
        }

        var entries = feed.Recent(sourceId, count ?? 100);
        return Results.Stream(async stream =>
        {
            await using var writer = new Utf8JsonWriter(stream);
            writer.WriteStartObject();
            writer.WriteStartObject("data");
            writer.WriteStartArray("events");
            foreach (var entry in entries)
            {
                DebuggerJson.Write(writer, entry);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }, "application/json");
    }

    private static async Task StreamAsync(HttpContext http, string sourceId, DebuggerFeed feed, TimeProvider time)
    {
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.WriteAsync(": connected\n\n", http.RequestAborted);
        await response.Body.FlushAsync(http.RequestAborted);

        var aborted = http.RequestAborted;
        await using var entries = feed.SubscribeAsync(sourceId, aborted).GetAsyncEnumerator(aborted);
        var next = entries.MoveNextAsync().AsTask();
        try
        {
            while (true)
            {
                var finished = await Task.WhenAny(next, Task.Delay(Heartbeat, time, aborted));
                if (finished != next)
                {
                    await response.WriteAsync(": keep-alive\n\n", aborted);
                    await response.Body.FlushAsync(aborted);
                    continue;
                }

                if (!await next)
                {
                    return;
                }

                var json = DebuggerJson.Serialize(entries.Current);
                await response.Body.WriteAsync("event: event\ndata: "u8.ToArray(), aborted);
                await response.Body.WriteAsync(json, aborted);
                await response.Body.WriteAsync(Encoding.UTF8.GetBytes("\n\n"), aborted);
                await response.Body.FlushAsync(aborted);
                next = entries.MoveNextAsync().AsTask();
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
        }
    }
}
