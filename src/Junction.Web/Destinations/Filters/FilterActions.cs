using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Fql;

namespace Junction.Web.Destinations.Filters;

/// <summary>The kinds of filter action the editor offers, with the Public API's names.</summary>
internal enum FilterActionKind
{
    Drop,
    Sample,
    DropProperties,
    AllowProperties,
}

/// <summary>An object path and the keys a property action drops or allows in it, as typed (keys separated by commas).</summary>
internal sealed class PropertyKeys
{
    public string ObjectPath { get; set; } = "properties";

    public string Keys { get; set; } = "";
}

/// <summary>One action of the filter being edited.</summary>
internal sealed class FilterActionRow
{
    public FilterActionKind Kind { get; set; } = FilterActionKind.Drop;

    /// <summary>For Sample: the share of events kept, in percent as typed.</summary>
    public string Percent { get; set; } = "10";

    /// <summary>For Sample: the field that decides, the same way every time, whether an event is kept (optional).</summary>
    public string Path { get; set; } = "";

    /// <summary>For Drop properties and Allow properties.</summary>
    public List<PropertyKeys> Fields { get; set; } = [new()];
}

/// <summary>
/// A filter's actions between the editor's rows and the Public API's JSON (<c>{type, percent?, path?, fields?}</c>),
/// which <see cref="Junction.Destinations.ControlPlane.DestinationFilterJson"/> and the filter engine read.
/// </summary>
internal static class FilterActions
{
    public static string Label(FilterActionKind kind) => kind switch
    {
        FilterActionKind.Drop => "Drop the event",
        FilterActionKind.Sample => "Sample: keep a share of events",
        FilterActionKind.DropProperties => "Drop properties",
        FilterActionKind.AllowProperties => "Allow only these properties",
        _ => kind.ToString(),
    };

    private static string ApiName(FilterActionKind kind) => kind switch
    {
        FilterActionKind.Drop => "DROP",
        FilterActionKind.Sample => "SAMPLE",
        FilterActionKind.DropProperties => "DROP_PROPERTIES",
        _ => "ALLOW_PROPERTIES",
    };

    /// <summary>The rows of stored actions (older Config API names included).</summary>
    public static List<FilterActionRow> Read(string actionsJson)
    {
        var rows = new List<FilterActionRow>();
        using var document = JsonDocument.Parse(actionsJson);
        foreach (var item in document.RootElement.EnumerateArray())
        {
            if (!item.TryGetProperty("type", out var type) || !DestinationFilterActionTypes.TryParse(type.GetString(), out var parsed))
            {
                continue;
            }

            var row = new FilterActionRow
            {
                Kind = parsed switch
                {
                    DestinationFilterActionType.Sample => FilterActionKind.Sample,
                    DestinationFilterActionType.DropProperties => FilterActionKind.DropProperties,
                    DestinationFilterActionType.AllowProperties => FilterActionKind.AllowProperties,
                    _ => FilterActionKind.Drop,
                },
            };
            if (item.TryGetProperty("percent", out var percent) && percent.ValueKind == JsonValueKind.Number)
            {
                row.Percent = (percent.GetDouble() * 100).ToString("0.####", CultureInfo.InvariantCulture);
            }

            if (item.TryGetProperty("path", out var path) && path.ValueKind == JsonValueKind.String)
            {
                row.Path = path.GetString()!;
            }

            if (item.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Object)
            {
                row.Fields = [.. fields.EnumerateObject().Select(f => new PropertyKeys
                {
                    ObjectPath = f.Name,
                    Keys = string.Join(", ", f.Value.EnumerateArray().Select(k => k.GetString())),
                })];
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The actions as the service takes them, or why a row cannot be written (a percent that is not a number).</summary>
    public static (JsonArray? Actions, string? Error) Write(IReadOnlyList<FilterActionRow> rows)
    {
        var array = new JsonArray();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var item = new JsonObject { ["type"] = ApiName(row.Kind) };
            switch (row.Kind)
            {
                case FilterActionKind.Sample:
                    if (!double.TryParse(row.Percent.Trim().TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
                    {
                        return (null, $"Action {i + 1}: \"{row.Percent}\" is not a percentage; write a number from 0 to 100.");
                    }

                    item["percent"] = percent / 100;
                    if (row.Path.Trim().Length > 0)
                    {
                        item["path"] = row.Path.Trim();
                    }

                    break;
                case FilterActionKind.DropProperties or FilterActionKind.AllowProperties:
                    var fields = new JsonObject();
                    foreach (var entry in row.Fields)
                    {
                        var keys = entry.Keys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                        fields[entry.ObjectPath.Trim()] = new JsonArray([.. keys.Select(k => (JsonNode?)JsonValue.Create(k))]);
                    }

                    item["fields"] = fields;
                    break;
            }

            array.Add(item);
        }

        return (array, null);
    }

    /// <summary>The actions in words for the list (<c>Drop properties: properties.email</c>).</summary>
    public static string Summary(string actionsJson) => string.Join("; ", Read(actionsJson).Select(row => row.Kind switch
    {
        FilterActionKind.Drop => "Drop",
        FilterActionKind.Sample => $"Sample {row.Percent}%" + (row.Path.Length > 0 ? $" by {row.Path}" : ""),
        _ => (row.Kind == FilterActionKind.DropProperties ? "Drop properties: " : "Allow only: ")
            + string.Join(", ", row.Fields.SelectMany(f => f.Keys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(k => f.ObjectPath.Length == 0 ? k : $"{f.ObjectPath}.{k}"))),
    }));
}
