using System.Text.Json;
using System.Text.Json.Nodes;

namespace Junction.Destinations.Framework;

/// <summary>
/// A destination: its catalog definition and one method that sends a batch of mapped events to the tool. Everything
/// else — choosing the events (integrations object, filters, triggers), mapping them, batching, retries with
/// back-off, ordering, rate limits, dead letters, traces and metrics — belongs to the core, so a destination is
/// about a hundred lines. Implementations are stateless singletons: everything about one instance is in the
/// <see cref="SendContext"/>.
/// </summary>
internal interface IDestination
{
    DestinationDefinition Definition { get; }

    /// <summary>
    /// Sends <paramref name="batch"/> (one action's mapped events, at most its <see cref="ActionDefinition.MaxBatchSize"/>)
    /// and reports what the tool answered. Answer with <see cref="SendResult"/>s built from the tool's response
    /// (<see cref="SendResult.FromResponseAsync"/>); do not throw for an HTTP error. A timeout or a network failure may
    /// surface as an exception: the core treats it as retryable. A mapped payload the tool cannot take (a required
    /// value missing) is <see cref="SendResult.Invalid"/>, a permanent failure that is not sent.
    /// </summary>
    ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken);
}

/// <summary>Everything a send needs about one destination instance.</summary>
/// <param name="Http">The client to send with (timeouts and connection pooling are the core's).</param>
/// <param name="Settings">The instance's settings, secrets decrypted (never log them).</param>
/// <param name="BaseUrl">The tool's API address without a trailing slash: the definition's default or the instance's override.</param>
/// <param name="Time">The clock, for timestamps a tool needs (signatures, request times).</param>
internal sealed record SendContext(HttpClient Http, JsonObject Settings, string BaseUrl, TimeProvider Time)
{
    /// <summary>A string setting, or null when it is missing or empty.</summary>
    public string? Setting(string key) =>
        Settings[key] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    /// <summary>The URL of <paramref name="path"/> (starting with <c>/</c>) under the base URL.</summary>
    public Uri Url(string path) => new(BaseUrl + path, UriKind.Absolute);

    /// <summary>Whether the base URL is the definition's default, so that a region setting may choose the host instead.</summary>
    public bool UsesDefaultHost(DestinationDefinition definition) =>
        string.Equals(BaseUrl, definition.DefaultBaseUrl.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
}

/// <summary>Mapped events of one action, to send together.</summary>
/// <param name="Action">The action they were mapped for.</param>
/// <param name="Items">The events, in the order they must arrive (one user's events keep their order).</param>
internal sealed record ActionBatch(ActionDefinition Action, IReadOnlyList<DeliveryItem> Items);

/// <summary>One event as a destination receives it.</summary>
/// <param name="MessageId">The event's messageId: the idempotency key to send where the tool has one.</param>
/// <param name="Payload">
/// The mapped payload (for a classic action, the whole normalized event). A destination may read but must not
/// keep it beyond the send.
/// </param>
/// <param name="Event">The normalized event it was mapped from.</param>
internal sealed record DeliveryItem(string MessageId, JsonObject Payload, JsonElement Event);

/// <summary>What the tool answered to one send.</summary>
/// <param name="Status">The HTTP status (0 when there was no answer).</param>
/// <param name="Body">The start of the response body, kept for the event's trace (at most <see cref="MaxBodyExcerpt"/> characters).</param>
/// <param name="RetryAfter">The tool's Retry-After, when it gave one.</param>
/// <param name="ItemStatuses">
/// For tools that answer per event (multi-status): one status per item of the batch, in order; the core retries or
/// aborts each item by its own status. Null when the whole batch shares <see cref="Status"/>.
/// </param>
/// <param name="Problem">For <see cref="Invalid"/> results: why the payload cannot be sent.</param>
internal sealed record SendResult(int Status, string Body, TimeSpan? RetryAfter = null, IReadOnlyList<int>? ItemStatuses = null, string? Problem = null)
{
    public const int MaxBodyExcerpt = 2000;

    /// <summary>The status of a payload refused before sending (Segment answers 400 for a payload validation error).</summary>
    public const int InvalidPayloadStatus = 400;

    public static SendResult Ok(string body = "") => new(200, body);

    /// <summary>A payload the tool cannot take: not sent, not retried.</summary>
    public static SendResult Invalid(string problem) => new(InvalidPayloadStatus, "", Problem: problem);

    /// <summary>A result with one status per item; its own status is the first failure's, or 200 when all went through.</summary>
    public static SendResult PerItem(IReadOnlyList<int> statuses, string body, TimeSpan? retryAfter = null) =>
        new(statuses.FirstOrDefault(s => SendClassifier.Classify(s) != SendOutcome.Delivered, 200), body, retryAfter, statuses);

    /// <summary>One status for each of <paramref name="count"/> items: <see cref="ItemStatuses"/>, or <see cref="Status"/> repeated.</summary>
    public int[] Statuses(int count) => ItemStatuses is { } statuses ? [.. statuses] : Enumerable.Repeat(Status, count).ToArray();

    /// <summary>Reads the status, the Retry-After header (seconds or a date) and the start of the body of a response.</summary>
    public static async Task<SendResult> FromResponseAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (body.Length > MaxBodyExcerpt)
        {
            body = body[..MaxBodyExcerpt];
        }

        TimeSpan? retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };
        return new SendResult((int)response.StatusCode, body, retryAfter);
    }
}
