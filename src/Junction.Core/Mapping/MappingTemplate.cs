using System.Text;
using System.Text.RegularExpressions;

namespace Junction.Mapping;

/// <summary>
/// A <c>@template</c> string split once into literal text and placeholders. <c>{{{ path }}}</c> placeholders are
/// found first, then <c>{{ path }}</c> placeholders in the text between them; the content of the braces is
/// trimmed and read as a path (no <c>$.</c> removal, no filters). A placeholder's content cannot contain
/// <c>}</c>. Each placeholder is replaced by the value's text: "" for missing or null values, JavaScript's
/// printing for everything else (<see cref="JsSemantics.ToText"/>). Nothing is HTML-escaped.
/// </summary>
internal sealed partial class MappingTemplate
{
    private readonly object[] _parts;

    private MappingTemplate(object[] parts) => _parts = parts;

    public static MappingTemplate Parse(string template)
    {
        var parts = new List<object>();
        var last = 0;
        foreach (Match match in TriplePlaceholder().Matches(template))
        {
            AddTextWithDoublePlaceholders(parts, template[last..match.Index]);
            parts.Add(MappingPath.ParseTemplatePath(match.Groups[1].Value.Trim()));
            last = match.Index + match.Length;
        }

        AddTextWithDoublePlaceholders(parts, template[last..]);
        return new MappingTemplate([.. parts]);
    }

    public string Render(MappingValue payload)
    {
        if (_parts.Length == 1 && _parts[0] is string only)
        {
            return only;
        }

        var builder = new StringBuilder();
        foreach (var part in _parts)
        {
            if (part is string text)
            {
                builder.Append(text);
            }
            else
            {
                builder.Append(JsSemantics.ToText(((MappingPath)part).Read(payload)));
            }
        }

        return builder.ToString();
    }

    private static void AddTextWithDoublePlaceholders(List<object> parts, string text)
    {
        var last = 0;
        foreach (Match match in DoublePlaceholder().Matches(text))
        {
            AddText(parts, text[last..match.Index]);
            parts.Add(MappingPath.ParseTemplatePath(match.Groups[1].Value.Trim()));
            last = match.Index + match.Length;
        }

        AddText(parts, text[last..]);
    }

    private static void AddText(List<object> parts, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (parts.Count > 0 && parts[^1] is string previous)
        {
            parts[^1] = previous + text;
            return;
        }

        parts.Add(text);
    }

    [GeneratedRegex(@"\{\{\{([^}]+)\}\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex TriplePlaceholder();

    [GeneratedRegex(@"\{\{([^}]+)\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex DoublePlaceholder();
}
