using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Destinations.Framework;

namespace Junction.Destinations.Catalog;

/// <summary>
/// What the analytics destinations (Amplitude, Mixpanel, GA4, Meta, Klaviyo) share: default-mapping directives,
/// typed reads of a mapped payload, request bodies, and one send.
/// </summary>
internal static class AnalyticsFields
{
    /// <summary>Writes JSON as the tools' own SDKs do: non-ASCII characters and <c>+</c> stay readable.</summary>
    public static readonly JsonSerializerOptions Wire = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The directive <c>{"@path": path}</c>.</summary>
    public static JsonObject Path(string path) => new() { ["@path"] = path };

    /// <summary>The directive that takes <paramref name="first"/> when it exists, else <paramref name="fallback"/>.</summary>
    public static JsonObject PathOr(string first, string fallback) =>
        new() { ["@if"] = new JsonObject { ["exists"] = Path(first), ["then"] = Path(first), ["else"] = Path(fallback) } };

    /// <summary>The directive <c>{"@template": template}</c>.</summary>
    public static JsonObject Template(string template) => new() { ["@template"] = template };

    /// <summary>A string field (numbers and booleans as their JSON text), or null when missing or empty.</summary>
    public static string? Text(JsonObject payload, string key) => payload[key] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text.Length > 0 ? text : null,
        JsonValue value when value.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
        _ => null,
    };

    /// <summary>A number field (numeric strings converted), or null.</summary>
    public static double? Number(JsonObject payload, string key) => payload[key] switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValue value when value.TryGetValue<string>(out var text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    /// <summary>
    /// A point in time: an ISO-8601 string, or a number (or numeric string) read as Unix milliseconds. Null when
    /// missing or unreadable.
    /// </summary>
    public static DateTimeOffset? Instant(JsonObject payload, string key)
    {
        if (Number(payload, key) is { } millis)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds((long)millis);
        }

        return Text(payload, key) is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant
            : null;
    }

    /// <summary>A non-empty object field, or null.</summary>
    public static JsonObject? Obj(JsonObject payload, string key) => payload[key] is JsonObject { Count: > 0 } value ? value : null;

    /// <summary>Copies the present, non-null fields named in <paramref name="keys"/> from one object to another, renaming them.</summary>
    public static void CopyFields(JsonObject from, JsonObject to, IEnumerable<(string From, string To)> keys)
    {
        foreach (var (source, target) in keys)
        {
            if (from[source] is { } value)
            {
                to[target] = value.DeepClone();
            }
        }
    }

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(Wire), Encoding.UTF8, "application/json");

    /// <summary>An <c>application/x-www-form-urlencoded</c> body; fields whose value is null are left out.</summary>
    public static FormUrlEncodedContent Form(params (string Key, string? Value)[] fields) =>
        new(fields.Where(f => f.Value is not null).Select(f => KeyValuePair.Create(f.Key, f.Value!)));

    /// <summary>Sends one request and reads the answer into a <see cref="SendResult"/>.</summary>
    public static async Task<SendResult> RequestAsync(
        SendContext context,
        HttpMethod method,
        Uri url,
        HttpContent? content,
        Action<HttpRequestHeaders>? headers,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        headers?.Invoke(request.Headers);
        using var response = await context.Http.SendAsync(request, cancellationToken);
        return await SendResult.FromResponseAsync(response, context.Time, cancellationToken);
    }

    /// <summary>One status per item: the result's own list, or its status repeated.</summary>
    public static int[] Statuses(SendResult result, int count) =>
        result.ItemStatuses is { } statuses ? [.. statuses] : Enumerable.Repeat(result.Status, count).ToArray();

    /// <summary>
    /// A result that reports each item's status; its <see cref="SendResult.Status"/> is the first failure's, or 200
    /// when every item went through.
    /// </summary>
    public static SendResult PerItem(IReadOnlyList<int> statuses, string body, TimeSpan? retryAfter = null) =>
        new(statuses.FirstOrDefault(s => SendClassifier.Classify(s) != SendOutcome.Delivered, 200), body, retryAfter, statuses);

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

    /// <summary>Whether the base URL is the definition's default, so a region setting may choose the host.</summary>
    public static bool UsesDefaultHost(SendContext context, DestinationDefinition definition) =>
        string.Equals(context.BaseUrl, definition.DefaultBaseUrl.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
}
