using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Junction.Destinations.Framework;
using Junction.Workspace.Catalog;
using static Junction.Destinations.Framework.Payloads;

namespace Junction.Destinations.Catalog.Webhooks;

/// <summary>
/// Webhooks (classic): every event, whole, is posted to the global hook and to each configured hook with its own static
/// headers, signed with the shared secret when there is one. The event counts as delivered as soon as one URL takes
/// it; when none does, the result is the failure most worth retrying (see <see cref="Combine"/>).
/// </summary>
internal sealed class WebhooksDestination : IDestination
{
    public const string SignatureHeader = "X-Signature";
    public const string UserAgent = "Segment.io/1.0";
    public const int MaxHooks = 5;

    public static DestinationDefinition Definition { get; } = new(
        Id: "54521fdc25e721e32a72ef04",
        Slug: "webhooks",
        Name: "Webhooks",
        Description: "Posts each event, unchanged, as JSON to URLs you run, optionally signed with a shared secret so your server can check where it came from.",
        Categories: [DestinationCategories.Raw, DestinationCategories.Other],
        Website: "https://en.wikipedia.org/wiki/Webhook",
        Badge: new SourceBadge("WH", "#4A5568"),
        Settings:
        [
            new("globalHook", "Webhook URL", "An http(s) URL that receives every event with a POST request.", FieldType.String),
            new("hooks", "Webhooks",
                "Up to five more URLs, each with static headers: [{\"hook\": \"https://…\", \"headers\": [{\"key\": \"Authorization\", \"value\": \"…\"}]}] (headers may also be an object of names to values).",
                FieldType.Object),
            new("sharedSecret", "Shared secret",
                "When set, each request carries X-Signature: the hex HMAC-SHA1 of the request body keyed with this secret.", FieldType.Password),
        ],
        Actions:
        [
            new("send", "send", "Send event", "Posts the whole event to every configured URL.", DefaultTrigger: null, Fields: [],
                Classic: true, ClassicTypes: ["identify", "track", "page", "screen", "group", "alias"]),
        ],
        Presets: [],
        DefaultBaseUrl: "");

    DestinationDefinition IDestination.Definition => Definition;

    public async ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken)
    {
        var hooks = Hooks(context.Settings);
        if (hooks.Count == 0)
        {
            return SendResult.Invalid("No webhook URL is set: fill in globalHook or hooks with http(s) URLs.");
        }

        var body = Encoding.UTF8.GetBytes(batch.Items[0].Payload.ToJsonString(Requests.Wire));
        var signature = context.Setting("sharedSecret") is { } secret
            ? Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), body))
            : null;
        var results = await Task.WhenAll(hooks.Select(hook => PostAsync(context, hook, body, signature, cancellationToken)));
        return Combine(results);
    }

    /// <summary>
    /// One URL's success is the event's success. Otherwise a retryable failure wins over a permanent one (another try may
    /// still reach a URL that is down now), and among failures of the same kind the first URL's answer is reported.
    /// </summary>
    internal static SendResult Combine(IReadOnlyList<SendResult> results) =>
        results.FirstOrDefault(r => SendClassifier.Classify(r.Status) == SendOutcome.Delivered)
        ?? results.FirstOrDefault(r => SendClassifier.Classify(r.Status) == SendOutcome.Retry)
        ?? results[0];

    private static async Task<SendResult> PostAsync(SendContext context, Hook hook, byte[] body, string? signature, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        foreach (var (name, value) in hook.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(SignatureHeader, signature);
        }

        try
        {
            return await context.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // One unreachable or slow URL must not hide another URL's success, so it becomes a "no answer" result.
            return new SendResult(0, ex.Message);
        }
    }

    private sealed record Hook(Uri Url, IReadOnlyList<(string Name, string Value)> Headers);

    /// <summary>The global hook and the configured hooks whose URL is an absolute http(s) URL, at most six in all.</summary>
    private static List<Hook> Hooks(JsonObject settings)
    {
        var hooks = new List<Hook>();
        if (AbsoluteUrl(settings["globalHook"]) is { } global)
        {
            hooks.Add(new Hook(global, []));
        }

        foreach (var entry in (settings["hooks"] as JsonArray ?? []).OfType<JsonObject>().Take(MaxHooks))
        {
            if (AbsoluteUrl(entry["hook"]) is { } url)
            {
                hooks.Add(new Hook(url, [.. StaticHeaders(entry["headers"])]));
            }
        }

        return hooks;
    }

    private static IEnumerable<(string, string)> StaticHeaders(JsonNode? headers) => headers switch
    {
        JsonArray list => list.OfType<JsonObject>()
            .Where(h => JsonString(h["key"]) is not null)
            .Select(h => (JsonString(h["key"])!, JsonString(h["value"]) ?? "")),
        JsonObject map => map.Where(h => h.Key.Length > 0).Select(h => (h.Key, JsonString(h.Value) ?? "")),
        _ => [],
    };

    private static Uri? AbsoluteUrl(JsonNode? value) =>
        Uri.TryCreate(JsonString(value), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : null;
}
