using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Junction.Destinations.Delivery.Journal;
using Junction.Destinations.Framework;
using Junction.Web.Sources.Debugger;

namespace Junction.Web.Destinations.Delivery;

/// <summary>How a step looks on the timeline: good news, a step on the way, a warning, or a failure.</summary>
internal enum StepTone
{
    Neutral,
    Success,
    Warning,
    Failure,
}

/// <summary>One step of an event's trace told in plain words.</summary>
/// <param name="Step">The step as the journal stored it.</param>
/// <param name="Title">What happened, in a few words ("Attempt 2: delivered").</param>
/// <param name="Explanation">Why, and what happens next, in a sentence.</param>
/// <param name="Tone">How the timeline marks it.</param>
/// <param name="Response">The start of the tool's answer, when there was one.</param>
/// <param name="Payload">The mapped payload sent (indented when it is whole JSON), when the step carries it.</param>
internal sealed record TraceEntry(TraceStep Step, string Title, string Explanation, StepTone Tone, string? Response, string? Payload);

/// <summary>
/// Tells the trace of an event at a destination as a readable timeline: each step's title and explanation, and a
/// summary of where the event is now. Attempts say the tool's status in words and, for a retry, how long Junction
/// waited before the next attempt ("429 from the tool: retried after the 30 s it asked for").
/// </summary>
internal static partial class TraceStory
{
    public static IReadOnlyList<TraceEntry> Tell(DestinationTrace trace)
    {
        var entries = new List<TraceEntry>(trace.Steps.Count);
        for (var i = 0; i < trace.Steps.Count; i++)
        {
            var next = i + 1 < trace.Steps.Count ? trace.Steps[i + 1] : null;
            entries.Add(Tell(trace.Steps[i], next));
        }

        return entries;
    }

    /// <summary>Where the event is now at the destination, in a sentence.</summary>
    public static string Summary(DestinationTrace trace) => trace.FinalState switch
    {
        DeliveryState.Delivered => $"Delivered at {DeliveryWords.Time(trace.Steps[^1].At)}.",
        DeliveryState.Filtered => "Not sent to this destination: " + Lowercase(Filtered(trace.Steps[^1].Reason).Title) + ".",
        DeliveryState.Retrying => "Not delivered yet: the last attempt failed and the event is waiting to be tried again.",
        DeliveryState.Queued => "Waiting in the destination's queue to be sent.",
        DeliveryState.Aborted => "Not delivered: the tool refused it. It is kept in Failed events, where it can be re-sent.",
        DeliveryState.Expired => "Not delivered: it was still failing when its retry window ended. It is kept in Failed events, where it can be re-sent.",
        _ => trace.FinalState.ToString(),
    };

    public static string StateName(DeliveryState state) => state switch
    {
        DeliveryState.Queued => "Queued",
        DeliveryState.Filtered => "Filtered",
        DeliveryState.Delivered => "Delivered",
        DeliveryState.Retrying => "Retrying",
        DeliveryState.Aborted => "Aborted",
        _ => "Expired",
    };

    private static TraceEntry Tell(TraceStep step, TraceStep? next)
    {
        var status = step.Status;
        var took = step.LatencyMs is { } ms ? $" in {DeliveryWords.Latency(ms)}" : "";
        var response = string.IsNullOrEmpty(step.Response) ? null : step.Response;
        switch (step.State)
        {
            case DeliveryState.Queued when step.Reason == DeadLetterQuery.ResentReason:
                return new(step, "Re-sent", "Re-sent from Failed events: the same event, with the same messageId, went back into the destination's queue.", StepTone.Neutral, null, Payload(step));
            case DeliveryState.Queued:
                return new(step, "Queued", "The event matched, was mapped to the payload below and put in the destination's queue.", StepTone.Neutral, null, Payload(step));
            case DeliveryState.Filtered:
                var (title, explanation) = Filtered(step.Reason);
                return new(step, title, explanation, StepTone.Neutral, null, null);
            case DeliveryState.Delivered:
                return new(step, $"Attempt {step.Attempt}: delivered", $"The tool took the event: it answered {status.ToString(CultureInfo.InvariantCulture)}{took}.", StepTone.Success, response, null);
            case DeliveryState.Retrying:
                return new(step, $"Attempt {step.Attempt}: {StatusShort(status)} from the tool, retrying", Retried(step, next, took), StepTone.Warning, response, null);
            case DeliveryState.Aborted:
                var refused = status == 0
                    ? "The event could not be sent and is not retried"
                    : $"The tool answered {DeliveryWords.StatusWithWords(status)}{took}. Junction does not retry that answer, because sending the same event again would be refused again";
                return new(step, $"Attempt {step.Attempt}: refused, not retried", $"{refused}. {Reason(step.Reason)}It is kept in Failed events: fix the cause, then re-send it.", StepTone.Failure, response, Payload(step));
            default:
                var last = status == 0 ? "" : $" The last attempt got {DeliveryWords.StatusWithWords(status)}.";
                return new(step, "Expired", $"The event was still failing after {step.Attempt} attempts when its retry window ended.{last} It is kept in Failed events, where it can be re-sent.", StepTone.Failure, response, Payload(step));
        }
    }

    private static string Retried(TraceStep step, TraceStep? next, string took)
    {
        var status = step.Status;
        var what = status == 0
            ? $"No answer from the tool{took} (a timeout or a refused connection)"
            : $"{status.ToString(CultureInfo.InvariantCulture)} from the tool{took}: {DeliveryWords.Status(status)}";
        var askedFor = step.Reason is { } reason && AskedToWait().Match(reason) is { Success: true } match
            && double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : (TimeSpan?)null;
        if (next is not null)
        {
            var waited = DeliveryWords.Duration(next.At - step.At);
            return askedFor is { } asked
                ? $"{what}; retried after the {DeliveryWords.Duration(asked)} it asked for."
                : $"{what}; a temporary failure, so Junction tried again {waited} later.";
        }

        return askedFor is { } wait
            ? $"{what}; waiting the {DeliveryWords.Duration(wait)} it asked for before trying again."
            : $"{what}; a temporary failure, so Junction will try again with back-off.";
    }

    private static (string Title, string Explanation) Filtered(string? reason)
    {
        var code = DiscardReasons.Classify(reason);
        var detail = reason is not null && reason.StartsWith(code, StringComparison.Ordinal) ? reason[code.Length..].TrimStart(':', ' ') : reason;
        var words = DeliveryWords.DiscardReason(code);
        var explanation = string.IsNullOrWhiteSpace(detail)
            ? $"Not sent to this destination ({code})."
            : $"Not sent to this destination ({code}): {detail}";
        return ($"Not sent: {Lowercase(words)}", explanation);
    }

    private static string StatusShort(int status) => status == 0 ? "no answer" : status.ToString(CultureInfo.InvariantCulture);

    private static string Reason(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? "" : $"Junction's reason: {reason.TrimEnd('.')}. ";

    private static string? Payload(TraceStep step)
    {
        if (step.Payload is not { } payload)
        {
            return null;
        }

        return step.PayloadTruncated
            ? payload + " … (cut: the journal keeps the start of large payloads)"
            : JsonText.Indent(Encoding.UTF8.GetBytes(payload));
    }

    private static string Lowercase(string text) => text.Length == 0 ? text : char.ToLowerInvariant(text[0]) + text[1..];

    [GeneratedRegex(@"asked to wait ([0-9]+(?:\.[0-9]+)?) s", RegexOptions.CultureInvariant)]
    private static partial Regex AskedToWait();
}
