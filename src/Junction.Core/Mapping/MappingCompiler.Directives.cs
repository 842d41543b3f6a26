using System.Text.Json;
using System.Text.RegularExpressions;

namespace Junction.Mapping;

internal sealed partial class MappingCompiler
{
    /// <summary>Segment's limit on the length of a <c>@replace</c> pattern and replacement.</summary>
    public const int MaxReplaceLength = 10;

    private static readonly string[] KnownDirectives =
    [
        "@path", "@template", "@literal", "@if", "@case", "@replace", "@arrayPath",
        "@flatten", "@json", "@merge", "@transform", "@excludeWhenNull",
    ];

    private MappingNode CompileDirective(string name, JsonElement argument, string pointer)
    {
        switch (name)
        {
            case "@path":
            case "@template":
                return CompileTextDirective(name, argument, pointer);
            case "@literal":
                // The value is no longer the mapping's own JSON at the directive's place, so it is not raw.
                var literal = Compile(argument, pointer);
                return literal is ConstantNode constant ? new ConstantNode(constant.Value, isRaw: false) : literal;
            case "@if":
                return CompileIf(argument, pointer);
            case "@case":
                return CompileCase(argument, pointer);
            case "@replace":
                return CompileReplace(argument, pointer);
            case "@arrayPath":
                return CompileArrayPath(argument, pointer);
            case "@flatten":
                return CompileFlatten(argument, pointer);
            case "@json":
                return CompileJson(argument, pointer);
            case "@merge":
                return CompileMerge(argument, pointer);
            case "@transform":
                return CompileTransform(argument, pointer, injectedMapping: null);
            case "@excludeWhenNull":
                return new ExcludeWhenNullNode(Compile(argument, pointer));
            case "@liquid":
                Error(pointer, "Junction does not run Liquid templates. Use @template for substitutions, and @if, @case or @replace for logic.");
                return UndefinedNode.Instance;
            default:
                var sameLetters = KnownDirectives.FirstOrDefault(known => string.Equals(known, name, StringComparison.OrdinalIgnoreCase));
                var hint = sameLetters is not null ? $" Did you mean {sameLetters}? Directive names are case-sensitive." : $" The directives are {string.Join(", ", KnownDirectives)}.";
                var shape = DirectiveName().IsMatch(name) ? "" : " (a directive name is @ followed by a lower-case letter and letters or digits)";
                Error(pointer, $"{name} is not a directive{shape}.{hint}");
                return UndefinedNode.Instance;
        }
    }

    /// <summary><c>@path</c> and <c>@template</c> take a string, or a directive that produces one for each event.</summary>
    private MappingNode CompileTextDirective(string name, JsonElement argument, string pointer)
    {
        if (argument.ValueKind == JsonValueKind.String)
        {
            var text = argument.GetString()!;
            return name == "@path"
                ? new PathNode(MappingPath.ParseDirectivePath(text))
                : new TemplateNode(MappingTemplate.Parse(text));
        }

        if (IsDirectiveObject(argument))
        {
            return new DynamicTextNode(pointer, name, Compile(argument, pointer));
        }

        var example = name == "@path" ? "\"$.properties.revenue\"" : "\"Viewed {{name}}\"";
        Error(pointer, $"{name} takes a string such as {example}, or a directive that produces one, but it is {Describe.Type(argument)}.");
        return UndefinedNode.Instance;
    }

    private MappingNode CompileIf(JsonElement argument, string pointer)
    {
        var options = Options(argument, pointer, "@if", "{\"exists\": {\"@path\": \"$.userId\"}, \"then\": ..., \"else\": ...}", "exists", "blank", "then", "else");
        if (options is null)
        {
            return UndefinedNode.Instance;
        }

        var hasExists = options.TryGetValue("exists", out var exists);
        var hasBlank = options.TryGetValue("blank", out var blank);
        if (hasExists && hasBlank)
        {
            Error(pointer, "@if takes one condition, \"exists\" or \"blank\", not both (Segment would silently ignore \"blank\").");
            return UndefinedNode.Instance;
        }

        if (!(hasExists && JsSemantics.IsTruthy(exists)) && !(hasBlank && JsSemantics.IsTruthy(blank)))
        {
            Error(pointer, "@if needs a condition: \"exists\" or \"blank\", holding the value or directive to test (Segment refuses a literal false, 0, \"\" or null here).");
            return UndefinedNode.Instance;
        }

        var condition = hasExists ? Compile(exists, Child(pointer, "exists")) : Compile(blank, Child(pointer, "blank"));
        var then = options.TryGetValue("then", out var thenValue) ? Compile(thenValue, Child(pointer, "then")) : null;
        MappingNode? otherwise = null;
        if (options.TryGetValue("else", out var elseValue))
        {
            if (JsSemantics.IsTruthy(elseValue))
            {
                otherwise = Compile(elseValue, Child(pointer, "else"));
            }
            else
            {
                var written = elseValue.GetRawText();
                Error(Child(pointer, "else"), $"Segment ignores an \"else\" of {written} and leaves the field out. Write {{\"@literal\": {written}}} to send {written}, or remove \"else\" to leave the field out.");
            }
        }

        return new IfNode(condition, blankTest: !hasExists, then, otherwise);
    }

