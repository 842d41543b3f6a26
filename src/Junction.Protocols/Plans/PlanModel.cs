using System.Text.Json;

namespace Junction.Protocols.Plans;

/// <summary>The kinds of tracking-plan rules, as Segment names them in the Public API.</summary>
internal enum RuleType
{
    /// <summary>Validated against the whole payload of every event of the plan's sources.</summary>
    Common,

    /// <summary>One track event (key = its exact name); several versions may exist.</summary>
    Track,

    /// <summary>Identify calls (no key); the schema constrains <c>traits</c> (and optionally <c>context</c>).</summary>
    Identify,

    /// <summary>Group calls (no key); the schema constrains <c>traits</c>.</summary>
    Group,

    /// <summary>Page calls (key = page name, or null for every page call).</summary>
    Page,

    /// <summary>Screen calls (key = screen name, or null for every screen call).</summary>
    Screen,
}

/// <summary>
/// One rule of a tracking plan in Segment's shape (<c>RuleV1</c>): a JSON Schema (draft-07) for the event payload,
/// whose <c>properties</c> / <c>traits</c> / <c>context</c> children constrain those parts of the event.
/// </summary>
internal sealed record PlanRule(RuleType Type, string? Key, int Version, JsonElement JsonSchema);

/// <summary>
/// A problem found in an event, with Segment's type names (<see cref="ViolationTypes"/>), the JSON path of the field
/// (<c>properties.price</c>, <c>traits.email</c>, <c>(root)</c> for the common schema) and a description for people
/// (<c>Invalid type. Expected: integer, given: string</c>).
/// </summary>
internal sealed record Violation(string Type, string Field, string Description);

/// <summary>The violation type names Junction reports (Segment documents the first two; the rest are Junction's).</summary>
internal static class ViolationTypes
{
    public const string Required = "Required";
    public const string InvalidType = "Invalid Type";
    public const string InvalidValue = "Invalid Value";
    public const string PatternMismatch = "Pattern Mismatch";
    public const string OutOfRange = "Out Of Range";
    public const string InvalidFormat = "Invalid Format";
    public const string InvalidLength = "Invalid Length";
    public const string UnplannedEvent = "Unplanned Event";
    public const string UnplannedProperty = "Unplanned Property";
    public const string CommonSchema = "Common Schema";
}

/// <summary>
/// The outcome of checking one event against a plan: whether the plan has a rule for it, the violations of that rule
/// (and of the common rule), and the fields the event carries that the rule does not plan (top-level children of
/// <c>properties</c> for track/page/screen, of <c>traits</c> for identify/group, as JSON paths).
/// </summary>
internal sealed record PlanCheck(bool Planned, IReadOnlyList<Violation> Violations, IReadOnlyList<Violation> CommonViolations, IReadOnlyList<string> UnplannedFields)
{
    public static PlanCheck Clean { get; } = new(true, [], [], []);
}

/// <summary>A rule Junction cannot use: its JSON Schema is not valid draft-07 or uses what Junction does not support.</summary>
internal sealed class PlanException(string message) : Exception(message);
