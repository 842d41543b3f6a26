using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Destinations.Framework;

namespace Junction.Web.Destinations.Settings;

/// <summary>
/// One setting as the Settings tab edits it: the text (or switch) on screen, what was saved, and for a secret whether
/// it is being replaced. A secret is never on screen: the tab shows its masked form and sends nothing for it unless
/// the person replaces it.
/// </summary>
internal sealed class SettingDraft(SettingDefinition definition, bool advanced)
{
    public SettingDefinition Definition { get; } = definition;

    public string Key => Definition.Key;

    /// <summary>Whether it is shown under Advanced (the base URL override).</summary>
    public bool Advanced { get; } = advanced;

    /// <summary>The text in the field: every type but a switch; for a secret, the new secret being typed.</summary>
    public string Text { get; set; } = "";

    /// <summary>A switch's position.</summary>
    public bool Flag { get; set; }

    /// <summary>A saved secret as the service shows it (<c>••••abcd</c>), or null when none is saved.</summary>
    public string? StoredMask { get; set; }

    /// <summary>Whether a new secret is being typed in place of the saved one (always, when none is saved).</summary>
    public bool Replacing { get; set; }

    /// <summary>What is wrong with the value: a local check as it is typed, or the service's refusal after Save.</summary>
    public string? Error { get; set; }

    internal string SavedText { get; set; } = "";

    internal bool SavedFlag { get; set; }

    internal bool SavedPresent { get; set; }

    public bool IsChanged => Definition.Type switch
    {
        FieldType.Boolean => Flag != SavedFlag,
        FieldType.Password => Replacing && Text.Length > 0,
        _ => Text != SavedText,
    };
}

/// <summary>
/// The Settings tab's form for one destination, built from its catalog definition (<see cref="SettingDefinition"/>)
/// and the settings the service shows (secrets masked). <see cref="Changes"/> makes the settings object of
/// <c>DestinationService.UpdateAsync</c>, which merges it at the top level: only the settings that were changed are
/// sent, an emptied field is sent as null (removed), and a secret is sent only when it was replaced.
/// </summary>
internal sealed class SettingsDraft
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private SettingsDraft(IReadOnlyList<SettingDraft> fields) => Fields = fields;

    /// <summary>The destination's settings in the definition's order, then the base URL override.</summary>
    public IReadOnlyList<SettingDraft> Fields { get; }

    public bool IsChanged => Fields.Any(f => f.IsChanged);

    public bool HasErrors => Fields.Any(f => f.Error is not null);

    public static SettingsDraft For(DestinationDefinition definition, JsonObject saved)
    {
        var baseUrl = new SettingDefinition(
            DestinationDefinition.BaseUrlSetting,
            "Base URL",
            definition.DefaultBaseUrl.Length > 0
                ? $"Replaces {definition.Name}'s API address, {definition.DefaultBaseUrl}, for a proxy, a region or a test server. Leave it empty to use the usual address."
                : $"An http(s) address that replaces {definition.Name}'s API address, for a proxy or a test server. Leave it empty to use the usual address.",
            FieldType.String);
        var fields = definition.Settings.Select(s => new SettingDraft(s, advanced: false))
            .Append(new SettingDraft(baseUrl, advanced: true))
            .ToList();
        foreach (var field in fields)
        {
            Load(field, saved[field.Key]);
        }

        return new SettingsDraft(fields);
    }

    public SettingDraft? Find(string key) => Fields.FirstOrDefault(f => string.Equals(f.Key, key, StringComparison.Ordinal));

    /// <summary>Checks a field's text as it is typed: numbers must be numbers and JSON must be an object or an array.</summary>
    public static void Check(SettingDraft field)
    {
        field.Error = field.Text.Trim().Length == 0 ? null : Parse(field, out _);
    }

    /// <summary>The changed settings as the service takes them, or null (with each field's error set) when one is not valid.</summary>
    public JsonObject? Changes()
    {
        var changes = new JsonObject();
        foreach (var field in Fields.Where(f => f.IsChanged))
        {
            if (field.Definition.Type == FieldType.Boolean)
            {
                changes[field.Key] = field.Flag;
                continue;
            }

            if (field.Text.Trim().Length == 0)
            {
                if (field.SavedPresent)
                {
                    changes[field.Key] = null;
                }

                continue;
            }

            field.Error = Parse(field, out var value);
            if (field.Error is null)
            {
                changes[field.Key] = value;
            }
        }

        return HasErrors ? null : changes;
    }

    /// <summary>The required settings that are not saved: while any is missing the service refuses to enable the destination.</summary>
    public static IReadOnlyList<SettingDefinition> MissingRequired(DestinationDefinition definition, JsonObject saved) =>
        definition.Settings.Where(s => s.Required && (saved[s.Key] is null || saved[s.Key] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length == 0))
            .ToList();

    private static void Load(SettingDraft field, JsonNode? value)
    {
        field.SavedPresent = value is not null;
        switch (field.Definition.Type)
        {
            case FieldType.Boolean:
                field.SavedFlag = value is JsonValue flag && flag.TryGetValue<bool>(out var on) && on;
                field.Flag = field.SavedFlag;
                return;
            case FieldType.Password:
                field.StoredMask = value is JsonValue masked && masked.TryGetValue<string>(out var mask) && mask.Length > 0 ? mask : null;
                field.Replacing = field.StoredMask is null;
                field.SavedPresent = field.StoredMask is not null;
                return;
            case FieldType.Object:
                field.SavedText = value is null ? "" : value.ToJsonString(Indented);
                break;
            default:
                field.SavedText = value switch
                {
                    null => "",
                    JsonValue text when text.TryGetValue<string>(out var s) => s,
                    _ => value.ToJsonString(),
                };
                break;
        }

        field.Text = field.SavedText;
    }

    private static string? Parse(SettingDraft field, out JsonNode? value)
    {
        var text = field.Text.Trim();
        value = null;
        switch (field.Definition.Type)
        {
            case FieldType.Number:
                if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    return "Enter a number, such as 10 or 2.5.";
                }

                value = JsonValue.Create(number);
                return null;
            case FieldType.Integer:
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
                {
                    return "Enter a whole number, such as 100.";
                }

                value = JsonValue.Create(whole);
                return null;
            case FieldType.Object:
                try
                {
                    value = JsonNode.Parse(text);
                }
                catch (JsonException e)
                {
                    return "This is not valid JSON: " + e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0];
                }

                return value is JsonObject or JsonArray ? null : "Enter a JSON object ({…}) or array ([…]).";
            case FieldType.Text:
            case FieldType.Password:
                value = field.Text;
                return null;
            default:
                value = text;
                return null;
        }
    }
}
