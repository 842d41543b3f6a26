using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Junction.Destinations.Framework;

/// <summary>
/// Sending one request of a batch and reading the answer into a <see cref="SendResult"/>
/// (<see cref="SendResult.FromResponseAsync"/>): <c>await context.SendJsonAsync(HttpMethod.Post, context.Url("/track"), body, null, ct)</c>.
/// </summary>
internal static class Requests
{
    /// <summary>Writes JSON as the tools' own SDKs do: compact, with non-ASCII characters and <c>+</c> left readable.</summary>
    public static readonly JsonSerializerOptions Wire = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>An <c>application/json</c> (UTF-8) body written with <see cref="Wire"/>.</summary>
    public static StringContent Json(JsonNode body) => new(body.ToJsonString(Wire), Encoding.UTF8, "application/json");

    /// <summary>An <c>application/x-www-form-urlencoded</c> body; fields whose value is null are left out.</summary>
    public static FormUrlEncodedContent Form(IEnumerable<(string Key, string? Value)> fields) =>
        new(fields.Where(f => f.Value is not null).Select(f => KeyValuePair.Create(f.Key, f.Value!)));

    /// <summary>Sends <paramref name="request"/> and reads the answer.</summary>
    public static async Task<SendResult> SendAsync(this SendContext context, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await context.Http.SendAsync(request, cancellationToken);
        return await SendResult.FromResponseAsync(response, context.Time, cancellationToken);
    }

    /// <summary>Sends <paramref name="content"/> with the headers <paramref name="headers"/> sets, and reads the answer.</summary>
    public static async Task<SendResult> SendAsync(
        this SendContext context, HttpMethod method, Uri url, HttpContent? content, Action<HttpRequestHeaders>? headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        headers?.Invoke(request.Headers);
        return await context.SendAsync(request, cancellationToken);
    }

    /// <summary>Sends <paramref name="body"/> as JSON and reads the answer.</summary>
    public static Task<SendResult> SendJsonAsync(
        this SendContext context, HttpMethod method, Uri url, JsonNode body, Action<HttpRequestHeaders>? headers, CancellationToken cancellationToken) =>
        context.SendAsync(method, url, Json(body), headers, cancellationToken);

    /// <summary>Posts <paramref name="fields"/> as a form (null values left out) and reads the answer.</summary>
    public static Task<SendResult> PostFormAsync(
        this SendContext context, Uri url, IEnumerable<(string Key, string? Value)> fields, CancellationToken cancellationToken) =>
        context.SendAsync(HttpMethod.Post, url, Form(fields), null, cancellationToken);

    /// <summary>
    /// Sends <paramref name="body"/> as JSON and reads the answer, returning its whole body beside the result (whose
    /// <see cref="SendResult.Body"/> is cut short), for a destination that reads what the tool answered.
    /// </summary>
    public static async Task<Reply> CallJsonAsync(
        this SendContext context, HttpMethod method, Uri url, JsonNode body, Action<HttpRequestHeaders>? headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url) { Content = Json(body) };
        headers?.Invoke(request.Headers);
        using var response = await context.Http.SendAsync(request, cancellationToken);

        // The content is buffered, so it can be read whole here and again (cut short) for the result.
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new Reply(await SendResult.FromResponseAsync(response, context.Time, cancellationToken), text);
    }

    /// <summary>Reads an answer's body as JSON, or null when it is empty or not JSON (a proxy's error page).</summary>
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
}

/// <summary>What the tool answered to a <see cref="Requests.CallJsonAsync"/>: the result and the whole response body.</summary>
internal readonly record struct Reply(SendResult Result, string Body)
{
    /// <summary>The body as JSON, or null when it is not JSON.</summary>
    public JsonNode? Json() => Requests.ParseBody(Body);
}
