namespace Junction.Protocols.Transformations;

/// <summary>
/// Compiles transformations (their FQL once) and refuses what Segment refuses: a condition that is not valid FQL; a
/// <c>newEventName</c> that is blank or whose condition selects another call type than track; renames of top-level
/// fields (<c>userId</c>), of array items (<c>$</c>), deeper than 4 levels, to the same name, with a path used twice,
/// nested in another rename's path, or renaming to another rename's old name (a chain); more than 10 value paths,
/// a value path used twice, a value path that is a rename's target, or a value path that is not <c>properties.*</c>,
/// <c>traits.*</c>, <c>context.*</c> or a top-level field Junction lets change; more than one FQL-defined property,
/// or one combined with renames or value changes; an FQL-defined property that is not a valid value expression or
/// whose target is not under <c>properties</c>, <c>traits</c> or <c>context</c>. A dropping transformation ignores
/// its other fields, as in Segment.
/// </summary>
internal static class TransformationCompiler
{
    /// <summary>The most property paths all value transformations of one transformation may set.</summary>
    public const int MaxValuePaths = 10;

    /// <summary>The most levels below its root a renamed path may go.</summary>
    public const int MaxRenameDepth = 4;

    // Top-level fields a rename cannot touch (a relative path with one of these names is refused as ambiguous).
    private static readonly HashSet<string> TopLevelFields = new(StringComparer.Ordinal)
    {
        "userId", "anonymousId", "messageId", "type", "event", "timestamp", "sentAt", "receivedAt", "originalTimestamp",
        "integrations", "previousId", "groupId", "writeKey", "properties", "traits", "context",
    };

    // Top-level fields a value transformation may not set: the pipeline relies on them.
    private static readonly HashSet<string> FixedFields = new(StringComparer.Ordinal)
    {
        "type", "messageId", "timestamp", "sentAt", "receivedAt", "originalTimestamp", "integrations", "properties", "traits", "context",
    };

    /// <summary>Compiles a transformation; throws <see cref="ArgumentException"/> with the problem when it cannot.</summary>
    public static CompiledTransformation Compile(TransformationDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return Build(definition, out var problem) ?? throw new ArgumentException(problem, nameof(definition));
    }

    /// <summary>Why a transformation cannot be used (bad FQL, conflicting paths, rename of a top-level field, …), or null.</summary>
    public static string? Problem(TransformationDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Build(definition, out var problem);
        return problem;
    }

    private static CompiledTransformation? Build(TransformationDefinition definition, out string? problem)
    {
        var condition = TransformationCondition.TryCompile(definition.If, out problem);
        if (condition is null)
        {
            return null;
        }

        if (definition.Drop)
        {
            return new CompiledTransformation(definition, condition, null, [], [], []);
        }

        string? newEventName = null;
        if (definition.NewEventName is { Length: > 0 } name)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                problem = "newEventName is blank";
                return null;
            }

            if (condition.SelectedType is { } selected && !string.Equals(selected, "track", StringComparison.Ordinal))
            {
                problem = $"newEventName renames track events only, but the condition selects type = '{selected}'";
                return null;
            }