    private MappingNode CompileCase(JsonElement argument, string pointer)
    {
        var options = Options(argument, pointer, "@case", "{\"operator\": \"lower\", \"value\": {\"@path\": \"$.traits.email\"}}", "operator", "value");
        if (options is null)
        {
            return UndefinedNode.Instance;
        }

        var upper = false;
        if (!options.TryGetValue("operator", out var op))
        {
            Error(pointer, "@case needs an \"operator\": \"lower\" or \"upper\".");
        }
        else if (op.ValueKind != JsonValueKind.String || op.GetString() is not ("lower" or "upper"))
        {
            Error(Child(pointer, "operator"), $"The operator of @case is \"lower\" or \"upper\", not {op.GetRawText()}.");
        }
        else
        {
            upper = op.GetString() == "upper";
        }

        var value = CompileStringOrDirective(options, "value", pointer, "@case", required: false);
        return value is null or UndefinedNode ? UndefinedNode.Instance : new CaseNode(value, upper);
    }

    private MappingNode CompileReplace(JsonElement argument, string pointer)
    {
        var options = Options(argument, pointer, "@replace", "{\"value\": {\"@path\": \"$.properties.tag\"}, \"pattern\": \"-\", \"replacement\": \" \"}",
            "value", "pattern", "replacement", "pattern2", "replacement2", "ignorecase", "global");
        if (options is null)
        {
            return UndefinedNode.Instance;
        }

        var pattern = ReplaceText(options, "pattern", pointer, minLength: 1) ?? "";
        if (!options.ContainsKey("pattern"))
        {
            Error(pointer, "@replace needs a \"pattern\": the text to look for (at most 10 characters, matched literally).");
        }

        var replacement = ReplaceText(options, "replacement", pointer, minLength: 0) ?? "";
        var pattern2 = ReplaceText(options, "pattern2", pointer, minLength: 0) ?? "";
        var replacement2 = ReplaceText(options, "replacement2", pointer, minLength: 0) ?? "";
        if (pattern2.Length == 0 && options.ContainsKey("replacement2"))
        {
            Error(Child(pointer, "replacement2"), "\"replacement2\" is only used with a non-empty \"pattern2\".");
        }

        var ignoreCase = OptionalBoolean(options, "ignorecase", pointer) ?? false;
        var global = OptionalBoolean(options, "global", pointer) ?? true;
        var value = CompileStringOrDirective(options, "value", pointer, "@replace", required: true);
        if (value is null or UndefinedNode)
        {
            return UndefinedNode.Instance;
        }

        var first = new LiteralReplacement(pattern, replacement, global, ignoreCase);
        var second = pattern2.Length > 0 ? new LiteralReplacement(pattern2, replacement2, global, ignoreCase) : null;
        return new ReplaceNode(value, first, second);
    }

    private MappingNode CompileArrayPath(JsonElement argument, string pointer)
    {
        var length = argument.ValueKind == JsonValueKind.Array ? argument.GetArrayLength() : 0;
        if (length is < 1 or > 2)
        {
            Error(pointer, "@arrayPath takes an array of a path and an optional item shape, such as [\"$.properties.products\", {\"id\": {\"@path\": \"$.product_id\"}}].");
            return UndefinedNode.Instance;
        }

        var path = argument[0];
        MappingNode root;
        if (path.ValueKind == JsonValueKind.String)
        {
            root = new PathNode(MappingPath.ParseDirectivePath(path.GetString()!));
        }
        else if (IsDirectiveObject(path))
        {
            // Segment uses a directive's result as the root itself, not as a path to read.
            root = Compile(path, Child(pointer, 0));
        }
        else
        {
            Error(Child(pointer, 0), $"The first item of @arrayPath is a path string such as \"$.properties.products\", or a directive, but it is {Describe.Type(path)}.");
            return UndefinedNode.Instance;
        }

        if (length == 1)
        {
            return root;
        }

        var shape = argument[1];
        if (shape.ValueKind != JsonValueKind.Object)
        {
            Error(Child(pointer, 1), $"The item shape of @arrayPath is an object whose paths are read from each item (\"$.price\" is the item's price), but it is {Describe.Type(shape)}.");
            return UndefinedNode.Instance;
        }

        return CountMembers(shape) == 0 ? root : new ArrayPathNode(root, Compile(shape, Child(pointer, 1)));
    }

