using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Junction.Testing;

namespace Junction.Ingest.Tests.Tracking;

/// <summary>
/// A corpus of malformed requests. Each gets a 4xx with a JSON message a person can act on (or, for a batch, its
/// bad items listed), never a 5xx, and the server keeps serving afterwards.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private static readonly string ValidKey = "KEY";
    private JunctionTestServer _server = null!;
    private string _writeKey = "";

    public static TheoryData<string, string, string, string?, string?, int, string> Corpus => new()
    {
        // name, path, body (KEY is replaced by the write key; \xNN bytes are raw), content encoding, authorization, status, code
        { "truncated JSON", "v1/track", """{"userId":"u","event":"E" """, null, "basic", 400, "invalid_json" },
        { "not JSON at all", "v1/track", "userId=u&event=E", null, "basic", 400, "invalid_json" },
        { "empty body", "v1/track", "", null, "basic", 400, "invalid_json" },
        { "JSON null", "v1/track", "null", null, "basic", 400, "invalid_body" },
        { "JSON array", "v1/identify", "[1,2]", null, "basic", 400, "invalid_body" },
        { "invalid UTF-8 in a string", "v1/track", "{\"userId\":\"\\xff\\xfe\",\"event\":\"E\"}", null, "basic", 400, "invalid_json" },
        { "raw control character in a string", "v1/track", "{\"userId\":\"a\\x01b\",\"event\":\"E\"}", null, "basic", 400, "invalid_json" },
        { "lone surrogate escape in userId", "v1/track", """{"userId":"\ud800","event":"E"}""", null, "basic", 400, "invalid_text" },
        { "lone surrogate escape in event", "v1/track", """{"userId":"u","event":"\udfff"}""", null, "basic", 400, "invalid_text" },
        { "deep nesting", "v1/track", "{\"userId\":\"u\",\"event\":\"E\",\"properties\":" + new string('[', 300) + new string(']', 300) + "}", null, "basic", 400, "invalid_json" },
        { "a field Junction reads appears twice", "v1/track", """{"userId":"u","userId":"v","event":"E"}""", null, "basic", 400, "duplicate_field" },
        { "huge string", "v1/track", "{\"userId\":\"u\",\"event\":\"" + new string('e', 40_000) + "\"}", null, "basic", 400, "body_too_large" },
        { "oversize batch", "v1/batch", "{\"batch\":[" + string.Join(',', Enumerable.Repeat("{\"type\":\"track\",\"userId\":\"u\",\"event\":\"" + new string('x', 1000) + "\"}", 600)) + "]}", null, "basic", 400, "body_too_large" },
        { "userId is an object", "v1/track", """{"userId":{"id":1},"event":"E"}""", null, "basic", 400, "id_not_string" },
        { "anonymousId is an array", "v1/page", """{"anonymousId":["a"]}""", null, "basic", 400, "id_not_string" },
        { "messageId is a boolean", "v1/track", """{"userId":"u","event":"E","messageId":true}""", null, "basic", 400, "id_not_string" },
        { "event is an array", "v1/track", """{"userId":"u","event":["E"]}""", null, "basic", 400, "event_not_string" },
        { "properties is a string", "v1/track", """{"userId":"u","event":"E","properties":"x"}""", null, "basic", 400, "properties_not_object" },
        { "traits is a number", "v1/identify", """{"userId":"u","traits":5}""", null, "basic", 400, "traits_not_object" },
        { "context is a string", "v1/identify", """{"userId":"u","context":"c"}""", null, "basic", 400, "context_not_object" },
        { "integrations is an array", "v1/identify", """{"userId":"u","integrations":[]}""", null, "basic", 400, "integrations_not_object" },
        { "timestamp is a boolean", "v1/track", """{"userId":"u","event":"E","timestamp":true}""", null, "basic", 400, "timestamp_invalid" },
        { "timestamp is not a date", "v1/track", """{"userId":"u","event":"E","timestamp":"2026-13-45"}""", null, "basic", 400, "timestamp_invalid" },
        { "groupId is an object", "v1/group", """{"userId":"u","groupId":{}}""", null, "basic", 400, "id_not_string" },
        { "batch is an object", "v1/batch", """{"batch":{"type":"track"}}""", null, "basic", 400, "batch_not_array" },
        { "batch sentAt is an object", "v1/batch", """{"batch":[],"sentAt":{}}""", null, "basic", 400, "timestamp_invalid" },
        { "batch context is a number", "v1/batch", """{"batch":[],"context":1}""", null, "basic", 400, "context_not_object" },
        { "gzip header on a plain body", "v1/track", """{"userId":"u","event":"E"}""", "gzip", "basic", 400, "bad_compression" },
        { "unknown content encoding", "v1/track", """{"userId":"u","event":"E"}""", "zstd", "basic", 400, "unsupported_content_encoding" },
        { "Basic auth that is not base64", "v1/track", """{"userId":"u","event":"E"}""", null, "Basic !!!not-base64!!!", 401, "invalid_authorization" },
        { "Basic auth with invalid UTF-8", "v1/track", """{"userId":"u","event":"E"}""", null, "Basic //79", 401, "invalid_authorization" },
        { "an unknown auth scheme", "v1/track", """{"userId":"u","event":"E"}""", null, "Digest abc", 401, "invalid_authorization" },
        { "Basic auth with an empty key", "v1/track", """{"userId":"u","event":"E"}""", null, "Basic Og==", 401, "invalid_authorization" },
        { "writeKey in the body is a number", "v1/track", """{"writeKey":5,"userId":"u","event":"E"}""", null, null, 401, "write_key_missing" },
    };

    public async ValueTask InitializeAsync()
    {
        _server = await JunctionTestServer.StartAsync();
        (_, _writeKey) = await _server.CreateSourceAsync();
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task AMalformedRequestGetsA4xxWithAClearMessage(
        string name, string path, string body, string? encoding, string? authorization, int status, string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(RawBytes(body.Replace(ValidKey, _writeKey, StringComparison.Ordinal))) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (encoding is not null)
        {
            request.Content.Headers.ContentEncoding.Add(encoding);
        }

        if (authorization == "basic")
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(_writeKey + ":")));
        }
        else if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await _server.Http.SendAsync(request);

        Assert.True((int)response.StatusCode == status, $"{name}: expected {status}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var answer = await response.JsonAsync();
        Assert.Equal(code, answer.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(answer.GetProperty("message").GetString()));

        await AssertStillServingAsync();
    }

    [Fact]
    public async Task BadItemsInABatchAreListedAndTheGoodOnesKept()
    {
        var response = await _server.PostTrackingAsync("v1/batch", """
            {"batch":[5,"text",null,{"type":7,"userId":"u"},{"type":"track","userId":"\ud800","event":"E"},{"type":"track","userId":"u","event":"E"}]}
            """, _writeKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rejected = (await response.JsonAsync()).GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("code").GetString()).ToList();
        Assert.Equal(["event_not_object", "event_not_object", "event_not_object", "type_invalid", "invalid_text"], rejected);
    }

    [Fact]
    public async Task ValidButExtremeValuesAreAcceptedAsTheyCame()
    {
        var response = await _server.PostTrackingAsync(
            "v1/track",
            "{\"userId\":1e400,\"event\":\"E\",\"properties\":{\"big\":" + new string('9', 5000) + ",\"tiny\":-1e-400,\"emoji\":\"🎉\"}}",
            _writeKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task AssertStillServingAsync()
    {
        Assert.Equal(HttpStatusCode.OK, (await _server.Http.GetAsync("health")).StatusCode);
        var ok = await _server.PostTrackingAsync("v1/track", """{"userId":"u","event":"Still Here"}""", _writeKey);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    /// <summary>Turns the corpus text into bytes, where <c>\xNN</c> stands for one raw byte (to make invalid UTF-8).</summary>
    private static byte[] RawBytes(string text)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 3 < text.Length && text[i + 1] == 'x')
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 2, 2), 16));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        return [.. bytes];
    }
}
