using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Junction.Destinations.Framework;

namespace Junction.Destinations.Catalog.Marketing;

/// <summary>
/// What the marketing destinations (Customer.io, Braze, HubSpot, Iterable) share: default-mapping directives, typed
/// reads of a mapped payload, timestamp conversions, one JSON send, and sending the items of a batch that could be
/// built while reporting the others as refused.
/// </summary>
internal static partial class MarketingFields
{
    /// <summary>Writes JSON with non-ASCII characters and <c>+</c> left readable, as the tools' own SDKs do.</summary>
    public static readonly JsonSerializerOptions Wire = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The directive <c>{"@path": path}</c>.</summary>
    public static JsonObject Path(string path) => new() { ["@path"] = path };

    /// <summary>The directive that reads <paramref name="first"/> when it exists, else <paramref name="fallback"/>.</summary>
    public static JsonObject PathOr(string first, string fallback) =>
        new() { ["@if"] = new JsonObject { ["exists"] = Path(first), ["then"] = Path(first), ["else"] = Path(fallback) } };

    /// <summary>A string field (numbers as their JSON text), or null when it is missing or empty.</summary>
    public static string? Text(this JsonObject payload, string key) => payload[key] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text.Length > 0 ? text : null,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => value.ToJsonString(),
        _ => null,
    };

    /// <summary>A number field (numeric strings converted), or null.</summary>
    public static double? Number(this JsonObject payload, string key) => Number(payload[key]);

    public static double? Number(JsonNode? node) => node switch
    {
        // Read through the JSON text: a mapped value may hold a long, a decimal or a JsonElement, not always a double.
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValue value when value.TryGetValue<string>(out var text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    /// <summary>A boolean field, or <paramref name="fallback"/> when it is missing or not a boolean.</summary>
    public static bool Flag(this JsonObject payload, string key, bool fallback) =>
        payload[key] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : fallback;

    /// <summary>A copy of an object field, or an empty object.</summary>
    public static JsonObject ObjectCopy(this JsonObject payload, string key) =>
        payload[key] is JsonObject value ? (JsonObject)value.DeepClone() : [];

    /// <summary>Sets <paramref name="key"/> to a copy of <paramref name="value"/> when it is not null.</summary>
    public static void SetIfPresent(this JsonObject target, string key, JsonNode? value)
    {
        if (value is not null)
        {
            target[key] = value.DeepClone();
        }
    }

    /// <summary>
    /// Reads an ISO-8601 date-time (<c>2024-05-01T10:00:00Z</c>, with or without fractions and offset; a bare date is
    /// not one). Strings that merely contain digits, such as <c>"1714557600"</c>, are left alone.
    /// </summary>
    public static DateTimeOffset? IsoTime(string text) =>
        IsoDateTime().IsMatch(text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;

    /// <summary>A point in time as Unix seconds: from a number (kept), a numeric string, or an ISO-8601 string.</summary>
    public static long? UnixSeconds(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) && IsoTime(text) is { } time => time.ToUnixTimeSeconds(),
        _ when Number(node) is { } number => (long)number,
        _ => null,
    };

    /// <summary>
    /// A copy of <paramref name="node"/> in which every ISO-8601 date-time string, at any depth, is replaced by
    /// <paramref name="convert"/>'s value.
    /// </summary>
    public static JsonNode? ConvertTimes(JsonNode? node, Func<DateTimeOffset, JsonNode> convert) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, ConvertTimes(p.Value, convert)))),
        JsonArray array => new JsonArray([.. array.Select(item => ConvertTimes(item, convert))]),
        JsonValue value when value.TryGetValue<string>(out var text) && IsoTime(text) is { } time => convert(time),
        _ => node?.DeepClone(),
    };

    /// <summary>Sends <paramref name="body"/> as JSON and reads the answer, whose whole body is returned beside the result.</summary>
    public static async Task<(SendResult Result, string Body)> SendJsonAsync(
        SendContext context,
        HttpMethod method,
        string path,
        JsonNode body,
        Action<HttpRequestHeaders> headers,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, context.Url(path))
        {
            Content = new StringContent(body.ToJsonString(Wire), Encoding.UTF8, "application/json"),
        };
        headers(request.Headers);
        using var response = await context.Http.SendAsync(request, cancellationToken);

        // The content is buffered, so it can be read whole here and again (cut short) for the result.
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return (await SendResult.FromResponseAsync(response, context.Time, cancellationToken), text);
    }

    /// <summary>Reads a JSON answer body, or null when it is not JSON.</summary>
    public static JsonNode? ParseBody(string body)
    {
        try
        {
            return body.Length > 0 ? JsonNode.Parse(body) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether the base URL is the definition's default, so that a region setting may choose the host instead.</summary>
    public static bool UsesDefaultHost(SendContext context, DestinationDefinition definition) =>
        string.Equals(context.BaseUrl, definition.DefaultBaseUrl.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Sends the items that could be built with <paramref name="send"/> and answers for the whole batch. When none
    /// could be built the batch is <see cref="SendResult.Invalid"/> and nothing is sent; when some could not, each
    /// item gets its own status: 400 for a refused one, the tool's answer for the others.
    /// </summary>
    /// <param name="items">Per item of the batch, in order: what to send, or why it cannot be sent.</param>
    /// <param name="send">Sends the built items, in order; its result may carry one status per item it was given.</param>
    public static async ValueTask<SendResult> SendBuiltAsync<T>(IReadOnlyList<Built<T>> items, Func<IReadOnlyList<T>, Task<SendResult>> send)
        where T : class
    {
        var valid = items.Where(item => item.Value is not null).Select(item => item.Value!).ToList();
        if (valid.Count == 0)
        {
            return SendResult.Invalid(string.Join("; ", items.Select(item => item.Problem).Distinct(StringComparer.Ordinal)));
        }

        var sent = await send(valid);
        if (valid.Count == items.Count)
        {
            return sent;
        }

        var sentStatuses = Statuses(sent, valid.Count);
        var statuses = new int[items.Count];
        var next = 0;
        for (var i = 0; i < items.Count; i++)
        {
            statuses[i] = items[i].Value is null ? SendResult.InvalidPayloadStatus : sentStatuses[next++];
        }

        return PerItem(statuses, sent.Body, sent.RetryAfter);
    }

    /// <summary>One status per item: the result's own list, or its status repeated.</summary>
    public static int[] Statuses(SendResult result, int count) =>
        result.ItemStatuses is { } statuses ? [.. statuses] : Enumerable.Repeat(result.Status, count).ToArray();

    /// <summary>A result with one status per item; its own status is the first failure's, or 200 when all went through.</summary>
    public static SendResult PerItem(IReadOnlyList<int> statuses, string body, TimeSpan? retryAfter = null) =>
        new(statuses.FirstOrDefault(s => SendClassifier.Classify(s) != SendOutcome.Delivered, 200), body, retryAfter, statuses);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDateTime();
}

/// <summary>One item of a batch as a destination built it: the value to send, or why it cannot be sent.</summary>
internal readonly record struct Built<T>(T? Value, string? Problem)
    where T : class
{
    public static Built<T> Ok(T value) => new(value, null);

    public static Built<T> Refused(string problem) => new(null, problem);
}
