using System.Text.Json;

namespace Junction.Mapping;

/// <summary>
/// Checks a mapping and turns it into <see cref="MappingNode"/>s, collecting every error with the JSON pointer of
/// the part at fault. The structural rules live here; each directive's arguments are checked in
/// <c>MappingCompiler.Directives.cs</c>.
/// </summary>
internal sealed partial class MappingCompiler
{
    /// <summary>The key Segment uses to run one directive over the whole mapping (a root <c>@transform</c>).</summary>
    public const string RootDirectiveKey = "__segment_internal_directive";

    private const string MetadataKey = "_metadata";

    private readonly List<MappingError> _errors = [];

    public IReadOnlyList<MappingError> Errors => _errors;

    /// <summary>Compiles a whole mapping: an object whose keys are the payload's fields.</summary>
    public MappingNode? CompileMapping(JsonElement mapping)
    {
        if (mapping.ValueKind != JsonValueKind.Object)
        {
            Error("", $"A mapping must be a JSON object whose keys are the payload's fields, but it is {Describe.Type(mapping)}.");
            return null;
        }

        if (HasDirectiveKey(mapping))
        {
            Error("", "The top level of a mapping holds the payload's fields; put the directive under a field name, as in {\"data\": {\"@path\": \"$.\"}}.");
            return null;
        }

        if (mapping.TryGetProperty(RootDirectiveKey, out var rootDirective))
        {
            return CompileRootDirective(mapping, rootDirective);
        }

        return Compile(mapping, "");
    }

    /// <summary>Compiles any part of a mapping: a raw value, a plain object or array, or a directive.</summary>
    private MappingNode Compile(JsonElement value, string pointer)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when HasDirectiveKey(value):
                return CompileDirectiveObject(value, pointer);
            case JsonValueKind.Object:
                return CompilePlainObject(value, pointer, except: null);
            case JsonValueKind.Array:
                var items = new List<MappingNode>();
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    items.Add(Compile(item, Child(pointer, index++)));
                }

                return items.All(IsRaw) ? new ConstantNode(value, isRaw: true) : new ArrayNode([.. items]);
            default:
                return new ConstantNode(value, isRaw: true);
        }
    }

    private MappingNode CompilePlainObject(JsonElement value, string pointer, string? except)
    {
        var keys = new List<string>();
        var nodes = new List<MappingNode>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in value.EnumerateObject())
        {
            var memberPointer = Child(pointer, member.Name);
            if (member.Name == except)
            {
                continue;
            }

            if (!seen.Add(member.Name))
            {
                Error(memberPointer, $"The key \"{member.Name}\" appears more than once; write it once.");
                continue;
            }

            if (member.Name == RootDirectiveKey)
            {
                Error(memberPointer, $"\"{RootDirectiveKey}\" is only allowed at the top level of a mapping.");
                continue;
            }

            keys.Add(member.Name);
            nodes.Add(Compile(member.Value, memberPointer));
        }

        return except is null && nodes.All(IsRaw)
            ? new ConstantNode(value, isRaw: true)
            : new ObjectNode([.. keys], [.. nodes]);
    }

    private MappingNode CompileDirectiveObject(JsonElement value, string pointer)
    {
        var directiveKeys = new List<string>();
        var otherKeys = new List<string>();
        foreach (var member in value.EnumerateObject())
        {
            if (member.Name.StartsWith('@'))
            {
                directiveKeys.Add(member.Name);
            }
            else if (member.Name != MetadataKey)
            {
                otherKeys.Add(member.Name);
            }
        }

        if (directiveKeys.Count > 1)
        {
            Error(pointer, $"A directive object holds exactly one directive, but this one has {directiveKeys.Count} ({string.Join(", ", directiveKeys)}); put each directive under its own field.");
            return UndefinedNode.Instance;
        }

        if (otherKeys.Count > 0)
        {
            Error(pointer, $"The directive {directiveKeys[0]} cannot share its object with other keys ({string.Join(", ", otherKeys)}); put the directive under its own field.");
            return UndefinedNode.Instance;
        }

        var name = directiveKeys[0];
        return CompileDirective(name, value.GetProperty(name), Child(pointer, name));
    }

    /// <summary>
    /// A mapping with <c>__segment_internal_directive</c>: the other top-level fields become the root
    /// directive's <c>mapping</c>, and the root directive's result is the payload. Only <c>@transform</c> has a
    /// <c>mapping</c> to receive them, so it is the only root directive accepted.
    /// </summary>
    private MappingNode? CompileRootDirective(JsonElement mapping, JsonElement rootDirective)
    {
        var pointer = Child("", RootDirectiveKey);
        var fields = CompilePlainObject(mapping, "", except: RootDirectiveKey);
        if (rootDirective.ValueKind != JsonValueKind.Object || !rootDirective.TryGetProperty("@transform", out var transform) || CountMembers(rootDirective) != 1)
        {
            Error(pointer, "The root directive must be an object holding exactly one @transform directive, such as {\"@transform\": {\"apply\": {...}}}.");
            return null;
        }

        return CompileTransform(transform, Child(pointer, "@transform"), injectedMapping: fields);
    }

    private static bool IsRaw(MappingNode node) => node is ConstantNode { IsRaw: true };

    private static bool HasDirectiveKey(JsonElement value)
    {
        foreach (var member in value.EnumerateObject())
        {
            if (member.Name.StartsWith('@'))
            {
                return true;
            }
        }

        return false;
    }

    private static int CountMembers(JsonElement value)
    {
        var count = 0;
        foreach (var _ in value.EnumerateObject())
        {
            count++;
        }

        return count;
    }

    private void Error(string pointer, string message) => _errors.Add(new MappingError(pointer.Length == 0 ? "/" : pointer, message));

    /// <summary>A JSON pointer one level down (RFC 6901: "~" is written "~0" and "/" is written "~1").</summary>
    private static string Child(string pointer, string key) =>
        pointer + "/" + key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static string Child(string pointer, int index) => pointer + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
