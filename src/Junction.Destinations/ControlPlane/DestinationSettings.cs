using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Destinations.Framework;
using Junction.Workspace;
using Junction.Workspace.Secrets;

namespace Junction.Destinations.ControlPlane;

/// <summary>
/// A destination's settings as its catalog definition describes them: checked on every change (known keys, types,
/// select choices, required settings while enabled), stored with every secret (a <see cref="FieldType.Password"/>
/// setting) encrypted by <see cref="SecretProtector"/> as <c>{"$protected": "…"}</c>, and shown back with secrets
/// masked. A change that sends a secret's masked form back leaves the stored secret as it is, so that a client may
/// send back what it read.
/// </summary>
internal sealed class DestinationSettings(SecretProtector protector)
{
    private const string ProtectedKey = "$protected";

    /// <summary>How a masked secret starts, whatever its length.</summary>
    private static readonly string MaskPrefix = SecretProtector.Mask("x");

    /// <summary>The settings in clear, secrets decrypted; a secret that cannot be decrypted reads as missing.</summary>
    public JsonObject Unprotect(string storedJson)
    {
        var stored = JsonNode.Parse(storedJson) as JsonObject ?? [];
        var plain = new JsonObject();
        foreach (var (key, value) in stored)
        {
            if (IsProtected(value, out var cipher))
            {
                if (protector.Unprotect(cipher) is { } secret)
                {
                    plain[key] = secret;
                }
            }
            else
            {
                plain[key] = value?.DeepClone();
            }
        }

        return plain;
    }

    /// <summary>The settings as stored: every secret setting of <paramref name="definition"/> encrypted.</summary>
    public string Protect(DestinationDefinition definition, JsonObject plain)
    {
        var secrets = SecretKeys(definition);
        var stored = new JsonObject();
        foreach (var (key, value) in plain)
        {
            stored[key] = secrets.Contains(key) && value is JsonValue text && text.TryGetValue<string>(out var secret)
                ? new JsonObject { [ProtectedKey] = protector.Protect(secret) }
                : value?.DeepClone();
        }

        return stored.ToJsonString();
    }

    /// <summary>The settings as every answer shows them: each secret masked (<c>••••abcd</c>), never whole.</summary>
    public static JsonObject Masked(DestinationDefinition definition, JsonObject plain)
    {
        var secrets = SecretKeys(definition);
        var shown = new JsonObject();
        foreach (var (key, value) in plain)
        {
            shown[key] = secrets.Contains(key) ? SecretProtector.Mask(value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null) : value?.DeepClone();
        }

        return shown;
    }

    /// <summary>A new instance's settings: the definition's defaults, then the given values.</summary>
    public static Outcome<JsonObject> ForNew(DestinationDefinition definition, JsonElement? given)
    {
        var plain = new JsonObject();
        foreach (var setting in definition.Settings.Where(s => s.Default is not null))
        {
            plain[setting.Key] = setting.Default!.DeepClone();
        }

        return given is { } input ? Merge(definition, plain, input) : plain;
    }

    /// <summary>
    /// Applies a change to the current settings, at the top level as a JSON merge patch does: each given key replaces
    /// the current value and a key given as null is removed. A secret sent back in its masked form is kept as stored.
    /// </summary>
    public static Outcome<JsonObject> Merge(DestinationDefinition definition, JsonObject current, JsonElement changes)
    {
        var merged = current.DeepClone().AsObject();
        foreach (var change in changes.EnumerateObject())
        {
            var setting = definition.Settings.FirstOrDefault(s => string.Equals(s.Key, change.Name, StringComparison.Ordinal));
            if (change.Value.ValueKind == JsonValueKind.Null)
            {
                merged.Remove(change.Name);
                continue;
            }

            if (setting is null && change.Name != DestinationDefinition.BaseUrlSetting)
            {
                var known = string.Join(", ", definition.Settings.Select(s => s.Key).Append(DestinationDefinition.BaseUrlSetting));
                return Problem.Invalid($"\"{change.Name}\" is not a setting of {definition.Name}; its settings are {known}.", Field(change.Name));
            }

            if (setting is { Secret: true } && change.Value.ValueKind == JsonValueKind.String
                && change.Value.GetString()!.StartsWith(MaskPrefix, StringComparison.Ordinal))
            {
                var stored = current[change.Name] is JsonValue value && value.TryGetValue<string>(out var secret) ? secret : null;
                if (stored is not null && change.Value.GetString() == SecretProtector.Mask(stored))
                {
                    continue;
                }

                return Problem.Invalid(
                    $"settings.{change.Name} looks like a masked secret; send the secret itself, or leave the key out to keep the stored one.",
                    Field(change.Name));
            }

            if (CheckValue(definition, setting, change.Name, change.Value) is { } problem)
            {
                return problem;
            }

            merged[change.Name] = JsonNode.Parse(change.Value.GetRawText());
        }

        return merged;
    }