    private MappingNode CompileFlatten(JsonElement argument, string pointer)
    {
        var options = Options(argument, pointer, "@flatten", "{\"value\": {\"@path\": \"$.properties\"}, \"separator\": \".\"}", "value", "separator", "omitArrays");
        if (options is null)
        {
            return UndefinedNode.Instance;
        }

        var separator = "";
        if (!options.TryGetValue("separator", out var separatorValue) || separatorValue.ValueKind != JsonValueKind.String || separatorValue.GetString()!.Length == 0)
        {
            Error(options.ContainsKey("separator") ? Child(pointer, "separator") : pointer, "@flatten needs a \"separator\": a non-empty string such as \".\" or \"_\" that joins the nested keys.");
        }
        else
        {
            separator = separatorValue.GetString()!;
        }

        var omitArrays = OptionalBoolean(options, "omitArrays", pointer) ?? false;
        var value = options.TryGetValue("value", out var valueArgument) ? Compile(valueArgument, Child(pointer, "value")) : UndefinedNode.Instance;
        return new FlattenNode(value, separator, omitArrays);
    }

    private MappingNode CompileJson(JsonElement argument, string pointer)
    {
        var options = Options(argument, pointer, "@json", "{\"mode\": \"encode\", \"value\": {\"@path\": \"$.properties\"}}", "mode", "value");
        if (options is null)
        {
            return UndefinedNode.Instance;
        }

        var encode = true;
        if (!options.TryGetValue("mode", out var mode) || mode.ValueKind != JsonValueKind.String || mode.GetString() is not ("encode" or "decode"))
        {
            Error(options.ContainsKey("mode") ? Child(pointer, "mode") : pointer, "@json needs a \"mode\": \"encode\" (value to JSON text) or \"decode\" (JSON text to value).");
        }
        else
        {
            encode = mode.GetString() == "encode";
        }

        if (!options.TryGetValue("value", out var value) || !JsSemantics.IsTruthy(value))
        {
            Error(options.ContainsKey("value") ? Child(pointer, "value") : pointer, "@json needs a \"value\" to encode or decode: a directive or a JSON value other than false, 0, \"\" or null.");
            return UndefinedNode.Instance;
        }

        return new JsonCodecNode(Compile(value, Child(pointer, "value")), encode);
    }

    private MappingNode CompileMerge(JsonElement argument, string pointer)
    {
        var options = Options(argument, pointer, "@merge", "{\"objects\": [{\"plan\": \"free\"}, {\"@path\": \"$.traits\"}], \"direction\": \"right\"}", "objects", "direction");
        if (options is null)
        {
            return UndefinedNode.Instance;
        }

        var leftWins = false;
        if (!options.TryGetValue("direction", out var direction) || direction.ValueKind != JsonValueKind.String || direction.GetString() is not ("left" or "right"))
        {
            Error(options.ContainsKey("direction") ? Child(pointer, "direction") : pointer, "@merge needs a \"direction\": \"right\" (later objects win) or \"left\" (earlier objects win).");
        }
        else
        {
            leftWins = direction.GetString() == "left";
        }

        if (!options.TryGetValue("objects", out var objects) || objects.ValueKind != JsonValueKind.Array)
        {
            Error(options.ContainsKey("objects") ? Child(pointer, "objects") : pointer, "@merge needs \"objects\": an array of objects or directives to merge.");
            return UndefinedNode.Instance;
        }

        var nodes = new List<MappingNode>();
        var index = 0;
        foreach (var entry in objects.EnumerateArray())
        {
            var entryPointer = Child(Child(pointer, "objects"), index++);
            if (entry.ValueKind != JsonValueKind.Object)
            {
                Error(entryPointer, $"Each entry of @merge is an object or a directive, but this one is {Describe.Type(entry)}.");
                continue;
            }

            nodes.Add(Compile(entry, entryPointer));
        }

        return new MergeNode([.. nodes], leftWins);
    }

