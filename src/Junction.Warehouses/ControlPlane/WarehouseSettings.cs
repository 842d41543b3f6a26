using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Workspace;
using Junction.Workspace.Secrets;

namespace Junction.Warehouses.ControlPlane;

/// <summary>
/// A warehouse's connection settings as its kind's options describe them: checked on every change (known keys, types,
/// ranges, choices, required settings), stored with every secret (a <c>password</c> option) encrypted by
/// <see cref="SecretProtector"/> as <c>{"$protected": "…"}</c>, and shown back with secrets masked. A change that
/// sends a secret's masked form back keeps the stored secret, so that a client may send back what it read.
/// Two keys are not connection settings but accepted in <c>settings</c> too, because Segment's warehouse keeps its
/// name there and Segment's clients send only <c>settings</c>: <c>name</c> and Junction's <c>schemaFrozen</c>
/// (<see cref="ReadReserved"/>).
/// </summary>
internal sealed class WarehouseSettings(SecretProtector protector, string dataDirectory)
{
    public const string NameKey = "name";
    public const string SchemaFrozenKey = "schemaFrozen";
    private const string ProtectedKey = "$protected";

    /// <summary>How a masked secret starts, whatever its length.</summary>
    private static readonly string MaskPrefix = SecretProtector.Mask("x");

    /// <summary>The bytes a DuckDB database file carries after its 8-byte header checksum.</summary>
    private static readonly byte[] DuckDbMagic = "DUCK"u8.ToArray();

