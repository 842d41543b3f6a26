using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Junction.Protocols.Plans;
using Junction.Workspace.PublicApi;
using Microsoft.AspNetCore.Http;

namespace Junction.Protocols.ControlPlane;

/// <summary>
/// Reads rules from Public API input, collecting one error per wrong field and naming it (<c>rules[2].version</c>):
/// the <c>rules</c> array of a PUT or PATCH body (Segment's <c>RuleInputV1</c> / <c>UpsertRuleV1</c>), and the
/// <c>rules</c> query parameter of a DELETE, in the bracket form Segment's generated clients send
/// (<c>rules[0][type]=TRACK&amp;rules[0][key]=…&amp;rules[0][version]=1</c>) or as a JSON array.
/// </summary>
internal static partial class RuleInputReader
{
    /// <summary>The rules of a body's <c>rules</c> array; errors go to <paramref name="fields"/>.</summary>
    public static List<RuleInput> ReadBody(JsonFields fields, bool upsert)
    {
        var rules = new List<RuleInput>();
        if (fields.Array("rules", required: true) is not { } array)
        {
            return rules;
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var field = $"rules[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                fields.Fail(field, $"{field} must be a rule object ({{type, key, version, jsonSchema}}), not {JsonFields.Describe(item.ValueKind)}.");
                continue;
            }

            var type = ReadType(fields.Fail, field, item.TryGetProperty("type", out var t) ? t : default);
            var key = ReadOptionalString(fields.Fail, field, item, "key");
            var newKey = upsert ? ReadOptionalString(fields.Fail, field, item, "newKey") : null;
            var version = ReadVersion(fields.Fail, field, item.TryGetProperty("version", out var v) ? v : default);
            if (!item.TryGetProperty("jsonSchema", out var schema) || schema.ValueKind == JsonValueKind.Null)
            {
                fields.Fail($"{field}.jsonSchema", $"{field}.jsonSchema is required: the rule's JSON Schema (draft-07).");
            }

            if (type is { } ruleType && version is { } number && schema.ValueKind != JsonValueKind.Undefined)
            {
                rules.Add(new RuleInput(ruleType, key, number, schema.Clone(), newKey));
            }
        }

        return rules;
    }

    /// <summary>The rules named by a DELETE's <c>rules</c> query parameter, or the 422 to answer.</summary>
    public static (List<RuleRef> Rules, IResult? Error) ReadQuery(HttpRequest request)
    {
        var errors = new List<ApiError>();
        var rules = new List<RuleRef>();
        var json = request.Query["rules"].ToString();
        if (json.StartsWith('[') || json.StartsWith('{'))
        {
            ReadJson(json, rules, errors);
        }
        else
        {
            ReadBrackets(request, rules, errors);
        }

        if (errors.Count == 0 && rules.Count == 0)
        {
            errors.Add(new ApiError("input-validation",
                "rules is required: the rules to remove, as rules[0][type]=TRACK&rules[0][key]=Order%20Completed&rules[0][version]=1 or a JSON array.", "rules"));
        }

        return errors.Count == 0
            ? (rules, null)
            : ([], Results.Json(new ApiErrors(errors), ApiResults.Json, statusCode: StatusCodes.Status422UnprocessableEntity));
    }

    private static void ReadJson(string json, List<RuleRef> rules, List<ApiError> errors)
    {
        JsonElement parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<JsonElement>(json);
        }
        catch (JsonException ex)
        {
            errors.Add(new ApiError("input-validation", $"rules is not valid JSON: {ex.Message}", "rules"));
            return;
        }

        var items = parsed.ValueKind == JsonValueKind.Array ? parsed.EnumerateArray().ToList() : [parsed];
        void Fail(string field, string message) => errors.Add(new ApiError("input-validation", message, field));
        for (var i = 0; i < items.Count; i++)
        {
            var field = $"rules[{i}]";
            if (items[i].ValueKind != JsonValueKind.Object)
            {
                errors.Add(new ApiError("input-validation", $"{field} must be an object {{type, key, version}}.", field));
                continue;
            }

            var type = ReadType(Fail, field, items[i].TryGetProperty("type", out var t) ? t : default);
            var key = ReadOptionalString(Fail, field, items[i], "key");
            var version = ReadVersion(Fail, field, items[i].TryGetProperty("version", out var v) ? v : default);
            if (type is { } ruleType && version is { } number)
            {
                rules.Add(new RuleRef(ruleType, key, number));
            }
        }
    }

    private static void ReadBrackets(HttpRequest request, List<RuleRef> rules, List<ApiError> errors)
    {
        var parts = new SortedDictionary<int, Dictionary<string, string>>();
        foreach (var (name, values) in request.Query)
        {
            if (BracketKey().Match(name) is { Success: true } match)
            {
                var index = int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture);
                if (!parts.TryGetValue(index, out var rule))
                {
                    parts[index] = rule = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                rule[match.Groups["field"].Value] = values.ToString();
            }
        }

        void Fail(string field, string message) => errors.Add(new ApiError("input-validation", message, field));
        foreach (var (index, rule) in parts)
        {
            var field = $"rules[{index}]";
            var type = ReadType(Fail, field, rule.TryGetValue("type", out var t) ? JsonSerializer.SerializeToElement(t) : default);
            var version = rule.TryGetValue("version", out var v) && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
                ? n
                : (int?)null;
            if (version is null)
            {
                Fail($"{field}.version", $"{field}.version is required: a whole number from 1.");
            }

            var key = rule.TryGetValue("key", out var k) && k.Length > 0 ? k : null;
            if (type is { } ruleType && version is { } number)
            {
                rules.Add(new RuleRef(ruleType, key, number));
            }
        }
    }

    private static RuleType? ReadType(Action<string, string> fail, string field, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String && RuleTypes.Parse(value.GetString()) is { } type)
        {
            return type;
        }

        fail($"{field}.type", $"{field}.type must be one of COMMON, TRACK, IDENTIFY, GROUP, PAGE, SCREEN.");
        return null;
    }

    private static int? ReadVersion(Action<string, string> fail, string field, JsonElement value)
    {
        if (ProtocolsJson.PositiveInt(value) is { } version)
        {
            return version;
        }

        fail($"{field}.version", $"{field}.version is required: a whole number from 1.");
        return null;
    }

    private static string? ReadOptionalString(Action<string, string> fail, string field, JsonElement item, string name)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            return text.Length == 0 && name == "key" ? null : text;
        }

        fail($"{field}.{name}", $"{field}.{name} must be a string, not {JsonFields.Describe(value.ValueKind)}.");
        return null;
    }

    [GeneratedRegex(@"^rules\[(?<index>\d{1,4})\](?:\[(?<field>type|key|version)\]|\.(?<field>type|key|version))$")]
    private static partial Regex BracketKey();
}
