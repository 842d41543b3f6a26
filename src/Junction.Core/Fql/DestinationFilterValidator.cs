using System.Globalization;

namespace Junction.Fql;

/// <summary>One problem with a filter definition: the field at fault (<c>actions[0].percent</c>) and a sentence.</summary>
internal sealed record DestinationFilterError(string Field, string Message);

/// <summary>Checks filter definitions before they are stored, so that the API can answer 400 with reasons.</summary>
internal static class DestinationFilterValidator
{
    public const int MaxFiltersPerDestination = 10;
    public const int MaxTitleLength = 64;

    /// <summary>Every problem with <paramref name="filter"/>; empty when it is valid.</summary>
    public static IReadOnlyList<DestinationFilterError> Validate(DestinationFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var errors = new List<DestinationFilterError>();
        if (filter.Title is { Length: > MaxTitleLength })
        {
            errors.Add(new("title", $"The title is {filter.Title.Length} characters long; at most {MaxTitleLength} are allowed."));
        }

        if (string.IsNullOrWhiteSpace(filter.If))
        {
            errors.Add(new("if", "A filter needs a condition in \"if\": an FQL expression such as type = 'track', or all."));
        }
        else if (FqlExpression.Parse(filter.If) is { IsSuccess: false } parsed)
        {
            errors.Add(new("if", "Invalid FQL: " + parsed.Error.Message));
        }

        if (filter.Actions is not { Count: > 0 })
        {
            errors.Add(new("actions", "A filter needs at least one action: DROP, SAMPLE, DROP_PROPERTIES or ALLOW_PROPERTIES."));
            return errors;
        }

        for (var i = 0; i < filter.Actions.Count; i++)
        {
            ValidateAction(filter.Actions[i], $"actions[{i}]", errors);
        }

        return errors;
    }

    /// <summary>Every problem with the filters of one destination, each field prefixed with its filter's index.</summary>
    public static IReadOnlyList<DestinationFilterError> Validate(IReadOnlyList<DestinationFilter> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var errors = new List<DestinationFilterError>();
        if (filters.Count > MaxFiltersPerDestination)
        {
            errors.Add(new("filters", $"A destination has at most {MaxFiltersPerDestination} filters; this one has {filters.Count}."));
        }

        for (var i = 0; i < filters.Count; i++)
        {
            errors.AddRange(Validate(filters[i]).Select(e => e with { Field = $"filters[{i}].{e.Field}" }));
        }

        return errors;
    }

    private static void ValidateAction(DestinationFilterAction? action, string field, List<DestinationFilterError> errors)
    {
        if (action is null)
        {
            errors.Add(new(field, "The action is empty; give it a \"type\"."));
            return;
        }

        if (!DestinationFilterActionTypes.TryParse(action.Type, out var type))
        {
            errors.Add(new($"{field}.type", $"Unknown action type \"{action.Type}\"; use DROP, SAMPLE, DROP_PROPERTIES or ALLOW_PROPERTIES."));
            return;
        }

        if (type == DestinationFilterActionType.Sample)
        {
            if (action.Percent is not { } percent || double.IsNaN(percent))
            {
                errors.Add(new($"{field}.percent", "A SAMPLE action needs \"percent\": the share of events to keep, from 0 to 1."));
            }
            else if (percent is < 0 or > 1)
            {
                errors.Add(new($"{field}.percent", string.Create(
                    CultureInfo.InvariantCulture, $"\"percent\" is {percent}, but it must be between 0 and 1 (0.25 keeps a quarter of the events).")));
            }

            if (action.Path is not null && !FqlPath.TryParse(SamplePath(action.Path), out _, out var pathError))
            {
                errors.Add(new($"{field}.path", $"\"{action.Path}\" is not a field path: {pathError}"));
            }
        }
        else
        {
            if (action.Percent is not null)
            {
                errors.Add(new($"{field}.percent", "\"percent\" belongs to SAMPLE actions only."));
            }

            if (action.Path is not null)
            {
                errors.Add(new($"{field}.path", "\"path\" belongs to SAMPLE actions only."));
            }
        }

        if (type is DestinationFilterActionType.DropProperties or DestinationFilterActionType.AllowProperties)
        {
            ValidateFields(action.Fields, $"{field}.fields", errors);
        }
        else if (action.Fields is not null)
        {
            errors.Add(new($"{field}.fields", "\"fields\" belongs to DROP_PROPERTIES and ALLOW_PROPERTIES actions only."));
        }
    }

    private static void ValidateFields(IReadOnlyDictionary<string, IReadOnlyList<string>>? fields, string field, List<DestinationFilterError> errors)
    {
        if (fields is not { Count: > 0 })
        {
            errors.Add(new(field, "List the properties in \"fields\": object path → keys, such as {\"properties\": [\"email\"]} or {\"\": [\"userId\"]} for the top level."));
            return;
        }

        foreach (var (path, keys) in fields)
        {
            if (!FqlPath.TryParse(path, out _, out var pathError))
            {
                errors.Add(new($"{field}[\"{path}\"]", $"\"{path}\" is not an object path: {pathError}"));
            }

            if (keys is not { Count: > 0 })
            {
                errors.Add(new($"{field}[\"{path}\"]", $"List at least one key under \"{path}\"."));
            }
            else if (keys.Any(string.IsNullOrEmpty))
            {
                errors.Add(new($"{field}[\"{path}\"]", $"The keys under \"{path}\" must be non-empty names."));
            }
        }
    }

    /// <summary>A sampling path may be written as a JSON path (<c>$.userId</c>) or as an FQL path (<c>userId</c>).</summary>
    internal static string SamplePath(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