    private MappingNode CompileTransform(JsonElement argument, string pointer, MappingNode? injectedMapping)
    {
        var options = Options(argument, pointer, "@transform", "{\"apply\": {...}, \"mapping\": {...}}", "apply", "mapping");
        if (options is null)
        {
            return UndefinedNode.Instance;
        }

        MappingNode? apply = null;
        if (!options.TryGetValue("apply", out var applyValue) || applyValue.ValueKind != JsonValueKind.Object)
        {
            Error(options.ContainsKey("apply") ? Child(pointer, "apply") : pointer, "@transform needs \"apply\": an object (or directive) resolved first, whose result the \"mapping\" then reads from.");
        }
        else
        {
            apply = Compile(applyValue, Child(pointer, "apply"));
        }

        // As the root directive, "mapping" is replaced by the mapping's other fields, whatever it held.
        var mapping = injectedMapping;
        if (mapping is null)
        {
            if (!options.TryGetValue("mapping", out var mappingValue) || !JsSemantics.IsTruthy(mappingValue))
            {
                Error(options.ContainsKey("mapping") ? Child(pointer, "mapping") : pointer, "@transform needs \"mapping\": what to resolve against the result of \"apply\".");
            }
            else
            {
                mapping = Compile(mappingValue, Child(pointer, "mapping"));
            }
        }

        return apply is null || mapping is null ? UndefinedNode.Instance : new TransformNode(pointer, apply, mapping);
    }

    /// <summary>
    /// The options object of a directive. Unknown options are refused: Segment ignores them, which turns a typo
    /// such as "than" into a silently missing branch.
    /// </summary>
    private Dictionary<string, JsonElement>? Options(JsonElement argument, string pointer, string directive, string example, params string[] allowed)
    {
        if (argument.ValueKind != JsonValueKind.Object || HasDirectiveKey(argument))
        {
            Error(pointer, $"{directive} takes an object of options such as {example}, but it is {(argument.ValueKind == JsonValueKind.Object ? "a directive" : Describe.Type(argument))}.");
            return null;
        }

        var options = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var member in argument.EnumerateObject())
        {
            if (!allowed.Contains(member.Name, StringComparer.Ordinal))
            {
                Error(Child(pointer, member.Name), $"\"{member.Name}\" is not an option of {directive}; its options are {string.Join(", ", allowed)}.");
                continue;
            }

            options[member.Name] = member.Value;
        }

        return options;
    }

    /// <summary>
    /// A <c>value</c> option that must be a string or a directive. A missing value, or a literal "", compiles to
    /// undefined: Segment resolves nothing when the option is falsy.
    /// </summary>
    private MappingNode? CompileStringOrDirective(Dictionary<string, JsonElement> options, string key, string pointer, string directive, bool required)
    {
        if (!options.TryGetValue(key, out var value))
        {
            if (required)
            {
                Error(pointer, $"{directive} needs a \"{key}\": a string, or a directive such as {{\"@path\": \"$.properties.name\"}}.");
                return null;
            }

            return UndefinedNode.Instance;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString()!.Length == 0 ? UndefinedNode.Instance : new ConstantNode(value, isRaw: false);
        }

        if (IsDirectiveObject(value))
        {
            return Compile(value, Child(pointer, key));
        }

        Error(Child(pointer, key), $"The \"{key}\" of {directive} is a string or a directive, but it is {Describe.Type(value)}.");
        return null;
    }

    private string? ReplaceText(Dictionary<string, JsonElement> options, string key, string pointer, int minLength)
    {
        if (!options.TryGetValue(key, out var value))
        {
            return null;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : null;
        if (text is null || text.Length < minLength || text.Length > MaxReplaceLength)
        {
            var least = minLength > 0 ? $"of 1 to {MaxReplaceLength} characters" : $"of at most {MaxReplaceLength} characters";
            Error(Child(pointer, key), $"The \"{key}\" of @replace is a string {least} (matched literally, not as a regular expression), but it is {(text is null ? Describe.Type(value) : $"{text.Length} characters long")}.");
            return null;
        }

        return text;
    }

    private bool? OptionalBoolean(Dictionary<string, JsonElement> options, string key, string pointer)
    {
        if (!options.TryGetValue(key, out var value))
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Error(Child(pointer, key), $"\"{key}\" is true or false, but it is {Describe.Type(value)}.");
        return null;
    }

    private static bool IsDirectiveObject(JsonElement value) => value.ValueKind == JsonValueKind.Object && HasDirectiveKey(value);

    [GeneratedRegex("^@[a-z][a-zA-Z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex DirectiveName();
}
