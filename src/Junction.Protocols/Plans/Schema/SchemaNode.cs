using System.Text.Json;

namespace Junction.Protocols.Plans.Schema;

/// <summary>
/// One compiled keyword (or a group of related keywords) of a schema. It answers whether a value passes and, when
/// the run is collecting, reports each failure with Segment's violation type.
/// </summary>
internal abstract class SchemaCheck
{
    /// <summary>Checks <paramref name="instance"/>; false when it fails (after reporting, when the run collects).</summary>
    public abstract bool Validate(JsonElement instance, SchemaRun run);

    /// <summary>Schemas this check applies to the same value (not to a child of it); used to find <c>$ref</c> loops.</summary>
    public virtual IEnumerable<SchemaNode> SameValueSchemas => [];
}

/// <summary>
/// A compiled schema: its checks in order, or the boolean schemas <c>true</c> (everything passes) and
/// <c>false</c> (nothing does). A node is created empty and filled once compiled, so that a <c>$ref</c> can point to
/// a node that is still being compiled (a recursive schema). Immutable once compiled; shared between threads.
/// </summary>
internal sealed class SchemaNode
{
    private SchemaCheck[] _checks = [];
    private bool _rejectsAll;
    private bool _stopAfterFirst;

    /// <summary>Where the schema sits in its rule, as a JSON pointer fragment (<c>#/properties/properties</c>).</summary>
    public required string Location { get; init; }

    /// <summary>True for a schema with no checks, which every value passes.</summary>
    public bool AcceptsAll => !_rejectsAll && _checks.Length == 0;

    public IReadOnlyList<SchemaCheck> Checks => _checks;

    /// <summary>
    /// Sets the checks. When <paramref name="typeFirst"/> is true the first check is the type check, and a value of
    /// the wrong type is reported once rather than again by every keyword that does not fit it.
    /// </summary>
    public void Fill(SchemaCheck[] checks, bool typeFirst)
    {
        _checks = checks;
        _stopAfterFirst = typeFirst;
    }

    /// <summary>Makes this node the schema <c>false</c>.</summary>
    public void RejectAll() => _rejectsAll = true;

    /// <summary>Every violation of this schema by <paramref name="instance"/>; empty (and no allocation) when it passes.</summary>
    public Violation[] Violations(JsonElement instance)
    {
        if (AcceptsAll)
        {
            return [];
        }

        var run = SchemaRun.Rent();
        try
        {
            Validate(instance, run);
            return run.Take(0);
        }
        finally
        {
            SchemaRun.Return(run);
        }
    }

    /// <summary>True when <paramref name="instance"/> passes, stopping at the first failure.</summary>
    public bool IsValid(JsonElement instance)
    {
        var run = SchemaRun.Rent();
        run.BeginQuiet();
        try
        {
            return Validate(instance, run);
        }
        finally
        {
            SchemaRun.Return(run);
        }
    }

    public bool Validate(JsonElement instance, SchemaRun run)
    {
        if (_rejectsAll)
        {
            run.Report(ViolationTypes.InvalidValue, "No value is allowed here.");
            return false;
        }

        var valid = true;
        var checks = _checks;
        for (var i = 0; i < checks.Length; i++)
        {
            if (!checks[i].Validate(instance, run))
            {
                if (!run.Collecting || (i == 0 && _stopAfterFirst))
                {
                    return false;
                }

                valid = false;
            }
        }

        return valid;
    }
}
