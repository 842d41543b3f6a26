using System.Text.Json;
using System.Text.RegularExpressions;

namespace Junction.Protocols.Plans.Schema;

/// <summary>
/// <c>minLength</c> and <c>maxLength</c> (counted in Unicode code points), <c>pattern</c> and <c>format</c>, for
/// string values.
/// </summary>
internal sealed class StringCheck(int? minLength, int? maxLength, Regex? pattern, string? patternText, FormatKind? format, string? formatName)
    : SchemaCheck
{
    public override bool Validate(JsonElement instance, SchemaRun run)
    {
        if (instance.ValueKind != JsonValueKind.String)
        {
            return true;
        }

        var valid = true;
        if (minLength is not null || maxLength is not null)
        {
            var length = JsonText.CodePoints(instance);
            if (length < minLength)
            {
                run.Report(ViolationTypes.InvalidLength, $"String length must be greater than or equal to {minLength}");
                valid = false;
            }
            else if (length > maxLength)
            {
                run.Report(ViolationTypes.InvalidLength, $"String length must be less than or equal to {maxLength}");
                valid = false;
            }

            if (!valid && !run.Collecting)
            {
                return false;
            }
        }

        if (pattern is null && format is null)
        {
            return valid;
        }

        Span<char> scratch = stackalloc char[JsonText.Scratch];
        var text = JsonText.Chars(instance, scratch);
        if (pattern is not null && !Patterns.IsMatch(pattern, text))
        {
            run.Report(ViolationTypes.PatternMismatch, $"Does not match pattern '{patternText}'");
            valid = false;
            if (!run.Collecting)
            {
                return false;
            }
        }

        if (format is { } kind && !Formats.IsValid(kind, text))
        {
            run.Report(ViolationTypes.InvalidFormat, $"Does not match format '{formatName}'");
            valid = false;
        }

        return valid;
    }
}
