using System.Text.Json;
using Junction.Protocols.Plans.Schema;

namespace Junction.Protocols.Plans;

/// <summary>
/// A compiled tracking plan. Thread-safe: one instance is shared by every processor partition.
/// </summary>
/// <remarks>
/// <para>Which rule checks an event: a track call the TRACK rule keyed by its exact <c>event</c>; a page or screen
/// call the PAGE or SCREEN rule keyed by its <c>name</c>, else the plan's keyless PAGE or SCREEN rule; an identify or
/// group call the IDENTIFY or GROUP rule. When several versions of the rule exist, the one named by the integer
/// <c>context.protocols.event_version</c> is used if it exists, else the oldest (lowest) version.</para>
/// <para>An event is unplanned (<see cref="PlanCheck.Planned"/> false) when its rule is missing: a track call whose
/// name has no rule, a page or screen call with no matching rule while the plan has rules of that type. Identify and
/// group calls with no rule, page and screen calls in a plan with no rule of their type, and alias calls are planned:
/// there is nothing to check them against.</para>
/// <para>The rule's schema is validated against the whole event (Segment's rules describe the payload, with
/// <c>properties</c>, <c>traits</c> and <c>context</c> children); the COMMON rule, when the plan has one, is validated
/// against every event into <see cref="PlanCheck.CommonViolations"/>. Unplanned events and fields are reported through
/// <see cref="PlanCheck.Planned"/> and <see cref="PlanCheck.UnplannedFields"/> only, not as violations.</para>
/// <para>A check that finds nothing allocates nothing: it answers shared instances.</para>
/// </remarks>
internal sealed class CompiledPlan
{
    private static readonly PlanCheck Unplanned = new(false, [], [], []);

    private readonly Dictionary<string, RuleVersions> _tracks;
    private readonly Dictionary<string, RuleVersions>.AlternateLookup<ReadOnlySpan<char>> _trackLookup;
    private readonly Dictionary<string, RuleVersions> _pages;
    private readonly Dictionary<string, RuleVersions>.AlternateLookup<ReadOnlySpan<char>> _pageLookup;
    private readonly Dictionary<string, RuleVersions> _screens;
    private readonly Dictionary<string, RuleVersions>.AlternateLookup<ReadOnlySpan<char>> _screenLookup;
    private readonly RuleVersions? _anyPage;
    private readonly RuleVersions? _anyScreen;
    private readonly RuleVersions? _identify;
    private readonly RuleVersions? _group;
    private readonly RuleVersions? _common;

    internal CompiledPlan(IReadOnlyList<CompiledRule> rules)
    {
        Rules = [.. rules.Select(r => r.Rule)];
        _tracks = Group(rules, RuleType.Track);
        _pages = Group(rules, RuleType.Page);
        _screens = Group(rules, RuleType.Screen);
        _trackLookup = _tracks.GetAlternateLookup<ReadOnlySpan<char>>();
        _pageLookup = _pages.GetAlternateLookup<ReadOnlySpan<char>>();
        _screenLookup = _screens.GetAlternateLookup<ReadOnlySpan<char>>();
        _anyPage = Keyless(rules, RuleType.Page);
        _anyScreen = Keyless(rules, RuleType.Screen);
        _identify = Keyless(rules, RuleType.Identify);
        _group = Keyless(rules, RuleType.Group);
        _common = Keyless(rules, RuleType.Common);
    }

    /// <summary>A plan with no rules: every track call is unplanned.</summary>
    public static CompiledPlan Empty { get; } = new([]);

    /// <summary>The rules the plan was compiled from.</summary>
    public IReadOnlyList<PlanRule> Rules { get; }

    /// <summary>Checks one event (a normalized event's root object) against the plan.</summary>
    public PlanCheck Check(JsonElement @event)
    {
        if (@event.ValueKind != JsonValueKind.Object)
        {
            return Unplanned;
        }

        var planned = true;
        CompiledRule? rule = null;
        Span<char> scratch = stackalloc char[JsonText.Scratch];
        if (@event.TryGetProperty("type"u8, out var type) && type.ValueKind == JsonValueKind.String)
        {
            if (type.ValueEquals("track"u8))
            {
                var versions = Named(@event, "event"u8, _trackLookup, null, scratch);
                planned = versions is not null;
                rule = versions?.Select(@event);
            }
            else if (type.ValueEquals("page"u8) || type.ValueEquals("screen"u8))
            {
                var isPage = type.ValueEquals("page"u8);
                var (named, any, count) = isPage ? (_pageLookup, _anyPage, _pages.Count) : (_screenLookup, _anyScreen, _screens.Count);
                var versions = Named(@event, "name"u8, named, any, scratch);
                planned = versions is not null || (count == 0 && any is null);
                rule = versions?.Select(@event);
            }
            else if (type.ValueEquals("identify"u8))
            {
                rule = _identify?.Select(@event);
            }
            else if (type.ValueEquals("group"u8))
            {
                rule = _group?.Select(@event);
            }
        }

        var violations = rule is null ? [] : rule.Schema.Violations(@event);
        var unplannedFields = rule is null ? [] : UnplannedFields(rule, @event, scratch);
        var commonViolations = _common is null ? [] : _common.Select(@event).Schema.Violations(@event);
        if (violations.Length == 0 && commonViolations.Length == 0 && unplannedFields.Length == 0)
        {
            return planned ? PlanCheck.Clean : Unplanned;
        }

        return new PlanCheck(planned, violations, commonViolations, unplannedFields);
    }

