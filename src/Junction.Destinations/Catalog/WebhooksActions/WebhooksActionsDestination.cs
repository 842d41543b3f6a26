using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Junction.Destinations.Catalog.Webhooks;
using Junction.Destinations.Framework;
using Junction.Workspace.Catalog;

namespace Junction.Destinations.Catalog.WebhooksActions;

/// <summary>
/// Webhooks (Actions): each subscription's mapping chooses the URL, the method, extra headers and the body. With
/// batching enabled in the mapping, one request carries a JSON array of the events' bodies; otherwise each event is
/// its own request. The instance's base URL is not used: the mapped URL is the address.
/// </summary>
internal sealed class WebhooksActionsDestination : IDestination
{
    public const int MaxBatchSize = 1000;

    public static DestinationDefinition Definition { get; } = new(
        Id: "614a3c7d791c91c41bae7599",
        Slug: "actions-webhook",
        Name: "Webhooks (Actions)",
        Description: "Sends mapped events as JSON to URLs you choose per subscription (POST, PUT or PATCH, with your own headers, one by one or in arrays); the mapped URL is used as is and the base URL setting does not apply.",
        Categories: [DestinationCategories.Raw, DestinationCategories.Other],
        Website: "https://en.wikipedia.org/wiki/Webhook",
        Badge: new SourceBadge("WH", "#2B6CB0"),
        Settings:
        [
            new("sharedSecret", "Shared secret",
                "When set, each request carries X-Signature: the hex HMAC-SHA1, keyed with this secret, of the event's data (of the first event's data in a batch).",
                FieldType.Password),
        ],
        Actions:
        [
            new("send", "send", "Send", "Sends the mapped data to the mapped URL.", DefaultTrigger: null,
                Fields:
                [
                    new("url", "URL", "The http(s) URL to call.", FieldType.String, Required: true),
                    new("method", "Method", "The HTTP method.", FieldType.Select, Required: true, Default: "POST",
                        Choices: [new("POST", "POST"), new("PUT", "PUT"), new("PATCH", "PATCH")]),
                    new("headers", "Headers", "Extra request headers, names to values (ASCII only).", FieldType.Object),
                    new("data", "Data", "The JSON body; by default the whole event.", FieldType.Object,
                        Default: JsonNode.Parse("""{"@path":"$."}""")),
                    new(ActionDefinition.EnableBatchingField, "Batch data", "Send events in batches: the body is then a JSON array of their data.", FieldType.Boolean,
                        Default: false),
                    new(ActionDefinition.BatchSizeField, "Batch size", "The most events one batched request carries.", FieldType.Integer, Default: MaxBatchSize),
                ],
                MaxBatchSize: MaxBatchSize, BatchKeys: ["url", "method", "headers"]),
        ],
        Presets: [],
        DefaultBaseUrl: "");

    DestinationDefinition IDestination.Definition => Definition;

    public async ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken)
    {
        var first = batch.Items[0].Payload;
        if (!Uri.TryCreate(first.JsonString("url"), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return SendResult.Invalid("url must be an absolute http(s) URL.");
        }

        var method = (first.JsonString("method") ?? "POST").ToUpperInvariant();
        if (method is not ("POST" or "PUT" or "PATCH"))
        {
            return SendResult.Invalid($"method must be POST, PUT or PATCH, not {method}.");
        }

        var headers = (first["headers"] as JsonObject ?? []).Select(h => (h.Key, Value: h.Value is JsonValue v ? v.ToString() : h.Value?.ToJsonString() ?? "")).ToList();
        if (headers.Any(h => h.Key.Length == 0 || !Ascii.IsValid(h.Key) || !Ascii.IsValid(h.Value)))
        {
            return SendResult.Invalid("Header names and values must be non-empty ASCII text.");
        }

        var data = batch.Items.Select(item => (item.Payload["data"] ?? new JsonObject()).ToJsonString(Requests.Wire)).ToList();
        if (first.Flag(ActionDefinition.EnableBatchingField))
        {
            // The body is the array of every event's data; the signature covers the first element only.
            var array = Encoding.UTF8.GetBytes($"[{string.Join(',', data)}]");
            return await SendOneAsync(context, url, method, headers, array, Encoding.UTF8.GetBytes(data[0]), cancellationToken);
        }

        var results = new List<SendResult>();
        foreach (var json in data)
        {
            var body = Encoding.UTF8.GetBytes(json);
            results.Add(await SendOneAsync(context, url, method, headers, body, body, cancellationToken));
        }

        return results.Count == 1 ? results[0] : results[0] with { ItemStatuses = [.. results.Select(r => r.Status)] };
    }

    private static async Task<SendResult> SendOneAsync(
        SendContext context, Uri url, string method, List<(string Key, string Value)> headers, byte[] body, byte[] signed, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (context.Setting("sharedSecret") is { } secret)
        {
            request.Headers.TryAddWithoutValidation(WebhooksDestination.SignatureHeader,
                Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), signed)));
        }

        return await context.SendAsync(request, cancellationToken);
    }
}
