using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Junction.Mapping;

/// <summary>
/// What is wrong with a mapping, or why one event could not be mapped. <see cref="Path"/> is the JSON pointer of
/// the part at fault in the mapping (<c>/properties/@path</c>), or <c>/</c> for the whole.
/// </summary>
internal sealed record MappingError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>The outcome of compiling a mapping: the compiled mapping, or every error found in it.</summary>
internal sealed class MappingCompilation
{
    private MappingCompilation(CompiledMapping? mapping, IReadOnlyList<MappingError> errors)
    {
        Mapping = mapping;
        Errors = errors;
    }

    public CompiledMapping? Mapping { get; }

    public IReadOnlyList<MappingError> Errors { get; }

    [MemberNotNullWhen(true, nameof(Mapping))]
    public bool Succeeded => Mapping is not null;

    public static MappingCompilation Success(CompiledMapping mapping) => new(mapping, []);

    public static MappingCompilation Failure(IReadOnlyList<MappingError> errors) => new(null, errors);
}

/// <summary>The outcome of mapping one event: the action's payload, or why this event could not be mapped.</summary>
internal readonly record struct MappingResult(JsonObject? Payload, MappingError? Failure)
{
    [MemberNotNullWhen(true, nameof(Payload))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Payload is not null;
}

/// <summary>
/// A Destination Actions mapping (Segment's mapping-kit), validated and compiled once, then evaluated for each
/// event without parsing any path or template again. Evaluation is thread-safe and never throws.
/// </summary>
/// <example>
/// <code>
/// var compilation = CompiledMapping.Compile("""{"revenue": {"@path": "$.properties.revenue"}}""");
/// if (compilation.Succeeded)
/// {
///     var result = compilation.Mapping.Evaluate(trackEvent);   // result.Payload: {"revenue": 39.95}
/// }
/// </code>
/// </example>
internal sealed class CompiledMapping
{
    private readonly MappingNode _root;

    // The compiled constants point into this copy of the mapping, so the caller's document may be disposed.
    private readonly JsonElement _source;

    private CompiledMapping(JsonElement source, MappingNode root)
    {
        _source = source;
        _root = root;
    }

    /// <summary>The mapping as it was compiled.</summary>
    public JsonElement Source => _source;

    /// <summary>Validates and compiles a mapping: a JSON object of payload fields.</summary>
    public static MappingCompilation Compile(JsonElement mapping)
    {
        var source = mapping.Clone();
        var compiler = new MappingCompiler();
        var root = compiler.CompileMapping(source);
        return compiler.Errors.Count == 0 && root is not null
            ? MappingCompilation.Success(new CompiledMapping(source, root))
            : MappingCompilation.Failure(compiler.Errors);
    }

    /// <summary>Parses, validates and compiles a mapping written as JSON text.</summary>
    public static MappingCompilation Compile(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Compile(document.RootElement);
        }
        catch (JsonException e)
        {
            return MappingCompilation.Failure([new MappingError("/", $"The mapping is not valid JSON: {e.Message}")]);
        }
    }

    /// <summary>Maps one event (a whole Segment message) to the action's payload.</summary>
    public MappingResult Evaluate(JsonElement @event)
    {
        if (@event.ValueKind != JsonValueKind.Object)
        {
            return new(null, new MappingError("/", $"The event must be a JSON object, but it is {Describe.Type(@event)}."));
        }

        try
        {
            var evaluation = new Evaluation();
            var value = _root.Evaluate(evaluation, MappingValue.FromJson(@event));
            return evaluation.Failure is { } failure
                ? new(null, failure)
                : new(PayloadWriter.ToObject(value), null);
        }
        catch (InvalidOperationException)
        {
            // JsonElement refuses to read a string holding an escaped lone surrogate ("\ud800"). Ingestion
            // rejects such events, so this is only reached by events that bypassed it.
            return new(null, new MappingError("/", "The event contains text that is not valid Unicode (an escaped lone surrogate such as \\ud800)."));
        }
    }
}
