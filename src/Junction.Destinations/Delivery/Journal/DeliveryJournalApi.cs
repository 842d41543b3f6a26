using System.Globalization;
using System.Text.Json;
using Junction.Destinations.Framework;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.PublicApi;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Destinations.Delivery.Journal;

/// <summary>
/// The delivery journal over the Public API: Segment's delivery-metrics summary, Junction's Event Delivery series, an
/// event's trace over every destination of its source, and a destination's dead letters with bulk re-send. Reading
/// needs Source Read-only (or Source Admin, or Workspace Owner) on the destination's source; re-sending needs Source
/// Admin on it. A destination or source of another workspace is not found.
/// </summary>
internal static class DeliveryJournalApi
{
    public static RouteGroupBuilder MapDeliveryJournal(this RouteGroupBuilder api)
    {
        api.MapGet("/destinations/{destinationId}/delivery-metrics", GetDeliveryMetricsAsync).RequireDestinationSource(AccessLevel.Read);
        api.MapGet("/destinations/{destinationId}/event-delivery", GetEventDeliveryAsync).RequireDestinationSource(AccessLevel.Read);
        api.MapGet("/destinations/{destinationId}/dead-letters", ListDeadLettersAsync).RequireDestinationSource(AccessLevel.Read);
        api.MapPost("/destinations/{destinationId}/dead-letters/resend", ResendAsync).RequireDestinationSource(AccessLevel.Write);
        api.MapGet("/events/{messageId}/trace", GetTraceAsync).RequireQuerySource(AccessLevel.Read);
        return api;
    }

    /// <summary>
    /// Requires <paramref name="needed"/> access to the source of the destination named by the route's
    /// <c>{destinationId}</c>, before the handler runs.
    /// </summary>
    public static TBuilder RequireDestinationSource<TBuilder>(this TBuilder builder, AccessLevel needed)
        where TBuilder : IEndpointConventionBuilder
    {
        var action = needed == AccessLevel.Write ? "Re-sending events of the destinations of" : "Reading the deliveries of";
        return builder.Require(AccessRuleKind.Resource, $"{Denials.RoleNames(ResourceKind.Source, needed)} on the destination's source", (http, principal) =>
        {
            var destinationId = http.Request.RouteValues["destinationId"] as string ?? "";
            var destination = http.RequestServices.GetRequiredService<IDestinationDirectory>().Find(destinationId);
            if (destination is null || destination.WorkspaceId != principal.WorkspaceId)
            {
                return Problem.NotFound("Destination");
            }

            var source = http.RequestServices.GetRequiredService<ISourceLookup>().FindById(destination.SourceId);
            return SourceAccess.Check(principal, needed, source, action);
        });
    }

    /// <summary>Requires <paramref name="needed"/> access to the source named by the <c>sourceId</c> query parameter.</summary>
    public static TBuilder RequireQuerySource<TBuilder>(this TBuilder builder, AccessLevel needed)
        where TBuilder : IEndpointConventionBuilder =>
        builder.Require(AccessRuleKind.Resource, $"{Denials.RoleNames(ResourceKind.Source, needed)} on the source in sourceId", (http, principal) =>
        {
            var sourceId = http.Request.Query["sourceId"].ToString();
            if (sourceId.Length == 0)
            {
                return Problem.Invalid("sourceId is required: an event is traced within one source.", "sourceId");
            }

            var source = http.RequestServices.GetRequiredService<ISourceLookup>().FindById(sourceId);
            return SourceAccess.Check(principal, needed, source, "Reading the event traces of");
        });