            newEventName = name;
        }

        var renames = Renames(definition.PropertyRenames ?? [], out problem);
        if (renames is null)
        {
            return null;
        }

        var values = Values(definition.PropertyValueTransformations ?? [], renames, out problem);
        if (values is null)
        {
            return null;
        }

        var defined = Defined(definition.FqlDefinedProperties ?? [], renames.Length + values.Length, out problem);
        if (defined is null)
        {
            return null;
        }

        return new CompiledTransformation(definition, condition, newEventName, renames, values, defined);
    }

    private static (EventPath Old, EventPath New)[]? Renames(IReadOnlyList<PropertyRename> renames, out string? problem)
    {
        problem = null;
        var parsed = new List<(EventPath Old, EventPath New)>();
        foreach (var rename in renames)
        {
            var old = RenamePath(rename?.OldName, out problem);
            var renamed = old is null ? null : RenamePath(rename!.NewName, out problem);
            if (old is null || renamed is null)
            {
                return null;
            }

            if (Same(old, renamed))
            {
                problem = $"the rename of \"{old.Text}\" gives it the same name";
                return null;
            }

            parsed.Add((old, renamed));
        }

        for (var i = 0; i < parsed.Count; i++)
        {
            for (var j = 0; j < parsed.Count; j++)
            {
                if (i == j)
                {
                    continue;
                }

                var (a, b) = (parsed[i], parsed[j]);
                if (Same(a.Old, b.Old) && i < j)
                {
                    problem = $"\"{a.Old.Text}\" is renamed twice";
                    return null;
                }

                if (Same(a.New, b.New) && i < j)
                {
                    problem = $"two renames give the same name \"{a.New.Text}\"";
                    return null;
                }

                if (Same(a.New, b.Old))
                {
                    problem = $"\"{a.Old.Text}\" is renamed to \"{a.New.Text}\", which another rename renames again; renames cannot chain";
                    return null;
                }

                if (Overlaps(a.Old, b.Old) && i < j)
                {
                    problem = $"the renames of \"{a.Old.Text}\" and \"{b.Old.Text}\" overlap (one lies inside the other)";
                    return null;
                }

                if (Overlaps(a.New, b.New) && i < j)
                {
                    problem = $"the new names \"{a.New.Text}\" and \"{b.New.Text}\" overlap (one lies inside the other)";
                    return null;
                }
            }
        }

        return [.. parsed];
    }

    private static EventPath? RenamePath(string? text, out string? problem)
    {
        var path = EventPath.TryParse(text, allowRelative: true, out problem);
        if (path is null)
        {
            problem = "a rename " + problem;
            return null;
        }

        if (path.IsRelative && TopLevelFields.Contains(path.Segments[0]))
        {
            problem = $"\"{path.Text}\" is a top-level field, which renames cannot change (for a property of that name write properties.{path.Text})";
            return null;
        }

        if (path.Segments.Contains("$", StringComparer.Ordinal))
        {
            problem = $"\"{path.Text}\" goes into array items ($), which renames cannot do";
            return null;
        }

        if (path.Depth > MaxRenameDepth)
        {
            problem = $"\"{path.Text}\" is {path.Depth} levels deep; renames go at most {MaxRenameDepth} levels below properties, traits or context";
            return null;
        }

        return path;
    }

    private static (string[] Keys, string Value)[]? Values(
        IReadOnlyList<PropertyValueTransformation> transformations,
        (EventPath Old, EventPath New)[] renames,
        out string? problem)
    {
        problem = null;
        var values = new List<(string[] Keys, string Value)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var transformation in transformations)
        {
            if (transformation?.PropertyPaths is not { Count: > 0 } paths)
            {
                problem = "a value transformation lists no property paths";
                return null;
            }

            if (transformation.PropertyValue is null)
            {
                problem = "a value transformation has no value";
                return null;
            }

            foreach (var text in paths)
            {
                var path = EventPath.TryParse(text, allowRelative: false, out var error);
                if (path is null)
                {
                    problem = "a value transformation " + error;
                    return null;
                }

                var rooted = path.Segments.Length > 1 && EventPath.Roots.Contains(path.Segments[0], StringComparer.Ordinal);
                if (!rooted && path.Segments.Length > 1)
                {
                    problem = $"the value path \"{text}\" must be a top-level field or start with properties., traits. or context.";
                    return null;
                }

                if (!rooted && FixedFields.Contains(path.Segments[0]))
                {
                    problem = $"the value path \"{text}\" is a top-level field Junction does not let transformations change";
                    return null;
                }

                if (!seen.Add(string.Join('\0', path.Segments)))
                {
                    problem = $"the property path \"{text}\" is set twice";
                    return null;
                }

                if (renames.Any(r => Same(r.New, path)))
                {
                    problem = $"the property path \"{text}\" is the target of a rename; change the value of the old name or rename it elsewhere";
                    return null;
                }

                values.Add((path.Segments, transformation.PropertyValue));
            }
        }

        if (values.Count > MaxValuePaths)
        {
            problem = $"value transformations set {values.Count} property paths; at most {MaxValuePaths} are allowed";
            return null;
        }

        return [.. values];
    }

    private static (ValueExpression Expression, string[] Keys)[]? Defined(IReadOnlyList<FqlDefinedProperty> defined, int otherChanges, out string? problem)
    {
        problem = null;
        if (defined.Count == 0)
        {
            return [];
        }

        if (defined.Count > 1)
        {
            problem = "a transformation can have one FQL-defined property only";
            return null;
        }

        if (otherChanges > 0)
        {
            problem = "an FQL-defined property cannot be combined with property renames or value transformations";
            return null;
        }

        var property = defined[0];
        var expression = ValueExpression.TryParse(property?.Fql, out problem);
        if (expression is null)
        {
            return null;
        }

        var path = EventPath.TryParse(property!.PropertyName, allowRelative: false, out var error);
        if (path is null)
        {
            problem = "an FQL-defined property " + error;
            return null;
        }

        if (path.Segments.Length < 2 || !EventPath.Roots.Contains(path.Segments[0], StringComparer.Ordinal))
        {
            problem = $"the FQL-defined property \"{path.Text}\" must be under properties., traits. or context.";
            return null;
        }

        return [(expression, path.Segments)];
    }

    // Two paths are the same when they name the same field for some call type (a relative path is read under
    // properties or traits).
    private static bool Same(EventPath a, EventPath b) =>
        a.Resolve("properties").SequenceEqual(b.Resolve("properties"), StringComparer.Ordinal)
        || a.Resolve("traits").SequenceEqual(b.Resolve("traits"), StringComparer.Ordinal);

    private static bool Overlaps(EventPath a, EventPath b) => a.Overlaps(b, "properties") || a.Overlaps(b, "traits");
}
