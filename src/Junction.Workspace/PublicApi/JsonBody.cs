using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Junction.Workspace.PublicApi;

/// <summary>
/// Reads a Public API request body as one JSON object, whatever the Content-Type says. Endpoints read their bodies
/// with this rather than through parameter binding, so that a malformed body gets the Public API's error envelope
/// (400) instead of ASP.NET's ProblemDetails.
/// </summary>
internal static class JsonBody
{
    /// <summary>Control-plane bodies are small; anything larger is refused with 413.</summary>
    public const int MaxBytes = 1024 * 1024;

    public static async Task<JsonObjectRead> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return TooLarge();
            }

            await buffer.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
        }

        if (buffer.Length == 0)
        {
            return Malformed("The request body is empty: send a JSON object.");
        }

        JsonElement body;
        try
        {
            body = JsonSerializer.Deserialize<JsonElement>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        catch (JsonException ex)
        {
            return Malformed($"The request body is not valid JSON: {ex.Message}");
        }

        return body.ValueKind == JsonValueKind.Object
            ? new JsonObjectRead(body, null)
            : Malformed($"The request body must be a JSON object, not {JsonFields.Describe(body.ValueKind)}.");
    }

    private static JsonObjectRead Malformed(string message) =>
        new(default, ApiResults.Error(StatusCodes.Status400BadRequest, "bad-request", message));

    private static JsonObjectRead TooLarge() =>
        new(default, ApiResults.Error(StatusCodes.Status413PayloadTooLarge, "payload-too-large", $"The request body is over {MaxBytes} bytes."));
}

/// <summary>A request body read as a JSON object, or the error to answer instead.</summary>
internal readonly record struct JsonObjectRead(JsonElement Body, IResult? Error);

/// <summary>
/// Reads typed fields from a JSON object body and collects one error per wrongly typed or missing field, each naming
/// the field. A field that is absent or <c>null</c> reads as not given.
/// </summary>
internal sealed class JsonFields(JsonElement body)
{
    private readonly List<ApiError> _errors = [];

    /// <summary>The 422 answer listing every field error, or null when all fields read well.</summary>
    public IResult? Errors => _errors.Count == 0
        ? null
        : Results.Json(new ApiErrors(_errors), ApiResults.Json, statusCode: StatusCodes.Status422UnprocessableEntity);

    public string? String(string name, bool required = false) =>
        TryGet(name, required, JsonValueKind.String, "a string", out var value) ? value.GetString() : null;

    public bool? Boolean(string name, bool required = false) =>
        TryGet(name, required, JsonValueKind.True, "true or false", out var value) ? value.GetBoolean() : null;

    public JsonElement? Object(string name, bool required = false) =>
        TryGet(name, required, JsonValueKind.Object, "a JSON object", out var value) ? value : null;

    public JsonElement? Array(string name, bool required = false) =>
        TryGet(name, required, JsonValueKind.Array, "an array", out var value) ? value : null;

    /// <summary>Records an error about one input found while reading inside a field (an array item, a nested member).</summary>
    public void Fail(string field, string message) => _errors.Add(new ApiError("input-validation", message, field));

    /// <summary>How a JSON value is named in error messages.</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private bool TryGet(string name, bool required, JsonValueKind expected, string expectedText, out JsonElement value)
    {
        if (!body.TryGetProperty(name, out value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                _errors.Add(new ApiError("input-validation", $"{name} is required.", name));
            }

            return false;
        }

        var matches = value.ValueKind == expected || (expected == JsonValueKind.True && value.ValueKind == JsonValueKind.False);
        if (!matches)
        {
            _errors.Add(new ApiError("input-validation", $"{name} must be {expectedText}, not {Describe(value.ValueKind)}.", name));
        }

        return matches;
    }
}
