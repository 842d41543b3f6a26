using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Junction.Events;
using Microsoft.AspNetCore.Http;

namespace Junction.Ingest.Tracking;

/// <summary>An item of a batch that was refused, as listed in the batch's answer.</summary>
internal sealed record RejectedItem(
    int Index,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MessageId,
    string Code,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field);

internal sealed record BatchAnswerBody(bool Success, IReadOnlyList<RejectedItem> Rejected);

internal sealed record ErrorAnswerBody(
    bool Success,
    string Code,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(BatchAnswerBody))]
[JsonSerializable(typeof(ErrorAnswerBody))]
internal sealed partial class TrackingJsonContext : JsonSerializerContext
{
    /// <summary>Source-generated, and without escaping apostrophes and non-ASCII letters, so messages read as written.</summary>
    public static TrackingJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}

/// <summary>The Tracking API's answer to one request.</summary>
internal sealed class TrackingAnswer
{
    private static readonly byte[] SuccessBody = """{"success":true}"""u8.ToArray();

    private TrackingAnswer(int status, Rejection? error, IReadOnlyList<RejectedItem>? rejected, TimeSpan? retryAfter)
    {
        Status = status;
        Error = error;
        RejectedItems = rejected ?? [];
        RetryAfter = retryAfter;
    }

    public static TrackingAnswer Success { get; } = new(StatusCodes.Status200OK, null, null, null);

    public int Status { get; }

    public Rejection? Error { get; }

    public IReadOnlyList<RejectedItem> RejectedItems { get; }

    public TimeSpan? RetryAfter { get; }

    /// <summary>A batch was accepted; its refused items, if any, are listed.</summary>
    public static TrackingAnswer Batch(IReadOnlyList<RejectedItem> rejected) =>
        rejected.Count == 0 ? Success : new(StatusCodes.Status200OK, null, rejected, null);

    public static TrackingAnswer Refused(int status, Rejection error, TimeSpan? retryAfter = null) => new(status, error, null, retryAfter);

    public Task WriteAsync(HttpResponse response)
    {
        response.StatusCode = Status;
        response.ContentType = "application/json";
        if (RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (Error is { } error)
        {
            return JsonSerializer.SerializeAsync(
                response.Body, new ErrorAnswerBody(false, error.Code, error.Message, error.Field), TrackingJsonContext.Readable.ErrorAnswerBody);
        }

        if (RejectedItems.Count > 0)
        {
            return JsonSerializer.SerializeAsync(
                response.Body, new BatchAnswerBody(true, RejectedItems), TrackingJsonContext.Readable.BatchAnswerBody);
        }

        response.ContentLength = SuccessBody.Length;
        return response.Body.WriteAsync(SuccessBody).AsTask();
    }
}
