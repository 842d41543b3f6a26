using System.Globalization;
using System.Text;
using System.Text.Json;
using Junction.EventLog;
using Junction.Events;
using Junction.Protocols.Controls;
using Junction.Protocols.Plans;
using Junction.Protocols.Processing;
using Junction.Protocols.Transformations;

namespace Junction.Bench.Protocols;

/// <summary>
/// The benchmark's tracking plan and events: 200 track events (<c>Event 001</c> … <c>Event 200</c>) of 20 properties
/// each (strings, integers, numbers and booleans, two of them required, one with an enum and one with a pattern), and
/// events that follow it exactly, so that every event is checked in full and none is blocked or changed.
/// </summary>
internal static class BenchPlan
{
    public const int EventNames = 200;
    public const int PropertiesPerEvent = 20;

    /// <summary>The plan's rules.</summary>
    public static IReadOnlyList<PlanRule> Rules()
    {
        var rules = new List<PlanRule>(EventNames);
        for (var e = 1; e <= EventNames; e++)
        {
            var properties = new StringBuilder();
            for (var p = 1; p <= PropertiesPerEvent; p++)
            {
                properties.Append(p > 1 ? "," : "").Append('"').Append(Property(p)).Append("\":").Append((p % 5) switch
                {
                    0 => """{"type":"boolean"}""",
                    1 => """{"type":"string","minLength":1}""",
                    2 => """{"type":"integer","minimum":0}""",
                    3 => """{"type":["number","null"]}""",
                    _ => p == 4 ? """{"type":"string","enum":["web","ios","android"]}""" : """{"type":"string","pattern":"^[a-z]+-[0-9]+$"}""",
                });
            }

            var schema = "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\",\"required\":[\"properties\"],"
                + "\"properties\":{\"properties\":{\"type\":\"object\",\"required\":[\"" + Property(1) + "\",\"" + Property(2) + "\"],"
                + "\"properties\":{" + properties + "}}}}";
            rules.Add(new PlanRule(RuleType.Track, Name(e), 1, JsonSerializer.Deserialize<JsonElement>(schema)));
        }

        return rules;
    }

    /// <summary>The source's Protocols configuration with the plan connected and every block and omission on.</summary>
    public static SourceProtocols Connected(string sourceId) => new(
        sourceId,
        "tp_bench",
        "Bench plan",
        PlanCompiler.Compile(Rules()),
        SourceSchemaSettings.Default with
        {
            Track = new TrackControls(
                AllowUnplannedEvents: false,
                AllowUnplannedEventProperties: false,
                AllowEventOnViolations: false,
                AllowPropertiesOnViolations: false,
                CommonEventOnViolations: CommonViolationAction.Block),
        },
        [],
        new Dictionary<string, IReadOnlyList<CompiledTransformation>>());

    /// <summary>Tracking API batch bodies of <paramref name="batchSize"/> events, with messageIds unique to the run.</summary>
    public static List<byte[]> Batches(string run, int events, int batchSize)
    {
        var batches = new List<byte[]>(events / batchSize + 1);
        var body = new StringBuilder();
        for (var first = 0; first < events; first += batchSize)
        {
            body.Clear().Append("{\"batch\":[");
            for (var i = first; i < Math.Min(events, first + batchSize); i++)
            {
                body.Append(i > first ? "," : "").Append(Event(run, i));
            }

            batches.Add(Encoding.UTF8.GetBytes(body.Append("]}").ToString()));
        }

        return batches;
    }

    /// <summary>The same events as stored log entries of <paramref name="sourceId"/>, for timing the stage alone.</summary>
    public static IReadOnlyList<LogEntry> Entries(string sourceId, string run, int events)
    {
        var entries = new LogEntry[events];
        for (var i = 0; i < events; i++)
        {
            entries[i] = new LogEntry(0, new LogPosition(i + 1), DateTimeOffset.UtcNow, "user-" + (i % 5000).ToString(CultureInfo.InvariantCulture),
                sourceId + ":" + run + "-" + i.ToString(CultureInfo.InvariantCulture), EventTag.Format(EventType.Track, Name((i % EventNames) + 1)),
                Encoding.UTF8.GetBytes(Event(run, i)));
        }

        return entries;
    }

    private static string Event(string run, int i)
    {
        var properties = new StringBuilder();
        for (var p = 1; p <= PropertiesPerEvent; p++)
        {
            properties.Append(p > 1 ? "," : "").Append('"').Append(Property(p)).Append("\":").Append((p % 5) switch
            {
                0 => i % 2 == 0 ? "true" : "false",
                1 => $"\"value {i}\"",
                2 => (i % 1000).ToString(CultureInfo.InvariantCulture),
                3 => (i % 7 * 1.25).ToString(CultureInfo.InvariantCulture),
                _ => p == 4 ? "\"web\"" : $"\"item-{i % 100}\"",
            });
        }

        return "{\"type\":\"track\",\"event\":\"" + Name((i % EventNames) + 1) + "\",\"userId\":\"user-" + (i % 5000).ToString(CultureInfo.InvariantCulture)
            + "\",\"messageId\":\"" + run + "-" + i.ToString(CultureInfo.InvariantCulture)
            + "\",\"context\":{\"library\":{\"name\":\"bench\",\"version\":\"1\"}},\"properties\":{" + properties + "}}";
    }

    private static string Name(int e) => "Event " + e.ToString("D3", CultureInfo.InvariantCulture);

    private static string Property(int p) => "property_" + p.ToString("D2", CultureInfo.InvariantCulture);
}