    /// <summary>The settings in clear, secrets decrypted; a secret that cannot be decrypted reads as missing.</summary>
    public JsonObject Unprotect(string storedJson)
    {
        var stored = JsonNode.Parse(storedJson) as JsonObject ?? [];
        var plain = new JsonObject();
        foreach (var (key, value) in stored)
        {
            if (value is JsonObject { Count: 1 } wrapper && wrapper[ProtectedKey] is JsonValue inner && inner.TryGetValue<string>(out var cipher))
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

    /// <summary>The settings as stored: every secret option of <paramref name="kind"/> encrypted.</summary>
    public string Protect(WarehouseKind kind, JsonObject plain)
    {
        var stored = new JsonObject();
        foreach (var (key, value) in plain)
        {
            stored[key] = kind.Option(key) is { Secret: true } && value is JsonValue text && text.TryGetValue<string>(out var secret)
                ? new JsonObject { [ProtectedKey] = protector.Protect(secret) }
                : value?.DeepClone();
        }

        return stored.ToJsonString();
    }

    /// <summary>The settings as every answer shows them: each secret masked (<c>••••abcd</c>), never whole.</summary>
    public static JsonObject Masked(WarehouseKind kind, JsonObject plain)
    {
        var shown = new JsonObject();
        foreach (var (key, value) in plain)
        {
            shown[key] = kind.Option(key) is { Secret: true }
                ? SecretProtector.Mask(value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null)
                : value?.DeepClone();
        }

        return shown;
    }

    /// <summary>
    /// The settings the loaders get: secrets in clear and, for DuckDB, <c>path</c> resolved to the full path of the file.
    /// </summary>
    public JsonObject Resolved(WarehouseKind kind, JsonObject plain)
    {
        var resolved = plain.DeepClone().AsObject();
        if (kind.Slug == WarehouseCatalog.DuckDbSlug)
        {
            resolved["path"] = DuckDbFile(plain);
        }

        return resolved;
    }

    /// <summary>The full path of a DuckDB warehouse's file: its <c>path</c> under the data directory, or the default file.</summary>
    public string DuckDbFile(JsonObject plain)
    {
        var given = plain["path"] is JsonValue value && value.TryGetValue<string>(out var text) ? text.Trim() : "";
        return Path.GetFullPath(Path.Combine(dataDirectory, given.Length == 0 ? WarehouseCatalog.DefaultDuckDbFile : given));
    }

    /// <summary>
    /// Refuses a DuckDB path that is a directory, or an existing file that is not a DuckDB database (Junction's own
    /// SQLite files, for one): Junction never writes over a file it did not make.
    /// </summary>
    public static Problem? CheckDuckDbFile(string fullPath)
    {
        if (Directory.Exists(fullPath))
        {
            return Problem.Invalid($"settings.path ({fullPath}) is a directory; give the path of a DuckDB file.", "settings.path");
        }

        try
        {
            using var file = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (file.Length == 0)
            {
                return null;
            }

            var header = new byte[12];
            var read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            return read == header.Length && header.AsSpan(8, 4).SequenceEqual(DuckDbMagic)
                ? null
                : Problem.Invalid(
                    $"settings.path ({fullPath}) is an existing file that is not a DuckDB database; Junction does not write over it. Give another path.",
                    "settings.path");
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Unreadable now: the connection test reports what the warehouse itself says about it.
            return null;
        }
    }

    /// <summary>A new warehouse's settings: the kind's defaults, then the given values; every required option must be set.</summary>
    public static Outcome<JsonObject> ForNew(WarehouseKind kind, JsonElement? given)
    {
        var merged = Merge(kind, [], given);
        return merged.Problem is null && CheckRequired(kind, merged.Value!) is { } missing ? missing : merged;
    }

    /// <summary>
    /// Applies a change to the current settings at the top level, as a JSON merge patch does: each given key replaces
    /// the current value and a key given as null is removed (an option with a default gets its default back). A secret
    /// sent back in its masked form keeps the stored one. <see cref="NameKey"/> and <see cref="SchemaFrozenKey"/> are
    /// skipped: <see cref="ReadReserved"/> reads them.
    /// </summary>
    public static Outcome<JsonObject> Merge(WarehouseKind kind, JsonObject current, JsonElement? changes)
    {
        var merged = current.DeepClone().AsObject();
        var given = changes is { ValueKind: JsonValueKind.Object } value ? value.EnumerateObject().ToList() : [];
        foreach (var change in given)
        {
            if (change.Name is NameKey or SchemaFrozenKey)
            {
                continue;
            }

            if (kind.Option(change.Name) is not { } option)
            {
                var known = string.Join(", ", kind.Options.Select(o => o.Name).Append(NameKey).Append(SchemaFrozenKey));
                return Problem.Invalid($"\"{change.Name}\" is not a setting of a {kind.Name} warehouse; its settings are {known}.", Field(change.Name));
            }

            if (change.Value.ValueKind == JsonValueKind.Null)
            {
                merged.Remove(change.Name);
                continue;
            }

            if (option.Secret && change.Value.ValueKind == JsonValueKind.String
                && change.Value.GetString()!.StartsWith(MaskPrefix, StringComparison.Ordinal))
            {
                var stored = current[change.Name] is JsonValue text && text.TryGetValue<string>(out var secret) ? secret : null;
                if (stored is not null && change.Value.GetString() == SecretProtector.Mask(stored))
                {
                    continue;
                }

                return Problem.Invalid(
                    $"settings.{change.Name} looks like a masked secret; send the secret itself, or leave the key out to keep the stored one.",
                    Field(change.Name));
            }

            if (CheckValue(option, change.Value) is { } problem)
            {
                return problem;
            }

            merged[change.Name] = JsonNode.Parse(change.Value.GetRawText());
        }

        foreach (var option in kind.Options.Where(o => o.DefaultValue is not null && !merged.ContainsKey(o.Name)))
        {
            merged[option.Name] = option.DefaultValue!.DeepClone();
        }

        return merged;
    }

    /// <summary>Every required option must have a value that is not an empty string.</summary>
    public static Problem? CheckRequired(WarehouseKind kind, JsonObject plain)
    {
        foreach (var option in kind.Options.Where(o => o.Required))
        {
            var value = plain[option.Name];
            if (value is null || (value is JsonValue text && text.TryGetValue<string>(out var s) && s.Trim().Length == 0))
            {
                return Problem.Invalid($"settings.{option.Name} ({option.Label}) is required for a {kind.Name} warehouse.", Field(option.Name));
            }
        }

        return null;
    }

    /// <summary>
    /// Reads <c>settings.name</c> and <c>settings.schemaFrozen</c> when given (null when not), or the problem with either.
    /// </summary>
    public static (string? Name, bool? SchemaFrozen, Problem? Problem) ReadReserved(JsonElement? settings)
    {
        if (settings is not { ValueKind: JsonValueKind.Object } given)
        {
            return (null, null, null);
        }

        string? name = null;
        bool? frozen = null;
        if (given.TryGetProperty(NameKey, out var nameValue) && nameValue.ValueKind != JsonValueKind.Null)
        {
            if (nameValue.ValueKind != JsonValueKind.String)
            {
                return (null, null, Problem.Invalid("settings.name must be a string.", Field(NameKey)));
            }

            name = nameValue.GetString();
        }

        if (given.TryGetProperty(SchemaFrozenKey, out var frozenValue) && frozenValue.ValueKind != JsonValueKind.Null)
        {
            if (frozenValue.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return (null, null, Problem.Invalid("settings.schemaFrozen must be true or false.", Field(SchemaFrozenKey)));
            }

            frozen = frozenValue.GetBoolean();
        }

        return (name, frozen, null);
    }

    private static Problem? CheckValue(WarehouseOption option, JsonElement value)
    {
        var ok = option.Type switch
        {
            "number" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
                && (option.Name != "port" || number is >= 1 and <= 65535),
            "select" => value.ValueKind == JsonValueKind.String
                && (option.Choices ?? []).Contains(value.GetString()!, StringComparer.Ordinal),
            _ => value.ValueKind == JsonValueKind.String,
        };
        if (ok)
        {
            return null;
        }

        var expected = option.Type switch
        {
            "number" when option.Name == "port" => "a whole number from 1 to 65535",
            "number" => "a whole number",
            "select" => "one of " + string.Join(", ", (option.Choices ?? []).Select(c => $"\"{c}\"")),
            _ => "a string",
        };
        return Problem.Invalid($"settings.{option.Name} ({option.Label}) must be {expected}.", Field(option.Name));
    }

    private static string Field(string key) => "settings." + key;
}
