using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Junction.Workspace.PublicApi;

/// <summary>
/// Answers in the Public API's shapes: success is <c>{"data": …}</c>, failure is
/// <c>{"errors": [{"type", "message", "field"?}]}</c>, never both. Segment's clients rely on exactly this:
/// <c>unwrap()</c> returns <c>data</c> and throws <c>errors[0]</c>.
/// </summary>
internal static class ApiResults
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static IResult Data(object data) => Results.Json(new { data }, Json);

    public static IResult Created(object data) => Results.Json(new { data }, Json, statusCode: StatusCodes.Status201Created);

    public static IResult Error(int status, string type, string message, string? field = null) =>
        Results.Json(new ApiErrors([new ApiError(type, message, field)]), Json, statusCode: status);

    public static IResult NotFound(string what) =>
        Error(StatusCodes.Status404NotFound, "not-found", $"{what} not found.");

    public static IResult Invalid(string message, string? field = null) =>
        Error(StatusCodes.Status422UnprocessableEntity, "input-validation", message, field);

    public static IResult Unauthorized(string message) =>
        Error(StatusCodes.Status401Unauthorized, "unauthorized", message);

    public static IResult Forbidden(string message) =>
        Error(StatusCodes.Status403Forbidden, "forbidden", message);

    public static IResult Conflict(string message, string? field = null) =>
        Error(StatusCodes.Status409Conflict, "conflict", message, field);
}

internal sealed record ApiErrors(IReadOnlyList<ApiError> Errors);

internal sealed record ApiError(
    string Type,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field);
