using System.Text;
using Junction.Protocols.Plans;
using Junction.Protocols.Processing;
using Junction.Protocols.Violations;
using Microsoft.Extensions.Options;

namespace Junction.Protocols.Tests.Violations;

public sealed class ViolationRecorderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 30, 0, TimeSpan.Zero);
    private static readonly Violation Price = new(ViolationTypes.InvalidType, "properties.price", "Invalid type. Expected: number, given: string");

    [Fact]
    public async Task WhileDrainsForgetIdleCellsNoViolationIsLostAndNoCountReachesTheStoreBeforeItsSample()
    {
        var recorder = new ViolationRecorder(Options.Create(new ProtocolsProcessingOptions { ViolationSamplesKept = 3 }));
        var @event = Encoding.UTF8.GetBytes("""{"messageId":"m"}""");
        const int Recorded = 100_000;
        // Events that arrived hours ago, as when the processor catches up on a backlog: their idle cells are forgotten
        // by every drain, while they are still being recorded into.
        var recording = Task.Run(() =>
        {
            for (var i = 0; i < Recorded; i++)
            {
                recorder.Record("src-1", "track", "Order Completed", [Price], Now.AddHours(-5), "m", @event);
            }
        });

        long counted = 0, sampled = 0, drains = 0;
        bool done;
        do
        {
            // A drain begun after the recording ended is the last one needed.
            done = recording.IsCompleted;
            var batch = recorder.Drain(Now);
            counted += batch.Counts.Sum(c => c.Count);
            sampled += batch.Samples.Count;
            drains++;
            Assert.True(counted == 0 || sampled > 0, $"after {drains} drains {counted} violations were counted without a sample");
        }
        while (!done);

        await recording;
        Assert.Equal(Recorded, counted);
    }

    [Fact]
    public void ARestoredBatchIsDrainedAgainKeepingItsNewestSamplesWhereThereIsRoom()
    {
        var recorder = new ViolationRecorder(Options.Create(new ProtocolsProcessingOptions { ViolationSamplesKept = 2 }));
        Record(recorder, "m1");
        Record(recorder, "m2");
        var failed = recorder.Drain(Now);
        Record(recorder, "m3");

        recorder.Restore(failed);
        var again = recorder.Drain(Now);

        Assert.Equal(3, Assert.Single(again.Counts).Count);
        Assert.Equal(["m3", "m2"], again.Samples.Select(s => s.MessageId));
        Assert.True(recorder.Drain(Now).IsEmpty);
    }

    private static void Record(ViolationRecorder recorder, string messageId) =>
        recorder.Record("src-1", "track", "Order Completed", [Price], Now, messageId, Encoding.UTF8.GetBytes($$"""{"messageId":"{{messageId}}"}"""));
}