    private static async Task<IResult> GetDeliveryMetricsAsync(
        HttpContext http, string destinationId, IDestinationDirectory destinations, DeliveryMetricsQuery metrics, TimeProvider time)
    {
        var destination = destinations.Find(destinationId)!;
        var sourceId = http.Request.Query["sourceId"].ToString();
        if (sourceId.Length > 0 && sourceId != destination.SourceId)
        {
            return ApiResults.Invalid($"Destination {destinationId} is connected to source {destination.SourceId}, not {sourceId}.", "sourceId");
        }

        if (ReadRange(http.Request, time, out var range) is { } invalid)
        {
            return invalid;
        }

        var report = await metrics.ReportAsync(destinationId, range.Start, range.End, range.Bucket, http.RequestAborted);
        var t = report.Totals;
        var latency = new List<object>();
        foreach (var (name, value) in (ReadOnlySpan<(string, double?)>)[("p50", t.Latency.P50), ("p95", t.Latency.P95), ("p99", t.Latency.P99)])
        {
            if (value is { } ms)
            {
                latency.Add(new { metricName = name, value = ms });
            }
        }

        return ApiResults.Data(new
        {
            deliveryMetricsSummary = new
            {
                sourceId = destination.SourceId,
                destinationMetadataId = destination.Definition.Id,
                metrics = new object[]
                {
                    new { metricName = "delivered", total = t.Delivered },
                    new { metricName = "retried", total = t.Retried, breakdown = Breakdown(report.Failures, DeliveryState.Retrying) },
                    new
                    {
                        metricName = "notDelivered",
                        total = t.NotDelivered,
                        breakdown = (object[])[new { metricName = "aborted", value = t.Aborted }, new { metricName = "expired", value = t.Expired }],
                    },
                    new { metricName = "aborted", total = t.Aborted, breakdown = Breakdown(report.Failures, DeliveryState.Aborted) },
                    new { metricName = "expired", total = t.Expired, breakdown = Breakdown(report.Failures, DeliveryState.Expired) },
                    new { metricName = "filtered", total = t.Filtered, breakdown = Breakdown(report.DiscardReasons, DeliveryState.Filtered) },
                    new { metricName = "latencyP95Ms", total = t.Latency.P95 ?? 0, breakdown = latency },
                },
            },
        });
    }

    private static async Task<IResult> GetEventDeliveryAsync(
        HttpContext http, string destinationId, IDestinationDirectory destinations, DeliveryMetricsQuery metrics, TimeProvider time)
    {
        var destination = destinations.Find(destinationId)!;
        if (ReadRange(http.Request, time, out var range) is { } invalid)
        {
            return invalid;
        }

        var report = await metrics.ReportAsync(destinationId, range.Start, range.End, range.Bucket, http.RequestAborted);
        return ApiResults.Data(new
        {
            destinationId,
            sourceId = destination.SourceId,
            granularity = range.Granularity,
            startTime = Iso(report.Start),
            endTime = Iso(report.End),
            totals = Totals(report.Totals),
            discardReasons = report.DiscardReasons.Select(r => new { reason = r.Code, count = r.Count }),
            failures = report.Failures.Select(r => new { state = StateName(r.State), code = r.Code, count = r.Count }),
            series = report.Series.Select(p => new { time = Iso(p.Time), counts = Totals(p.Totals) }),
        });
    }

    private static async Task<IResult> GetTraceAsync(
        string messageId, HttpContext http, TraceQuery traces, IDestinationDirectory destinations)
    {
        var sourceId = http.Request.Query["sourceId"].ToString();
        var found = await traces.ForMessageAsync(sourceId, messageId, http.RequestAborted);
        return ApiResults.Data(new
        {
            messageId,
            sourceId,
            destinations = found.Select(trace => new
            {
                destinationId = trace.DestinationId,
                destinationName = destinations.Find(trace.DestinationId)?.Name,
                subscriptionId = trace.SubscriptionId,
                finalState = StateName(trace.FinalState),
                steps = trace.Steps.Select(StepJson),
            }),
        });
    }

    private static async Task<IResult> ListDeadLettersAsync(HttpContext http, string destinationId, DeadLetterQuery deadLetters)
    {
        if (ReadFilter(destinationId, http.Request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.Ordinal), out var filter) is { } invalid)
        {
            return invalid;
        }

        if (!Pagination.TryRead(http.Request, out var pagination, out var paginationError))
        {
            return paginationError!;
        }

