using System.Text.Json;
using System.Text.RegularExpressions;
using Junction.Protocols.Plans.Schema;

namespace Junction.Protocols.Plans;

/// <summary>Compiles tracking plans: every rule's JSON Schema once, so that checking an event costs no parsing of schemas.</summary>
internal static class PlanCompiler
{
    // JsonElement refuses to decode a string holding an escaped lone surrogate ("\ud800").
    private const string Unreadable = "the JSON Schema holds a string that cannot be read (an escaped lone surrogate).";

    /// <summary>Compiles a plan's rules; throws <see cref="PlanException"/> naming the rule and the problem for a schema it cannot use.</summary>
    public static CompiledPlan Compile(IReadOnlyList<PlanRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var regexes = new Dictionary<string, Regex>(StringComparer.Ordinal);
        var seen = new HashSet<(RuleType, string, int)>();
        var compiled = new List<CompiledRule>(rules.Count);
        foreach (var rule in rules)
        {
            if (ShapeProblem(rule) is { } problem)
            {
                throw new PlanException($"{Describe(rule)}: {problem}");
            }

            if (!seen.Add((rule.Type, KeyOf(rule) ?? "", rule.Version)))
            {
                throw new PlanException($"{Describe(rule)}: the plan has this rule twice (same type, key and version).");
            }

            try
            {
                compiled.Add(CompiledRule.Create(rule, regexes));
            }
            catch (SchemaProblemException exception)
            {
                throw new PlanException($"{Describe(rule)}: {exception.Message}");
            }
            catch (InvalidOperationException)
            {
                throw new PlanException($"{Describe(rule)}: {Unreadable}");
            }
        }

        return new CompiledPlan(compiled);
    }

    /// <summary>Why a rule cannot be used (not valid draft-07, unsupported keyword, wrong key for its type), or null when it can.</summary>
    public static string? Problem(PlanRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (ShapeProblem(rule) is { } problem)
        {
            return $"{Describe(rule)}: {problem}";
        }

        try
        {
            CompiledRule.Create(rule, new Dictionary<string, Regex>(StringComparer.Ordinal));
            return null;
        }
        catch (SchemaProblemException exception)
        {
            return $"{Describe(rule)}: {exception.Message}";
        }
        catch (InvalidOperationException)
        {
            return $"{Describe(rule)}: {Unreadable}";
        }
    }

    /// <summary>How a rule is named in messages: <c>Rule TRACK "Order Completed" v1</c>.</summary>
    public static string Describe(PlanRule rule)
    {
        var type = rule.Type.ToString().ToUpperInvariant();
        return KeyOf(rule) is { } key ? $"Rule {type} \"{key}\" v{rule.Version}" : $"Rule {type} v{rule.Version}";
    }

    /// <summary>The rule's key, with an empty key read as none.</summary>
    internal static string? KeyOf(PlanRule rule) => string.IsNullOrEmpty(rule.Key) ? null : rule.Key;

    private static string? ShapeProblem(PlanRule rule)
    {
        if (!Enum.IsDefined(rule.Type))
        {
            return "the rule type is not one of COMMON, TRACK, IDENTIFY, GROUP, PAGE, SCREEN.";
        }

        if (rule.Type == RuleType.Track && string.IsNullOrWhiteSpace(rule.Key))
        {
            return "a TRACK rule needs the exact event name as its key.";
        }

        if (rule.Type is RuleType.Common or RuleType.Identify or RuleType.Group && KeyOf(rule) is not null)
        {
            var article = rule.Type == RuleType.Identify ? "an" : "a";
            return $"{article} {rule.Type.ToString().ToUpperInvariant()} rule has no key, but this one has \"{rule.Key}\".";
        }

        if (rule.Version < 1)
        {
            return $"the version must be 1 or more, not {rule.Version}.";
        }

        return rule.JsonSchema.ValueKind switch
        {
            JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False => null,
            JsonValueKind.Undefined => "the rule has no JSON Schema.",
            _ => "the JSON Schema must be an object.",
        };
    }
}
