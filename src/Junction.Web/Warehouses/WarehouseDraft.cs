using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Warehouses.ControlPlane;
using Junction.Web.Shared;
using Junction.Workspace;

namespace Junction.Web.Warehouses;

/// <summary>
/// One connection setting as a form edits it: the text on screen, what was saved, and for a secret whether a new one is
/// being typed. A saved secret is never on screen: the form shows its masked form and sends nothing for it unless the
/// person replaces it.
/// </summary>
internal sealed class WarehouseField(WarehouseOption option)
{
    public WarehouseOption Option { get; } = option;

    public string Name => Option.Name;

    /// <summary>The text in the field; for a secret, the new secret being typed.</summary>
    public string Text { get; set; } = "";

    /// <summary>A saved secret as the service shows it (<c>••••abcd</c>), or null when none is saved.</summary>
    public string? StoredMask { get; set; }

    /// <summary>Whether a new secret is being typed in place of the saved one (always, when none is saved).</summary>
    public bool Replacing { get; set; }

    /// <summary>What is wrong with the value: a local check as it is typed, or the service's refusal.</summary>
    public string? Error { get; set; }

    internal string SavedText { get; set; } = "";

    public bool IsChanged => Option.Secret ? Replacing && Text.Length > 0 : Text != SavedText;
}

/// <summary>
/// The connection settings form of one kind of warehouse, built from its catalog options (<see cref="WarehouseOption"/>).
/// For a new warehouse, <see cref="All"/> makes the settings object of <c>WarehouseService.CreateAsync</c> and
/// <c>ValidateAsync</c>; for a saved one, <see cref="Changes"/> makes that of <c>UpdateAsync</c>, which merges it at
/// the top level: only what changed is sent, an emptied field is sent as null (back to its default), and a secret only
/// when it was replaced. Numbers are checked as they are typed; everything else is the service's to judge.
/// </summary>
internal sealed class WarehouseDraft
{
    private WarehouseDraft(WarehouseKind kind, IReadOnlyList<WarehouseField> fields)
    {
        Kind = kind;
        Fields = fields;
    }

    public WarehouseKind Kind { get; }

    /// <summary>The settings in the catalog's order.</summary>
    public IReadOnlyList<WarehouseField> Fields { get; }

    public bool IsChanged => Fields.Any(f => f.IsChanged);

    public bool HasErrors => Fields.Any(f => f.Error is not null);

    /// <summary>Whether a saved secret is kept as it is (shown masked): the settings on screen are then not whole.</summary>
    public bool KeepsASavedSecret => Fields.Any(f => f.Option.Secret && f.StoredMask is not null && !f.Replacing);

    /// <summary>A new warehouse's form: every option at its default, every secret to be typed.</summary>
    public static WarehouseDraft ForNew(WarehouseKind kind) =>
        new(kind, kind.Options.Select(o => new WarehouseField(o) { Text = TextOf(o.DefaultValue), Replacing = o.Secret }).ToList());

    /// <summary>A saved warehouse's form, from its settings as the service shows them (secrets masked).</summary>
    public static WarehouseDraft ForSaved(WarehouseKind kind, JsonObject masked)
    {
        var fields = kind.Options.Select(option =>
        {
            var text = TextOf(masked[option.Name]);
            return option.Secret
                ? new WarehouseField(option) { StoredMask = text.Length > 0 ? text : null, Replacing = text.Length == 0 }
                : new WarehouseField(option) { Text = text, SavedText = text };
        });
        return new WarehouseDraft(kind, fields.ToList());
    }

    public WarehouseField? Find(string name) => Fields.FirstOrDefault(f => f.Name == name);

    /// <summary>The field a refusal of the service is about (its field is <c>settings.{name}</c>), or null.</summary>
    public WarehouseField? FieldOf(Problem problem) =>
        problem.Field is { } path && path.StartsWith("settings.", StringComparison.Ordinal) ? Find(path["settings.".Length..]) : null;

    /// <summary>
    /// Shows a refusal of the service next to the setting it is about, answering whether it was about one. The service
    /// names the setting and its label (<c>settings.host (Host) is required …</c>); next to the field, "This" says it.
    /// </summary>
    public bool ShowNextToField(Problem problem)
    {
        if (FieldOf(problem) is not { } field)
        {
            return false;
        }

        field.Error = ProblemText.For(problem).Replace($"This ({field.Option.Label})", "This", StringComparison.Ordinal);
        return true;
    }

    /// <summary>Checks a number as it is typed: a whole number, and a port from 1 to 65535.</summary>
    public static void Check(WarehouseField field)
    {
        field.Error = null;
        var text = field.Text.Trim();
        if (field.Option.Type != "number" || text.Length == 0)
        {
            return;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            field.Error = "Enter a whole number.";
        }
        else if (field.Name == "port" && number is < 1 or > 65535)
        {
            field.Error = "Enter a port from 1 to 65535.";
        }
    }

    /// <summary>Every setting that has a value: a new warehouse's settings, or the settings to test.</summary>
    public JsonElement All()
    {
        var settings = new JsonObject();
        foreach (var field in Fields.Where(f => f.Text.Trim().Length > 0))
        {
            settings[field.Name] = Value(field);
        }

        return JsonSerializer.SerializeToElement(settings);
    }

    /// <summary>The settings that changed, or null when none did: an emptied field as null, a secret only when replaced.</summary>
    public JsonElement? Changes()
    {
        var changes = new JsonObject();
        foreach (var field in Fields.Where(f => f.IsChanged))
        {
            changes[field.Name] = field.Text.Trim().Length == 0 ? null : Value(field);
        }

        return changes.Count == 0 ? null : JsonSerializer.SerializeToElement(changes);
    }

    private static JsonNode Value(WarehouseField field)
    {
        var text = field.Option.Secret ? field.Text : field.Text.Trim();
        return field.Option.Type == "number" && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : JsonValue.Create(text);
    }

    private static string TextOf(JsonNode? value) => value switch
    {
        null => "",
        JsonValue text when text.TryGetValue<string>(out var s) => s,
        _ => value.ToJsonString(),
    };
}
