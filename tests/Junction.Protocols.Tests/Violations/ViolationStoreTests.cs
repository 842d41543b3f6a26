using System.Text;
using Junction.Protocols.Plans;
using Junction.Protocols.Processing;
using Junction.Protocols.Violations;
using Junction.Testing;
using Microsoft.Extensions.Options;

namespace Junction.Protocols.Tests.Violations;

public sealed class ViolationStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 30, 0, TimeSpan.Zero);
    private static readonly Violation Price = new(ViolationTypes.InvalidType, "properties.price", "Invalid type. Expected: number, given: string");
    private static readonly Violation OrderId = new(ViolationTypes.Required, "properties.order_id", "properties.order_id is required");
    private readonly TempDirectory _data = new();
    private readonly ViolationRecorder _recorder = new(Options.Create(new ProtocolsProcessingOptions { ViolationSamplesKept = 3 }));
    private readonly ViolationStore _store;

    public ViolationStoreTests() => _store = new ViolationStore(Path.Combine(_data.Path, "protocols.db"));

    [Fact]
    public async Task CountsAreKeptPerEventTypeAndFieldAndHourAndSummedOverTheWindow()
    {
        Record("Order Completed", [Price, OrderId], Now, "m1");
        Record("Order Completed", [Price], Now.AddMinutes(-50), "m2");
        Record("Order Completed", [Price], Now.AddHours(-5), "m3");
        Record("Cart Viewed", [Price], Now.AddDays(-2), "m4");
        await WriteAsync();

        var lastHour = await _store.SummaryAsync("src-1", Now.AddHours(-1), CancellationToken.None);
        var lastDay = await _store.SummaryAsync("src-1", Now.AddHours(-24), CancellationToken.None);
        var lastWeek = await _store.SummaryAsync("src-1", Now.AddDays(-7), CancellationToken.None);

        Assert.Equal(["Order Completed properties.price 2", "Order Completed properties.order_id 1"], lastHour.Select(Text).Order(StringComparer.Ordinal).Reverse());
        Assert.Equal(3, lastDay.Single(s => s.Field == "properties.price").Count);
        Assert.Equal(Now, lastDay.Single(s => s.Field == "properties.price").LastSeen);
        Assert.Contains("Cart Viewed properties.price 1", lastWeek.Select(Text));
        Assert.Empty(await _store.SummaryAsync("src-2", Now.AddDays(-7), CancellationToken.None));
    }

    [Fact]
    public async Task OnlyTheNewestSamplesOfEachKeyAreKeptAcrossWrites()
    {
        for (var i = 1; i <= 5; i++)
        {
            Record("Order Completed", [Price], Now.AddSeconds(i), "m" + i);
        }

        await WriteAsync();
        Record("Order Completed", [Price], Now.AddSeconds(6), "m6");
        Record("Order Completed", [OrderId], Now.AddSeconds(7), "m7");
        await WriteAsync();

        var samples = await _store.SamplesAsync("src-1", "track", "Order Completed", 20, CancellationToken.None);

        Assert.Equal(["m7", "m6", "m5", "m4"], samples.Select(s => s.MessageId));
        Assert.Equal("""{"messageId":"m6"}""", samples[1].Event);
        Assert.Equal(Price.Description, samples[1].Description);
        Assert.Empty(await _store.SamplesAsync("src-1", "track", "Cart Viewed", 20, CancellationToken.None));
    }

    [Fact]
    public async Task CountsAndSamplesOlderThanTheRetentionArePruned()
    {
        Record("Order Completed", [Price], Now.AddDays(-40), "old");
        Record("Order Completed", [Price], Now, "new");
        await WriteAsync();

        await _store.PruneAsync(Now, CancellationToken.None);

        Assert.Equal(1, Assert.Single(await _store.SummaryAsync("src-1", Now.AddDays(-60), CancellationToken.None)).Count);
        Assert.Equal(["new"], (await _store.SamplesAsync("src-1", null, null, 20, CancellationToken.None)).Select(s => s.MessageId));
    }

    private void Record(string name, Violation[] violations, DateTimeOffset at, string messageId) =>
        _recorder.Record("src-1", "track", name, violations, at, messageId, Encoding.UTF8.GetBytes($$"""{"messageId":"{{messageId}}"}"""));

    private Task WriteAsync() => _store.WriteAsync(_recorder.Drain(Now), 3, CancellationToken.None);

    private static string Text(ViolationSummary summary) => $"{summary.Name} {summary.Field} {summary.Count}";

    public void Dispose() => _data.Dispose();
}
