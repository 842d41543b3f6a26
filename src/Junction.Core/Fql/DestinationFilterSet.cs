using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Junction.Fql;

internal enum DestinationFilterDropReason : byte
{
    /// <summary>A <c>DROP</c> action of a matching filter.</summary>
    Dropped,

    /// <summary>A <c>SAMPLE</c> action of a matching filter did not keep the event.</summary>
    SampledOut,

    /// <summary>The filter's definition is invalid (bad FQL, bad action): events are dropped rather than risk sending them.</summary>
    InvalidFilter,

    /// <summary>The filter's condition failed on this event: the event is dropped rather than risk sending it.</summary>
    ConditionError,

    /// <summary>The event is not a JSON object, or its properties cannot be edited (an object repeats a key).</summary>
    InvalidEvent,
}

/// <summary>Which filter dropped an event (index in the list given to <see cref="DestinationFilterSet.Compile"/>) and why.</summary>
internal sealed record DestinationFilterDrop(DestinationFilterDropReason Reason, string Message, int FilterIndex, string? FilterId, string? FilterTitle);

/// <summary>The result of filtering one event: the event to send, or why it was dropped.</summary>
internal readonly record struct DestinationFilterResult(JsonObject? Event, DestinationFilterDrop? Drop)
{
    [MemberNotNullWhen(true, nameof(Drop))]
    [MemberNotNullWhen(false, nameof(Event))]
    public bool IsDropped => Drop is not null;
}

/// <summary>
/// The compiled filters of one source–destination pair. Compile once when the filters change; apply to each
/// event. The conditions of all enabled filters are read against the event as it arrived; the actions of the
/// matching filters then run in stages — every sample, every drop, every property removal, every allow-list —
/// and within a stage in the order of the filters.
/// </summary>
/// <remarks>
/// The set fails closed: a filter whose definition is invalid, or whose condition cannot be evaluated for an
/// event, drops that event, so that a broken filter never lets through data it was meant to hold back.
/// </remarks>
internal sealed partial class DestinationFilterSet
{
    private readonly CompiledFilter[] _filters;

    private DestinationFilterSet(CompiledFilter[] filters) => _filters = filters;

    /// <summary>The number of enabled filters.</summary>
    public int Count => _filters.Length;

    public static DestinationFilterSet Compile(IEnumerable<DestinationFilter> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        return new DestinationFilterSet([.. filters
            .Select((filter, index) => (filter, index))
            .Where(f => f.filter.Enabled)
            .Select(f => CompiledFilter.Create(f.filter, f.index))]);
    }

    /// <summary>
    /// Applies the filters to one event. The returned object is a copy the caller may change; it does not depend
    /// on the document that holds <paramref name="event"/>.
    /// </summary>
    public DestinationFilterResult Apply(JsonElement @event)
    {
        if (@event.ValueKind != JsonValueKind.Object)
        {
            return Dropped(new(DestinationFilterDropReason.InvalidEvent, "The event is not a JSON object.", -1, null, null));
        }

        var count = _filters.Length;
        Span<bool> matched = count <= 64 ? stackalloc bool[count] : new bool[count];
        var anyPropertyAction = false;
        for (var i = 0; i < count; i++)
        {
            var filter = _filters[i];
            if (filter.Invalid is not null)
            {
                return Dropped(filter.Drop(DestinationFilterDropReason.InvalidFilter,
                    $"Filter {filter.Name} is invalid, so events are dropped until it is fixed: {filter.Invalid}"));
            }

            var evaluation = filter.Condition!.Evaluate(@event);
            if (evaluation.Outcome == FqlOutcome.Error)
            {
                return Dropped(filter.Drop(DestinationFilterDropReason.ConditionError,
                    $"The condition of filter {filter.Name} could not be evaluated, so the event is dropped: {evaluation.Error}"));
            }

            matched[i] = evaluation.Outcome == FqlOutcome.Match;
            anyPropertyAction |= matched[i] && filter.HasPropertyActions;
        }

        foreach (var stage in (ReadOnlySpan<DestinationFilterActionType>)[DestinationFilterActionType.Sample, DestinationFilterActionType.Drop])
        {
            for (var i = 0; i < count; i++)
            {
                if (!matched[i])
                {
                    continue;
                }

                foreach (var action in _filters[i].Actions)
                {
                    if (action.Type != stage)
                    {
                        continue;
                    }

                    if (stage == DestinationFilterActionType.Drop)
                    {
                        return Dropped(_filters[i].Drop(DestinationFilterDropReason.Dropped, $"Dropped by filter {_filters[i].Name}."));
                    }

                    if (!DestinationFilterSampler.Keeps(@event, action.SamplePath, action.Percent))
                    {
                        return Dropped(_filters[i].Drop(DestinationFilterDropReason.SampledOut, string.Create(
                            CultureInfo.InvariantCulture, $"Not among the {action.Percent * 100:0.##}% of events kept by filter {_filters[i].Name}.")));
                    }
                }
            }
        }

        var result = JsonObject.Create(@event.Clone())!;
        if (anyPropertyAction)
        {
            try
            {
                ApplyPropertyActions(result, matched);
            }
            catch (ArgumentException)
            {
                // JsonObject cannot hold an object that repeats a key; such an event cannot have its properties
                // filtered reliably, so it is held back rather than sent with properties it should not carry.
                return Dropped(new(DestinationFilterDropReason.InvalidEvent,
                    "The event repeats a key inside an object, so its properties cannot be filtered.", -1, null, null));
            }
        }

        return new DestinationFilterResult(result, null);
    }

