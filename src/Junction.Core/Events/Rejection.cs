namespace Junction.Events;

/// <summary>Why an event or a request was refused: a stable code, a sentence for people, and the field at fault.</summary>
internal sealed record Rejection(string Code, string Message, string? Field = null)
{
    public static Rejection IdNotString(string field) =>
        new("id_not_string", $"\"{field}\" must be a string (or a number).", field);

    public static readonly Rejection NoUserOrAnonymousId =
        new("no_user_anon_id", "Every event needs a \"userId\" or an \"anonymousId\" (a non-empty string).", "userId");

    public static Rejection IdTooLong(string field, int max) =>
        new("id_too_long", $"\"{field}\" is longer than {max} characters.", field);

    public static readonly Rejection EventNotDefined =
        new("event_not_defined", "A track call needs an \"event\" name: a non-empty string such as \"Order Completed\".", "event");

    public static readonly Rejection EventNotString =
        new("event_not_string", "\"event\" must be a string, such as \"Order Completed\".", "event");

    public static Rejection NotObject(string field) =>
        new($"{field}_not_object", $"\"{field}\" must be a JSON object.", field);

    public static Rejection NotString(string field) =>
        new($"{field}_not_string", $"\"{field}\" must be a string.", field);

    public static Rejection Required(string field, string call) =>
        new($"{field}_required", $"A {call} call needs \"{field}\" (a non-empty string).", field);

    public static Rejection InvalidTimestamp(string field) =>
        new("timestamp_invalid", $"\"{field}\" must be an ISO-8601 date-time string such as \"2026-11-28T21:07:09.726Z\".", field);

    public static readonly Rejection TypeRequired =
        new("type_required", "Each event in a batch needs a \"type\": identify, track, page, screen, group or alias.", "type");

    public static readonly Rejection TypeInvalid =
        new("type_invalid", "\"type\" must be one of identify, track, page, screen, group or alias.", "type");

    public static readonly Rejection InvalidText =
        new("invalid_text", "The event contains an escaped lone surrogate (such as \\ud800), which is not valid Unicode text.");

    public static Rejection DuplicateField(string field) =>
        new("duplicate_field", $"\"{field}\" appears more than once in the event; send it once.", field);

    public static readonly Rejection NotAnObject =
        new("event_not_object", "Each event must be a JSON object.");

    public static Rejection MessageIdTooLong(int max) =>
        new("message_id_too_long", $"\"messageId\" is longer than {max} characters.", "messageId");

    public static Rejection EventTooLarge(int max) =>
        new("event_too_large", $"The event is larger than {max / 1024} KB.");

    public static Rejection TooManyEvents(int max) =>
        new("batch_too_many_events", $"A batch holds at most {max:N0} events; this one was beyond that.");
}
