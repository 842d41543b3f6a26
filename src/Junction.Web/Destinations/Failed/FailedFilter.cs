using Junction.Destinations.Delivery.Journal;
using Junction.Destinations.Framework;

namespace Junction.Web.Destinations.Failed;

/// <summary>How far back the Failed events list looks.</summary>
internal sealed record FailedPeriod(string Key, string Label, TimeSpan? Length)
{
    public static readonly FailedPeriod LastHour = new("1h", "Last hour", TimeSpan.FromHours(1));
    public static readonly FailedPeriod LastDay = new("24h", "Last 24 hours", TimeSpan.FromHours(24));
    public static readonly FailedPeriod LastWeek = new("7d", "Last 7 days", TimeSpan.FromDays(7));
    public static readonly FailedPeriod Kept = new("all", "All kept (14 days)", null);

    public static IReadOnlyList<FailedPeriod> All { get; } = [LastHour, LastDay, LastWeek, Kept];
}

/// <summary>
/// The filters of the Failed events list as the page holds them (every one optional), made into the dead-letter
/// store's <see cref="DeadLetterFilter"/>: the same filter lists the page and re-sends "all matching".
/// </summary>
internal sealed class FailedFilter
{
    /// <summary>Aborted, expired, or null for both.</summary>
    public DeliveryState? State { get; set; }

    /// <summary>The tool's HTTP status as typed; 0 means no answer; empty means any.</summary>
    public string? StatusCode { get; set; }

    /// <summary>The mapping (subscription), or null for all.</summary>
    public string? SubscriptionId { get; set; }

    public FailedPeriod Period { get; set; } = FailedPeriod.Kept;

    /// <summary>Found in the messageId or in the tool's answer.</summary>
    public string? Text { get; set; }

    /// <summary>Not re-sent yet (the default), already re-sent, or both.</summary>
    public DeadLetterStatus Which { get; set; } = DeadLetterStatus.Pending;

    /// <summary>What is wrong with the status code typed, or null when it is empty or a status.</summary>
    public string? StatusError =>
        string.IsNullOrWhiteSpace(StatusCode) || ParsedStatus is not null ? null : "Enter an HTTP status such as 400, or 0 for no answer.";

    private int? ParsedStatus =>
        int.TryParse(StatusCode?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var status) && status <= 999
            ? status
            : null;

    public DeadLetterFilter For(string destinationId, DateTimeOffset now) => new(
        destinationId,
        State,
        ParsedStatus,
        string.IsNullOrEmpty(SubscriptionId) ? null : SubscriptionId,
        Period.Length is { } length ? now - length : null,
        null,
        string.IsNullOrWhiteSpace(Text) ? null : Text.Trim(),
        Which);
}