    /// <summary>An enabled destination must have every required setting (a value that is not null or an empty string).</summary>
    public static Problem? CheckRequired(DestinationDefinition definition, JsonObject plain)
    {
        foreach (var setting in definition.Settings.Where(s => s.Required))
        {
            var value = plain[setting.Key];
            if (value is null || (value is JsonValue text && text.TryGetValue<string>(out var s) && s.Length == 0))
            {
                return Problem.Invalid(
                    $"settings.{setting.Key} ({setting.Label}) is required while the destination is enabled; set it, or create the destination disabled.",
                    Field(setting.Key));
            }
        }

        return null;
    }

    private static Problem? CheckValue(DestinationDefinition definition, SettingDefinition? setting, string key, JsonElement value)
    {
        if (setting is null)
        {
            return value.ValueKind == JsonValueKind.String
                && (value.GetString()!.Length == 0 || (Uri.TryCreate(value.GetString(), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)))
                ? null
                : Problem.Invalid($"settings.{key} must be an http(s) URL that replaces {definition.Name}'s API address.", Field(key));
        }

        var kind = value.ValueKind;
        var ok = setting.Type switch
        {
            FieldType.String or FieldType.Text or FieldType.Password => kind == JsonValueKind.String,
            FieldType.Datetime => kind == JsonValueKind.String
                && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            FieldType.Number => kind == JsonValueKind.Number,
            FieldType.Integer => kind == JsonValueKind.Number && value.TryGetInt64(out _),
            FieldType.Boolean => kind is JsonValueKind.True or JsonValueKind.False,
            FieldType.Object => kind is JsonValueKind.Object or JsonValueKind.Array,
            FieldType.Select => kind == JsonValueKind.String
                && (setting.Choices is not { Count: > 0 } choices || choices.Any(c => string.Equals(c.Value, value.GetString(), StringComparison.Ordinal))),
            _ => false,
        };
        if (ok)
        {
            return null;
        }

        var expected = setting.Type switch
        {
            FieldType.Datetime => "an ISO 8601 date and time",
            FieldType.Number => "a number",
            FieldType.Integer => "a whole number",
            FieldType.Boolean => "true or false",
            FieldType.Object => "a JSON object or array",
            FieldType.Select when setting.Choices is { Count: > 0 } choices =>
                "one of " + string.Join(", ", choices.Select(c => $"\"{c.Value}\"")),
            _ => "a string",
        };
        return Problem.Invalid($"settings.{key} ({setting.Label}) must be {expected}.", Field(key));
    }

    private static HashSet<string> SecretKeys(DestinationDefinition definition) =>
        definition.Settings.Where(s => s.Secret).Select(s => s.Key).ToHashSet(StringComparer.Ordinal);

    private static bool IsProtected(JsonNode? value, out string cipher)
    {
        cipher = "";
        if (value is JsonObject { Count: 1 } wrapper && wrapper[ProtectedKey] is JsonValue inner && inner.TryGetValue<string>(out var text))
        {
            cipher = text;
            return true;
        }

        return false;
    }

    private static string Field(string key) => "settings." + key;
}
