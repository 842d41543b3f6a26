namespace Junction.Destinations.Delivery.Journal;

/// <summary>
/// The codes Event Delivery counts filtered events under, Segment's "filtered at destination" reasons. A
/// <see cref="Framework.DeliveryState.Filtered"/> step's reason starts with one of them, optionally followed by a colon
/// and plain words (<c>FILTERED_BY_RULES: filter "Drop test events"</c>); a reason that starts with none of them is
/// counted as <see cref="Other"/> and still shown whole in the event's trace.
/// </summary>
internal static class DiscardReasons
{
    /// <summary>A destination filter dropped it.</summary>
    public const string FilteredByRules = "FILTERED_BY_RULES";

    /// <summary>The event's <c>integrations</c> object turned this destination off.</summary>
    public const string FilteredByIntegrationsObject = "FILTERED_BY_INTEGRATIONS_OBJECT";

    /// <summary>A classic destination does not take this call type.</summary>
    public const string UnsupportedEventType = "UNSUPPORTED_EVENT_TYPE";

    /// <summary>No enabled subscription's trigger matched it.</summary>
    public const string NoMatchingMapping = "NO_MATCHING_MAPPING";

    /// <summary>A subscription matched but its mapping left nothing to send.</summary>
    public const string FilteredAtMapping = "FILTERED_AT_MAPPING";

    /// <summary>The destination's settings are incomplete (a required setting missing).</summary>
    public const string InvalidSettings = "INVALID_SETTINGS";

    /// <summary>Anything else; the trace keeps the reason's words.</summary>
    public const string Other = "OTHER";

    public static readonly IReadOnlyList<string> All =
        [FilteredByRules, FilteredByIntegrationsObject, UnsupportedEventType, NoMatchingMapping, FilteredAtMapping, InvalidSettings, Other];

    /// <summary>The code a reason is counted under.</summary>
    public static string Classify(string? reason)
    {
        if (string.IsNullOrEmpty(reason))
        {
            return Other;
        }

        foreach (var code in All)
        {
            if (reason.StartsWith(code, StringComparison.Ordinal)
                && (reason.Length == code.Length || reason[code.Length] is ':' or ' '))
            {
                return code;
            }
        }

        return Other;
    }

    /// <summary>
    /// The code a failed attempt, an abort or an expiry is counted under: the tool's HTTP status, or
    /// <c>NO_RESPONSE</c> when there was none (a timeout, a refused connection).
    /// </summary>
    public static string FailureCode(int status) =>
        status == 0 ? "NO_RESPONSE" : status.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