    private void ApplyPropertyActions(JsonObject result, ReadOnlySpan<bool> matched)
    {
        foreach (var stage in (ReadOnlySpan<DestinationFilterActionType>)[DestinationFilterActionType.DropProperties, DestinationFilterActionType.AllowProperties])
        {
            for (var i = 0; i < _filters.Length; i++)
            {
                if (!matched[i])
                {
                    continue;
                }

                foreach (var action in _filters[i].Actions)
                {
                    if (action.Type == stage)
                    {
                        ApplyFields(result, action);
                    }
                }
            }
        }
    }

    private static DestinationFilterResult Dropped(DestinationFilterDrop drop) => new(null, drop);

    private sealed record CompiledAction(
        DestinationFilterActionType Type,
        double Percent,
        FqlPath? SamplePath,
        (FqlPath Path, HashSet<string> Keys)[] Fields);

    private sealed class CompiledFilter
    {
        private CompiledFilter(DestinationFilter definition, int index)
        {
            Definition = definition;
            Index = index;
            Name = definition.Title is { Length: > 0 } title ? $"\"{title}\"" : definition.Id is { } id ? id : $"#{index + 1}";
        }

        public DestinationFilter Definition { get; }

        public int Index { get; }

        /// <summary>How the filter is named in messages: its title, its id, or its position.</summary>
        public string Name { get; }

        public FqlExpression? Condition { get; private set; }

        /// <summary>Why the definition cannot be used; null when it is valid.</summary>
        public string? Invalid { get; private set; }

        public CompiledAction[] Actions { get; private set; } = [];

        public bool HasPropertyActions { get; private set; }

        public static CompiledFilter Create(DestinationFilter definition, int index)
        {
            var filter = new CompiledFilter(definition, index);
            var errors = DestinationFilterValidator.Validate(definition);
            if (errors.Count > 0)
            {
                filter.Invalid = $"{errors[0].Field}: {errors[0].Message}";
                return filter;
            }

            filter.Condition = FqlExpression.Parse(definition.If!).Expression;
            filter.Actions = [.. definition.Actions.Select(CompileAction)];
            filter.HasPropertyActions = filter.Actions.Any(a => a.Fields.Length > 0);
            return filter;
        }

        public DestinationFilterDrop Drop(DestinationFilterDropReason reason, string message) =>
            new(reason, message, Index, Definition.Id, Definition.Title);

        // Only called on definitions that passed validation, so every parse below succeeds.
        private static CompiledAction CompileAction(DestinationFilterAction action)
        {
            DestinationFilterActionTypes.TryParse(action.Type, out var type);
            FqlPath? samplePath = null;
            if (action.Path is not null)
            {
                FqlPath.TryParse(DestinationFilterValidator.SamplePath(action.Path), out samplePath, out _);
            }

            var fields = action.Fields is null || type is DestinationFilterActionType.Sample or DestinationFilterActionType.Drop
                ? []
                : action.Fields.Select(f =>
                {
                    FqlPath.TryParse(f.Key, out var path, out _);
                    return (path, new HashSet<string>(f.Value, StringComparer.Ordinal));
                }).ToArray();
            return new CompiledAction(type, action.Percent ?? 1, samplePath, fields);
        }
    }
}