    /// <summary>
    /// True when the plan has a rule for events of this type (<c>track</c>, <c>page</c>, <c>screen</c>,
    /// <c>identify</c>, <c>group</c>) and name, by the rules <see cref="Check"/> uses; for the schema view.
    /// </summary>
    public bool IsPlanned(string type, string? name) => type switch
    {
        "track" => name is not null && _tracks.ContainsKey(name),
        "page" => (name is not null && _pages.ContainsKey(name)) || _anyPage is not null || _pages.Count == 0,
        "screen" => (name is not null && _screens.ContainsKey(name)) || _anyScreen is not null || _screens.Count == 0,
        _ => true,
    };

    /// <summary>
    /// Whether the rule of events of this type and name plans the field at <paramref name="path"/>, by the same test
    /// <see cref="Check"/> uses for <see cref="PlanCheck.UnplannedFields"/>: a top-level key under the rule's
    /// <c>properties</c> (or, for identify and group, <c>traits</c>); for the schema view. Null when there is nothing to
    /// say: no rule for the event (the event itself is unplanned, or there is nothing to check it against) or a path
    /// outside that root, such as <c>context.ip</c>. A field nested deeper is judged by its top-level key.
    /// </summary>
    public bool? IsFieldPlanned(string type, string? name, string path)
    {
        var versions = type switch
        {
            "track" => name is not null ? _tracks.GetValueOrDefault(name) : null,
            "page" => (name is not null ? _pages.GetValueOrDefault(name) : null) ?? _anyPage,
            "screen" => (name is not null ? _screens.GetValueOrDefault(name) : null) ?? _anyScreen,
            "identify" => _identify,
            "group" => _group,
            _ => null,
        };
        if (versions?.Oldest is not { } rule || !path.StartsWith(rule.FieldsRoot + ".", StringComparison.Ordinal))
        {
            return null;
        }

        var key = path.AsSpan(rule.FieldsRoot.Length + 1);
        var dot = key.IndexOf('.');
        return rule.Plans(dot < 0 ? key : key[..dot]);
    }

    private static string[] UnplannedFields(CompiledRule rule, JsonElement @event, Span<char> scratch)
    {
        if (rule.PlansEveryField || !@event.TryGetProperty(rule.FieldsRoot, out var fields) || fields.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        List<string>? unplanned = null;
        foreach (var field in fields.EnumerateObject())
        {
            if (!rule.Plans(JsonText.Name(field, scratch)))
            {
                (unplanned ??= []).Add(rule.FieldsRoot + "." + JsonText.NameOf(field));
            }
        }

        return unplanned is null ? [] : [.. unplanned];
    }

    private static RuleVersions? Named(
        JsonElement @event,
        ReadOnlySpan<byte> property,
        Dictionary<string, RuleVersions>.AlternateLookup<ReadOnlySpan<char>> lookup,
        RuleVersions? fallback,
        Span<char> scratch)
    {
        if (@event.TryGetProperty(property, out var name) && name.ValueKind == JsonValueKind.String
            && lookup.TryGetValue(JsonText.Chars(name, scratch), out var versions))
        {
            return versions;
        }

        return fallback;
    }

    private static Dictionary<string, RuleVersions> Group(IReadOnlyList<CompiledRule> rules, RuleType type) =>
        rules.Where(r => r.Rule.Type == type && PlanCompiler.KeyOf(r.Rule) is not null)
            .GroupBy(r => r.Rule.Key!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new RuleVersions([.. g]), StringComparer.Ordinal);

    private static RuleVersions? Keyless(IReadOnlyList<CompiledRule> rules, RuleType type)
    {
        CompiledRule[] matching = [.. rules.Where(r => r.Rule.Type == type && PlanCompiler.KeyOf(r.Rule) is null)];
        return matching.Length == 0 ? null : new RuleVersions(matching);
    }

    /// <summary>The versions of one rule, oldest first.</summary>
    private sealed class RuleVersions(CompiledRule[] versions)
    {
        private readonly CompiledRule[] _versions = [.. versions.OrderBy(v => v.Rule.Version)];

        /// <summary>The version used when an event names none.</summary>
        public CompiledRule Oldest => _versions[0];

        public CompiledRule Select(JsonElement @event)
        {
            if (_versions.Length > 1 && @event.TryGetProperty("context"u8, out var context) && context.ValueKind == JsonValueKind.Object
                && context.TryGetProperty("protocols"u8, out var protocols) && protocols.ValueKind == JsonValueKind.Object
                && protocols.TryGetProperty("event_version"u8, out var version) && version.ValueKind == JsonValueKind.Number
                && version.TryGetInt32(out var wanted))
            {
                foreach (var candidate in _versions)
                {
                    if (candidate.Rule.Version == wanted)
                    {
                        return candidate;
                    }
                }
            }

            return Oldest;
        }
    }
}
