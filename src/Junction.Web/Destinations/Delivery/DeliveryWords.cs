using System.Globalization;
using Junction.Destinations.Delivery;
using Junction.Destinations.Delivery.Journal;
using Junction.Destinations.Framework;

namespace Junction.Web.Destinations.Delivery;

/// <summary>The delivery journal's codes and numbers in the words the pages show them in.</summary>
internal static class DeliveryWords
{
    /// <summary>Why filtered events were not sent, in plain words, for each discard code.</summary>
    public static string DiscardReason(string code) => code switch
    {
        DiscardReasons.FilteredByRules => "A destination filter dropped it",
        DiscardReasons.FilteredByIntegrationsObject => "The event's integrations object turned this destination off",
        DiscardReasons.UnsupportedEventType => "This destination does not take this type of call",
        DiscardReasons.NoMatchingMapping => "No enabled mapping's trigger matched it",
        DiscardReasons.FilteredAtMapping => "A mapping matched, but left nothing to send",
        DiscardReasons.InvalidSettings => "The destination's settings are incomplete",
        _ => "Another reason (the event's trace says which)",
    };

    /// <summary>What an HTTP status from a tool means, in a few words; 0 is no answer at all.</summary>
    public static string Status(int status) => status switch
    {
        0 => "no answer (a timeout or a refused connection)",
        200 or 201 or 202 or 204 => "accepted",
        400 => "bad request: the tool found the event invalid",
        401 => "unauthorized: check the API key in Settings",
        403 => "forbidden: the credentials may not send this",
        404 => "not found: check the endpoint or the account",
        408 => "request timeout at the tool",
        409 => "conflict",
        413 => "too large for the tool",
        422 => "the tool could not process the event",
        423 => "locked at the tool",
        429 => "too many requests: the tool asked to slow down",
        >= 200 and < 300 => "accepted",
        >= 500 and < 600 => "an error at the tool's server",
        _ => "refused by the tool",
    };

    /// <summary>A status with its words: "429 (too many requests: …)", or "No answer (…)".</summary>
    public static string StatusWithWords(int status) =>
        status == 0 ? "No answer (a timeout or a refused connection)" : $"{status.ToString(CultureInfo.InvariantCulture)} ({Status(status)})";

    /// <summary>A failure code of the metrics (a status, or <c>NO_RESPONSE</c>) in words.</summary>
    public static string FailureCode(string code) =>
        int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? Status(status) : Status(0);

    /// <summary>The state of a failure count, as the Failures table names it.</summary>
    public static string FailureState(DeliveryState state) => state switch
    {
        DeliveryState.Retrying => "Retried",
        DeliveryState.Aborted => "Aborted",
        DeliveryState.Expired => "Expired",
        _ => state.ToString(),
    };

    public static string HealthState(DeliveryHealthState state) => state switch
    {
        DeliveryHealthState.Active => "Delivering",
        DeliveryHealthState.Retrying => "Retrying",
        _ => "Paused",
    };

    public static string HealthExplanation(DeliveryHealthState state) => state switch
    {
        DeliveryHealthState.Active => "Sends to the tool succeed.",
        DeliveryHealthState.Retrying => "The latest sends failed with an answer worth retrying; events wait and are tried again with back-off. Nothing is lost while they are within their retry window.",
        _ => "Sends have failed for a long time, so Junction stopped sending and only tries one small batch now and then. Events keep waiting in the queue until the tool answers again.",
    };

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Milliseconds as a person reads them: "84 ms", "1.53 s", or a dash when there is no value.</summary>
    public static string Latency(double? ms) => ms switch
    {
        null => "—",
        < 1_000 => ms.Value.ToString("0", CultureInfo.InvariantCulture) + " ms",
        < 60_000 => (ms.Value / 1_000).ToString("0.##", CultureInfo.InvariantCulture) + " s",
        _ => Duration(TimeSpan.FromMilliseconds(ms.Value)),
    };

    /// <summary>A duration in the largest sensible units: "30 s", "4 min", "2 h 5 min", "3 days".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1))
        {
            return Math.Round(span.TotalSeconds, span.TotalSeconds < 10 ? 1 : 0).ToString("0.#", CultureInfo.InvariantCulture) + " s";
        }

        if (span < TimeSpan.FromHours(1))
        {
            return ((int)span.TotalMinutes).ToString(CultureInfo.InvariantCulture) + " min";
        }

        if (span < TimeSpan.FromDays(1))
        {
            return span.Minutes == 0
                ? $"{(int)span.TotalHours} h"
                : $"{(int)span.TotalHours} h {span.Minutes} min";
        }

        var days = (int)span.TotalDays;
        return days == 1 ? "1 day" : $"{days} days";
    }

    /// <summary>A time in UTC: "2026-03-02 12:00:05 UTC".</summary>
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
