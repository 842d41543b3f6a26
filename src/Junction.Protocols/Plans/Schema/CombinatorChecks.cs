using System.Text.Json;

namespace Junction.Protocols.Plans.Schema;

/// <summary>
/// <c>allOf</c>: every schema must pass. The failure is reported once, at the value's path, with the first problem
/// found inside (so a rule-level <c>allOf</c> gives one <c>(root)</c> violation that still says what is wrong).
/// </summary>
internal sealed class AllOfCheck(SchemaNode[] schemas) : SchemaCheck
{
    public override IEnumerable<SchemaNode> SameValueSchemas => schemas;

    public override bool Validate(JsonElement instance, SchemaRun run)
    {
        var mark = run.Count;
        var valid = true;
        foreach (var schema in schemas)
        {
            if (!schema.Validate(instance, run))
            {
                valid = false;
                if (!run.Collecting)
                {
                    return false;
                }
            }
        }

        if (!valid)
        {
            Summaries.ReplaceWithSummary(run, mark, "Must validate all the schemas (allOf)");
        }

        return valid;
    }
}

/// <summary><c>anyOf</c>: at least one schema must pass.</summary>
internal sealed class AnyOfCheck(SchemaNode[] schemas) : SchemaCheck
{
    public override IEnumerable<SchemaNode> SameValueSchemas => schemas;

    public override bool Validate(JsonElement instance, SchemaRun run)
    {
        run.BeginQuiet();
        try
        {
            foreach (var schema in schemas)
            {
                if (schema.Validate(instance, run))
                {
                    return true;
                }
            }
        }
        finally
        {
            run.EndQuiet();
        }

        run.Report(ViolationTypes.InvalidValue, "Must validate at least one schema (anyOf)");
        return false;
    }
}

/// <summary><c>oneOf</c>: exactly one schema must pass.</summary>
internal sealed class OneOfCheck(SchemaNode[] schemas) : SchemaCheck
{
    public override IEnumerable<SchemaNode> SameValueSchemas => schemas;

    public override bool Validate(JsonElement instance, SchemaRun run)
    {
        var passed = 0;
        run.BeginQuiet();
        try
        {
            foreach (var schema in schemas)
            {
                if (schema.Validate(instance, run) && ++passed > 1)
                {
                    break;
                }
            }
        }
        finally
        {
            run.EndQuiet();
        }

        if (passed == 1)
        {
            return true;
        }

        run.Report(ViolationTypes.InvalidValue, passed == 0
            ? "Must validate one and only one schema (oneOf), but validates none"
            : "Must validate one and only one schema (oneOf), but validates more than one");
        return false;
    }
}

/// <summary><c>not</c>: the schema must fail.</summary>
internal sealed class NotCheck(SchemaNode schema) : SchemaCheck
{
    public override IEnumerable<SchemaNode> SameValueSchemas => [schema];

    public override bool Validate(JsonElement instance, SchemaRun run)
    {
        bool passes;
        run.BeginQuiet();
        try
        {
            passes = schema.Validate(instance, run);
        }
        finally
        {
            run.EndQuiet();
        }

        if (passes)
        {
            run.Report(ViolationTypes.InvalidValue, "Must not validate the schema (not)");
        }

        return !passes;
    }
}

/// <summary><c>if</c> / <c>then</c> / <c>else</c>: when the value passes <c>if</c> it must pass <c>then</c>, otherwise <c>else</c>.</summary>
internal sealed class ConditionalCheck(SchemaNode condition, SchemaNode? then, SchemaNode? otherwise) : SchemaCheck
{
    public override IEnumerable<SchemaNode> SameValueSchemas =>
        new[] { condition, then, otherwise }.Where(node => node is not null).Select(node => node!);

    public override bool Validate(JsonElement instance, SchemaRun run)
    {
        bool matches;
        run.BeginQuiet();
        try
        {
            matches = condition.Validate(instance, run);
        }
        finally
        {
            run.EndQuiet();
        }

        var branch = matches ? then : otherwise;
        if (branch is null)
        {
            return true;
        }

        var mark = run.Count;
        if (branch.Validate(instance, run))
        {
            return true;
        }

        Summaries.ReplaceWithSummary(run, mark, matches
            ? "Must validate \"then\" as \"if\" was valid"
            : "Must validate \"else\" as \"if\" was not valid");
        return false;
    }
}

/// <summary><c>$ref</c>: the value must pass the schema the reference points to (resolved once the rule is compiled).</summary>
internal sealed class RefCheck(string reference) : SchemaCheck
{
    public string Reference { get; } = reference;

    public SchemaNode? Target { get; set; }

    public override IEnumerable<SchemaNode> SameValueSchemas => Target is null ? [] : [Target];

    public override bool Validate(JsonElement instance, SchemaRun run) => Target!.Validate(instance, run);
}

/// <summary>Turns the violations a combinator's schemas reported into one violation at the combinator's own path.</summary>
internal static class Summaries
{
    public static void ReplaceWithSummary(SchemaRun run, int mark, string summary)
    {
        if (!run.Collecting)
        {
            return;
        }

        if (run.Count == mark)
        {
            run.Report(ViolationTypes.InvalidValue, summary);
            return;
        }

        var first = run.At(mark);
        run.TruncateTo(mark);
        var detail = first.Description.StartsWith(first.Field, StringComparison.Ordinal)
            ? first.Description
            : $"{first.Field}: {first.Description}";
        run.Report(first.Type, $"{summary}: {detail}");
    }
}
