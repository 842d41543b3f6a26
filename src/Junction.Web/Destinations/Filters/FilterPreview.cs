using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Destinations.ControlPlane;
using Junction.Fql;
using Junction.Web.Destinations.Mappings;

namespace Junction.Web.Destinations.Filters;

/// <summary>
/// What one filter does to a sample event: whether its condition matches, and either the event the destination would
/// receive (with the properties taken out listed) or why it is dropped. <see cref="Problem"/> is set instead when the
/// filter as edited is not valid.
/// </summary>
internal sealed record FilterOutcome(string? Problem, bool Matches, string? Event, IReadOnlyList<string> Removed, string? DropReason)
{
    public bool Dropped => DropReason is not null;

    /// <summary>
    /// Runs the filter through the filter engine (<see cref="DestinationFilterSet"/>) as it runs for delivery, enabled
    /// or not: a preview shows what the filter would do once on.
    /// </summary>
    public static FilterOutcome Of(string condition, JsonArray actions, JsonElement sample)
    {
        var read = DestinationFilterJson.ReadActions(JsonSerializer.SerializeToElement(actions));
        if (read.Problem is { } problem)
        {
            return Invalid(problem.Message);
        }

        var filter = new DestinationFilter { If = condition, Actions = read.Value!, Enabled = true };
        if (DestinationFilterValidator.Validate(filter) is { Count: > 0 } errors)
        {
            return Invalid(errors[0].Message);
        }

        var evaluation = FqlExpression.Parse(condition).Expression!.Evaluate(sample);
        var result = DestinationFilterSet.Compile([filter]).Apply(sample);
        if (result.IsDropped)
        {
            var reason = result.Drop.Reason switch
            {
                DestinationFilterDropReason.Dropped => "The condition matches and the filter drops the event.",
                DestinationFilterDropReason.SampledOut => "The condition matches and the sample does not keep this event (the same event is always kept or always dropped).",
                _ => result.Drop.Message,
            };
            return new FilterOutcome(null, evaluation.Outcome == FqlOutcome.Match, null, [], reason);
        }

        var before = JsonNode.Parse(sample.GetRawText());
        var removed = new List<string>();
        CollectRemoved(before, result.Event, "", removed);
        return new FilterOutcome(null, evaluation.Outcome == FqlOutcome.Match, SampleEvents.Show(result.Event), removed, null);
    }

    private static FilterOutcome Invalid(string message) => new(message, false, null, [], null);

    /// <summary>The paths of the members of <paramref name="before"/> that <paramref name="after"/> no longer has.</summary>
    private static void CollectRemoved(JsonNode? before, JsonNode? after, string path, List<string> removed)
    {
        switch (before)
        {
            case JsonObject beforeObject when after is JsonObject afterObject:
                foreach (var (key, value) in beforeObject)
                {
                    var child = path.Length == 0 ? key : $"{path}.{key}";
                    if (!afterObject.ContainsKey(key))
                    {
                        removed.Add(child);
                    }
                    else
                    {
                        CollectRemoved(value, afterObject[key], child, removed);
                    }
                }

                break;
            case JsonArray beforeArray when after is JsonArray afterArray:
                for (var i = 0; i < Math.Min(beforeArray.Count, afterArray.Count); i++)
                {
                    CollectRemoved(beforeArray[i], afterArray[i], $"{path}[{i}]", removed);
                }

                break;
        }
    }
}
