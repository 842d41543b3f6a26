using Junction.Events;
using Junction.Protocols.Controls;
using Junction.Protocols.Observation;
using Junction.Protocols.Plans;

namespace Junction.Protocols.Processing;

/// <summary>
/// What to do with one event after its tracking-plan check: block it (with the reason, a sentence and the field at
/// fault), and otherwise which fields to omit, plus every violation to record and report.
/// </summary>
/// <param name="BlockReason">One of <see cref="BlockReasons"/>, or null when the event goes on.</param>
/// <param name="BlockMessage">Why it is blocked, in a sentence for the debugger.</param>
/// <param name="BlockField">The field at fault, when there is one.</param>
/// <param name="Reported">The violations recorded, forwarded and attached to the event: an unplanned event, the rule's violations, unplanned properties (or traits) and common-schema violations.</param>
/// <param name="Container">Where omitted fields live: <c>properties</c>, <c>traits</c>, or null (alias).</param>
/// <param name="OmitUnplanned">Field paths to omit because the plan does not have them (listed as <c>omitted</c>).</param>
/// <param name="OmitOnViolation">Field paths to omit because they violate the plan (listed as <c>omitted_on_violation</c>).</param>
internal sealed record PlanDecision(
    string? BlockReason,
    string? BlockMessage,
    string? BlockField,
    IReadOnlyList<Violation> Reported,
    string? Container,
    IReadOnlyList<string> OmitUnplanned,
    IReadOnlyList<string> OmitOnViolation);

/// <summary>
/// A source's schema controls (Segment's <c>/sources/{id}/settings</c>, ../shared/reference/segment.md §6.4) applied to the
/// outcome of a tracking-plan check, in Segment's order: the standard controls (unplanned events, then the event's rule)
/// first, then the common JSON Schema. Track, page and screen calls follow the track controls; identify and group calls
/// their own, which never block for the rule (traits are only omitted). Alias calls have no rule: only the common schema
/// applies to them, with the track controls' action.
/// </summary>
internal static class PlanControls
{
    public static PlanDecision Decide(EventType type, string? name, string? planName, PlanCheck check, SourceSchemaSettings settings)
    {
        var named = type is EventType.Track or EventType.Page or EventType.Screen;
        var unplannedEvent = named && !check.Planned;
        var container = SchemaPaths.RootOf(type.Name());
        var reported = new List<Violation>(check.Violations.Count + check.CommonViolations.Count + check.UnplannedFields.Count + 1);
        if (unplannedEvent)
        {
            var plan = planName is null ? "the tracking plan" : $"the tracking plan \"{planName}\"";
            reported.Add(new Violation(ViolationTypes.UnplannedEvent, type == EventType.Track ? "event" : "name", $"\"{name}\" is not in {plan}."));
        }

        reported.AddRange(check.Violations);
        if (check.Planned)
        {
            foreach (var unplanned in check.UnplannedFields)
            {
                if (!check.Violations.Any(v => v.Type == ViolationTypes.UnplannedProperty && v.Field == unplanned))
                {
                    reported.Add(new Violation(ViolationTypes.UnplannedProperty, unplanned, $"{unplanned} is not in the tracking plan."));
                }
            }
        }

        reported.AddRange(check.CommonViolations);

        string? reason = null;
        string? message = null;
        string? field = null;
        var omitUnplanned = new List<string>();
        var omitOnViolation = new List<string>();
        bool allowUnplannedFields, allowFieldsOnViolations;
        CommonViolationAction common;
        if (type is EventType.Identify or EventType.Group)
        {
            var controls = type == EventType.Identify ? settings.Identify : settings.Group;
            (allowUnplannedFields, allowFieldsOnViolations, common) = (controls.AllowUnplannedTraits, controls.AllowTraitsOnViolations, controls.CommonEventOnViolations);
        }
        else
        {
            var controls = settings.Track;
            (allowUnplannedFields, allowFieldsOnViolations, common) = (controls.AllowUnplannedEventProperties, controls.AllowPropertiesOnViolations, controls.CommonEventOnViolations);
            if (unplannedEvent && !controls.AllowUnplannedEvents)
            {
                (reason, message, field) = (BlockReasons.Unplanned, reported[0].Description + " Unplanned events are blocked.", reported[0].Field);
            }
            else if (named && check.Violations.Count > 0 && !controls.AllowEventOnViolations)
            {
                (reason, message, field) = (ViolationReason(check.Violations), Summary(check.Violations) + " Events with violations are blocked.", check.Violations[0].Field);
            }
        }

        if (reason is null)
        {
            if (check.Planned && !allowUnplannedFields)
            {
                omitUnplanned.AddRange(check.UnplannedFields);
            }

            if (!allowFieldsOnViolations)
            {
                omitOnViolation.AddRange(check.Violations.Select(v => v.Field));
            }

            if (check.CommonViolations.Count > 0)
            {
                if (common == CommonViolationAction.Block)
                {
                    (reason, message, field) = (BlockReasons.CommonSchemaViolation, Summary(check.CommonViolations) + " Events failing the common schema are blocked.", check.CommonViolations[0].Field);
                }
                else if (common == CommonViolationAction.Omit)
                {
                    omitOnViolation.AddRange(check.CommonViolations.Select(v => v.Field));
                }
            }
        }

        return reason is null
            ? new PlanDecision(null, null, null, reported, container, omitUnplanned, omitOnViolation)
            : new PlanDecision(reason, message, field, reported, container, [], []);
    }

    /// <summary>The reason of a block for the rule's violations: unplanned properties the rule forbids, schema violations, or both.</summary>
    private static string ViolationReason(IReadOnlyList<Violation> violations)
    {
        var unplanned = violations.Any(v => v.Type is ViolationTypes.UnplannedProperty or ViolationTypes.UnplannedEvent);
        var other = violations.Any(v => v.Type is not (ViolationTypes.UnplannedProperty or ViolationTypes.UnplannedEvent));
        return unplanned && other ? BlockReasons.UnplannedAndSchemaViolation : unplanned ? BlockReasons.Unplanned : BlockReasons.SchemaViolation;
    }

    private static string Summary(IReadOnlyList<Violation> violations) =>
        violations.Count == 1
            ? $"{violations[0].Field}: {violations[0].Description.TrimEnd('.')}."
            : $"{violations[0].Field}: {violations[0].Description.TrimEnd('.')} (and {violations.Count - 1} more).";
}