        var (items, total) = await deadLetters.ListAsync(filter, pagination.Offset, pagination.Count, http.RequestAborted);
        return ApiResults.Data(new
        {
            deadLetters = items.Select(DeadLetterJson),
            pagination = pagination.Output(total),
        });
    }

    private static async Task<IResult> ResendAsync(HttpContext http, string destinationId, DeadLetterQuery deadLetters)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is { } bodyError)
        {
            return bodyError;
        }

        var fields = new JsonFields(read.Body);
        var ids = fields.Array("ids");
        var filterObject = fields.Object("filter");
        if (fields.Errors is { } fieldErrors)
        {
            return fieldErrors;
        }

        if ((ids is null) == (filterObject is null))
        {
            return ApiResults.Invalid("Send either ids (the dead letters to re-send) or filter (re-send every pending one matching it).", "ids");
        }

        ResendResult result;
        if (ids is { } list)
        {
            var parsed = new List<long>();
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || !long.TryParse(item.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    return ApiResults.Invalid("ids must be dead-letter ids, as strings.", "ids");
                }

                parsed.Add(id);
            }

            if (parsed.Count > 10_000)
            {
                return ApiResults.Invalid("Send at most 10000 ids at once, or a filter.", "ids");
            }

            result = await deadLetters.ResendAsync(destinationId, parsed, http.RequestAborted);
        }
        else
        {
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var property in filterObject!.Value.EnumerateObject())
            {
                values[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Number => property.Value.GetRawText(),
                    JsonValueKind.Null => null,
                    _ => property.Value.GetRawText(),
                };
            }

            if (ReadFilter(destinationId, values, out var filter) is { } invalid)
            {
                return invalid;
            }

            result = await deadLetters.ResendAsync(filter, http.RequestAborted);
        }

        return ApiResults.Data(new { resent = result.Resent, failed = result.Failed, skipped = result.Skipped });
    }

    private static IResult? ReadFilter(string destinationId, IReadOnlyDictionary<string, string?> values, out DeadLetterFilter filter)
    {
        filter = new DeadLetterFilter(destinationId);
        string? Value(string name) => values.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : null;

        if (Value("state") is { } stateText)
        {
            var state = stateText.ToUpperInvariant() switch
            {
                "ABORTED" => DeliveryState.Aborted,
                "EXPIRED" => DeliveryState.Expired,
                _ => (DeliveryState?)null,
            };
            if (state is null)
            {
                return ApiResults.Invalid("state must be ABORTED or EXPIRED.", "state");
            }

            filter = filter with { State = state };
        }

        if (Value("statusCode") is { } statusText)
        {
            if (!int.TryParse(statusText, NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status > 999)
            {
                return ApiResults.Invalid("statusCode must be an HTTP status (0 for no answer).", "statusCode");
            }

            filter = filter with { Status = status };
        }

        if (Value("startTime") is { } startText)
        {
            if (!TryTime(startText, out var start))
            {
                return ApiResults.Invalid("startTime must be an ISO-8601 date-time.", "startTime");
            }

            filter = filter with { Start = start };
        }

        if (Value("endTime") is { } endText)
        {
            if (!TryTime(endText, out var end))
            {
                return ApiResults.Invalid("endTime must be an ISO-8601 date-time.", "endTime");
            }

            filter = filter with { End = end };
        }

        if (Value("status") is { } which)
        {
            var parsed = which.ToUpperInvariant() switch
            {
                "PENDING" => DeadLetterStatus.Pending,
                "RESENT" => DeadLetterStatus.Resent,
                "ALL" => DeadLetterStatus.Any,
                _ => (DeadLetterStatus?)null,
            };
            if (parsed is null)
            {
                return ApiResults.Invalid("status must be PENDING, RESENT or ALL.", "status");
            }

            filter = filter with { Which = parsed.Value };
        }

        filter = filter with { SubscriptionId = Value("subscriptionId"), Text = Value("search") };
        return null;
    }

    /// <summary>The time range and bucket of a metrics request; the default is the last 24 hours, by hour.</summary>
    private static IResult? ReadRange(HttpRequest request, TimeProvider time, out (DateTimeOffset Start, DateTimeOffset End, TimeSpan Bucket, string Granularity) range)
    {
        range = default;
        var query = request.Query;
        var end = time.GetUtcNow();
        if (query["endTime"].ToString() is { Length: > 0 } endText && !TryTime(endText, out end))
        {
            return ApiResults.Invalid("endTime must be an ISO-8601 date-time.", "endTime");
        }

        var start = end - TimeSpan.FromDays(1);
        if (query["startTime"].ToString() is { Length: > 0 } startText && !TryTime(startText, out start))
        {
            return ApiResults.Invalid("startTime must be an ISO-8601 date-time.", "startTime");
        }

        if (end <= start)
        {
            return ApiResults.Invalid("endTime must be after startTime.", "endTime");
        }

        var granularity = query["granularity"].ToString().ToUpperInvariant();
        if (granularity.Length == 0)
        {
            granularity = (end - start) <= TimeSpan.FromHours(6) ? "MINUTE" : (end - start) <= TimeSpan.FromDays(14) ? "HOUR" : "DAY";
        }

        TimeSpan? bucket = granularity switch
        {
            "MINUTE" => TimeSpan.FromMinutes(1),
            "HOUR" => TimeSpan.FromHours(1),
            "DAY" => TimeSpan.FromDays(1),
            _ => null,
        };
        if (bucket is not { } step)
        {
            return ApiResults.Invalid("granularity must be DAY, HOUR or MINUTE.", "granularity");
        }

        if ((end - start).Ticks / step.Ticks > DeliveryMetricsQuery.MaxPoints)
        {
            return ApiResults.Invalid($"That range holds more than {DeliveryMetricsQuery.MaxPoints:N0} {granularity} buckets; ask for a shorter range or a larger granularity.", "startTime");
        }

        range = (start, end, step, granularity);
        return null;
    }

    private static object[] Breakdown(IReadOnlyList<ReasonCount> counts, DeliveryState state) =>
        counts.Where(c => c.State == state).Select(c => (object)new { metricName = c.Code, value = c.Count }).ToArray();

    private static object Totals(DeliveryTotals t) => new
    {
        delivered = t.Delivered,
        retried = t.Retried,
        aborted = t.Aborted,
        expired = t.Expired,
        notDelivered = t.NotDelivered,
        filtered = t.Filtered,
        latencyMs = new { p50 = t.Latency.P50, p95 = t.Latency.P95, p99 = t.Latency.P99 },
    };

    private static object StepJson(TraceStep step) => new
    {
        state = StateName(step.State),
        at = Iso(step.At),
        subscriptionId = step.SubscriptionId,
        reason = step.Reason,
        attempt = step.Attempt > 0 ? step.Attempt : (int?)null,
        statusCode = step.State is DeliveryState.Delivered or DeliveryState.Retrying or DeliveryState.Aborted or DeliveryState.Expired ? step.Status : (int?)null,
        response = step.Response,
        latencyMs = step.LatencyMs,
        payload = step.Payload is { } json && !step.PayloadTruncated ? Parse(json) : null,
        payloadExcerpt = step.PayloadTruncated ? step.Payload : null,
    };

    private static object DeadLetterJson(DeadLetter letter)
    {
        JsonElement? payload = null;
        JsonElement? evt = null;
        if (letter.Record is { } bytes)
        {
            try
            {
                using var document = JsonDocument.Parse(bytes);
                payload = document.RootElement.TryGetProperty("payload", out var p) ? p.Clone() : null;
                evt = document.RootElement.TryGetProperty("event", out var e) ? e.Clone() : null;
            }
            catch (JsonException)
            {
            }
        }

        return new
        {
            id = letter.Id.ToString(CultureInfo.InvariantCulture),
            messageId = letter.MessageId,
            sourceId = letter.SourceId,
            subscriptionId = letter.SubscriptionId,
            state = StateName(letter.State),
            at = Iso(letter.At),
            reason = letter.Reason,
            statusCode = letter.Status,
            response = letter.Response,
            resentAt = letter.ResentAt is { } resent ? Iso(resent) : null,
            resendable = letter.Record is not null && letter.ResentAt is null,
            payload,
            @event = evt,
        };
    }

    private static JsonElement? Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static string StateName(DeliveryState state) => state.ToString().ToUpperInvariant();

    private static bool TryTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);

    private static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
