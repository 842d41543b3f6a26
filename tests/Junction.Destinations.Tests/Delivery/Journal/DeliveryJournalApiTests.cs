using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Junction.Destinations.Delivery.Journal;
using Junction.Destinations.Framework;
using Junction.Testing;
using Junction.Workspace.Data;
using Junction.Workspace.PublicApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Destinations.Tests.Delivery.Journal;

/// <summary>
/// The journal's routes on a whole in-process server. The host does not register the journal yet, so each test adds
/// it (with a fixed destination directory and a recording queue) and mounts its routes, in a Public API group of
/// their own, ahead of the host's pipeline through a startup filter.
/// </summary>
public sealed class DeliveryJournalApiTests : IAsyncLifetime
{
    private readonly TempDirectory _journalData = new();
    private readonly TestDestinationDirectory _destinations = new();
    private readonly RecordingQueues _queues = new();
    private JunctionTestServer _server = null!;
    private string _sourceId = "";
    private DeliveryJournal _journal = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await JunctionTestServer.StartAsync(configure: builder =>
        {
            builder.Services.AddSingleton<IDestinationDirectory>(_destinations);
            builder.Services.AddSingleton<IDeliveryQueues>(_queues);
            builder.Services.AddSingleton<IStartupFilter, JournalRoutes>();
            if (!builder.Services.Any(d => d.ServiceType == typeof(DeliveryJournal)))
            {
                builder.Services.AddDeliveryJournal(builder.Configuration, _journalData.Path);
            }
        });
        (_sourceId, _) = await _server.CreateSourceAsync("web");
        await using var scope = _server.Services.CreateAsyncScope();
        var workspaceId = (await scope.ServiceProvider.GetRequiredService<JunctionDbContext>().Workspaces.OrderBy(w => w.CreatedAt).FirstAsync()).Id;
        _destinations.Add("dst_ours", workspaceId, _sourceId);
        _destinations.Add("dst_foreign", "ws_someone_else", "src_foreign");
        _journal = _server.Services.GetRequiredService<DeliveryJournal>();
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _journalData.Dispose();
    }

    [Fact]
    public async Task TheRoutesNeedATokenAndRefuseMembersWithoutARoleOnTheSource()
    {
        var ct = TestContext.Current.CancellationToken;
        var anonymous = new HttpClient { BaseAddress = new Uri(_server.BaseAddress, "api/") };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("destinations/dst_ours/dead-letters", ct)).StatusCode);

        using var member = await _server.CreateApiClientWithRoleAsync("workspace-member");
        foreach (var path in (string[])["destinations/dst_ours/delivery-metrics", "destinations/dst_ours/event-delivery", "destinations/dst_ours/dead-letters", $"events/m1/trace?sourceId={_sourceId}"])
        {
            var response = await member.GetAsync(path, ct);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("Source Read-only", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        using var reader = await _server.CreateApiClientWithRoleAsync("source-read-only");
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("destinations/dst_ours/dead-letters", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("destinations/dst_foreign/dead-letters", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("destinations/dst_missing/delivery-metrics", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("events/m1/trace?sourceId=src_foreign", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await reader.GetAsync("events/m1/trace", ct)).StatusCode);
        var resend = await reader.PostAsJsonAsync("destinations/dst_ours/dead-letters/resend", new { ids = (string[])["1"] }, ct);
        Assert.Equal(HttpStatusCode.Forbidden, resend.StatusCode);
        Assert.Contains("Source Admin", await resend.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTraceListsEveryDestinationsStepsOfAnEvent()
    {
        var ct = TestContext.Current.CancellationToken;
        var now = DateTimeOffset.UtcNow;
        var record = Steps.Record("m-trace", now.AddSeconds(-2), destinationId: "dst_ours") with { SourceId = _sourceId };
        _journal.Report(Steps.Queued(record, now) with { SourceId = _sourceId });
        _journal.Report(Steps.Retrying("m-trace", now.AddSeconds(1), 1, 502, "Bad Gateway", "dst_ours") with { SourceId = _sourceId });
        _journal.Report(Steps.Delivered(record, now.AddSeconds(2), 2));
        await _journal.FlushAsync(ct);
        using var reader = await _server.CreateApiClientWithRoleAsync("source-read-only", [_sourceId]);

        var data = await DataAsync(reader, $"events/m-trace/trace?sourceId={_sourceId}");

        var destination = Assert.Single(data.GetProperty("destinations").EnumerateArray().ToList());
        Assert.Equal("dst_ours", destination.GetProperty("destinationId").GetString());
        Assert.Equal("Amplitude", destination.GetProperty("destinationName").GetString());
        Assert.Equal("DELIVERED", destination.GetProperty("finalState").GetString());
        var steps = destination.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["QUEUED", "RETRYING", "DELIVERED"], steps.Select(s => s.GetProperty("state").GetString()));
        Assert.Equal("Order Completed", steps[0].GetProperty("payload").GetProperty("event_type").GetString());
        Assert.Equal(502, steps[1].GetProperty("statusCode").GetInt32());
        Assert.Equal("Bad Gateway", steps[1].GetProperty("response").GetString());
    }

    [Fact]
    public async Task DeadLettersAreListedInPagesAndResentByIdsOrFilter()
    {
        var ct = TestContext.Current.CancellationToken;
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 3; i++)
        {
            var record = Steps.Record($"m-dead-{i}", now, destinationId: "dst_ours") with { SourceId = _sourceId };
            _journal.Report(i == 2 ? Steps.Expired(record, now) : Steps.Aborted(record, now, 400 + i));
        }

        await _journal.FlushAsync(ct);
        using var reader = await _server.CreateApiClientWithRoleAsync("source-read-only");
        using var admin = await _server.CreateApiClientWithRoleAsync("source-admin", [_sourceId]);

        var page = await DataAsync(reader, "destinations/dst_ours/dead-letters?pagination[count]=2");
        var letters = page.GetProperty("deadLetters").EnumerateArray().ToList();
        Assert.Equal(["m-dead-2", "m-dead-1"], letters.Select(l => l.GetProperty("messageId").GetString()));
        Assert.Equal("EXPIRED", letters[0].GetProperty("state").GetString());
        Assert.Equal("Order Completed", letters[0].GetProperty("payload").GetProperty("event_type").GetString());
        Assert.Equal(3, page.GetProperty("pagination").GetProperty("totalEntries").GetInt32());
        var next = page.GetProperty("pagination").GetProperty("next").GetString();
        var second = await DataAsync(reader, $"destinations/dst_ours/dead-letters?pagination[count]=2&pagination[cursor]={Uri.EscapeDataString(next!)}");
        Assert.Equal("m-dead-0", Assert.Single(second.GetProperty("deadLetters").EnumerateArray().ToList()).GetProperty("messageId").GetString());
        var filtered = await DataAsync(reader, "destinations/dst_ours/dead-letters?statusCode=401&search=dead");
        Assert.Equal("m-dead-1", Assert.Single(filtered.GetProperty("deadLetters").EnumerateArray().ToList()).GetProperty("messageId").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await reader.GetAsync("destinations/dst_ours/dead-letters?state=LOST", ct)).StatusCode);

        var byIds = await admin.PostAsJsonAsync("destinations/dst_ours/dead-letters/resend", new { ids = (string[])[letters[1].GetProperty("id").GetString()!] }, ct);
        Assert.Equal(HttpStatusCode.OK, byIds.StatusCode);
        Assert.Equal(1, (await byIds.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("data").GetProperty("resent").GetInt32());
        var byFilter = await admin.PostAsJsonAsync("destinations/dst_ours/dead-letters/resend", new { filter = new { state = "ABORTED" } }, ct);
        Assert.Equal(1, (await byFilter.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("data").GetProperty("resent").GetInt32());
        Assert.Equal(["m-dead-1", "m-dead-0"], _queues.Enqueued.Select(e => e.Record.MessageId));
        var pending = await DataAsync(reader, "destinations/dst_ours/dead-letters");
        Assert.Equal("m-dead-2", Assert.Single(pending.GetProperty("deadLetters").EnumerateArray().ToList()).GetProperty("messageId").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await admin.PostAsJsonAsync("destinations/dst_ours/dead-letters/resend", new { }, ct)).StatusCode);
    }

    [Fact]
    public async Task DeliveryMetricsAnswerInSegmentsShapeAndEventDeliveryAsASeries()
    {
        var ct = TestContext.Current.CancellationToken;
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 4; i++)
        {
            _journal.Report(Steps.Delivered(Steps.Record($"m-ok-{i}", now.AddSeconds(-1), destinationId: "dst_ours"), now));
        }

        _journal.Report(Steps.Filtered("m-f", now, "FILTERED_BY_RULES: drop tests", "dst_ours"));
        _journal.Report(Steps.Aborted(Steps.Record("m-bad", now, destinationId: "dst_ours"), now, 403));
        using var reader = await _server.CreateApiClientWithRoleAsync("source-read-only");
        var range = $"startTime={Uri.EscapeDataString(now.AddHours(-1).ToString("O"))}&endTime={Uri.EscapeDataString(now.AddMinutes(5).ToString("O"))}";

        var summary = (await DataAsync(reader, $"destinations/dst_ours/delivery-metrics?sourceId={_sourceId}&{range}&granularity=MINUTE"))
            .GetProperty("deliveryMetricsSummary");
        Assert.Equal(_sourceId, summary.GetProperty("sourceId").GetString());
        Assert.Equal("5f7dd6d21ad74f3842b1fc47", summary.GetProperty("destinationMetadataId").GetString());
        var metrics = summary.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("metricName").GetString()!);
        Assert.Equal(4, metrics["delivered"].GetProperty("total").GetInt64());
        Assert.Equal(1, metrics["aborted"].GetProperty("total").GetInt64());
        Assert.Equal("403", metrics["aborted"].GetProperty("breakdown")[0].GetProperty("metricName").GetString());
        Assert.Equal("FILTERED_BY_RULES", metrics["filtered"].GetProperty("breakdown")[0].GetProperty("metricName").GetString());
        Assert.InRange(metrics["latencyP95Ms"].GetProperty("total").GetDouble(), 900, 1100);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await reader.GetAsync("destinations/dst_ours/delivery-metrics?sourceId=src_other", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await reader.GetAsync("destinations/dst_ours/delivery-metrics?granularity=WEEK", ct)).StatusCode);

        var delivery = await DataAsync(reader, $"destinations/dst_ours/event-delivery?{range}&granularity=HOUR");
        Assert.Equal("HOUR", delivery.GetProperty("granularity").GetString());
        Assert.Equal(4, delivery.GetProperty("totals").GetProperty("delivered").GetInt64());
        Assert.Equal(1, delivery.GetProperty("totals").GetProperty("notDelivered").GetInt64());
        Assert.Equal("FILTERED_BY_RULES", delivery.GetProperty("discardReasons")[0].GetProperty("reason").GetString());
        var series = delivery.GetProperty("series").EnumerateArray().ToList();
        Assert.InRange(series.Count, 2, 3);
        Assert.Equal(4, series.Sum(p => p.GetProperty("counts").GetProperty("delivered").GetInt64()));
    }

    private sealed class JournalRoutes : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseRouting();
            app.UseEndpoints(endpoints => endpoints.MapPublicApi().MapDeliveryJournal());
            next(app);
        };
    }

    private static async Task<JsonElement> DataAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("data").Clone();
    }
}
