using System.Text.Json.Nodes;
using Junction.Destinations.Framework;
using static Junction.Destinations.Framework.Payloads;
using static Junction.Destinations.Framework.Requests;

namespace Junction.Destinations.Catalog.Amplitude;

/// <summary>Amplitude's events: building them from mapped payloads and posting them to HTTP V2.</summary>
internal sealed partial class AmplitudeDestination
{
    private static async Task<SendResult> LogEventsAsync(SendContext context, string apiKey, IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        var statuses = new int[items.Count];
        var events = new List<JsonObject>();
        var positions = new List<int>();
        string? problem = null;
        for (var i = 0; i < items.Count; i++)
        {
            var payload = items[i].Payload;
            problem = EventProblem(payload);
            if (problem is not null)
            {
                statuses[i] = SendResult.InvalidPayloadStatus;
                continue;
            }

            events.Add(ToEvent(payload));
            positions.Add(i);
        }

        if (events.Count == 0)
        {
            return SendResult.Invalid(problem!);
        }

        var result = await PostEventsAsync(context, apiKey, MinIdOptions(items[positions[0]].Payload), events, cancellationToken);
        if (events.Count == items.Count && result.ItemStatuses is null)
        {
            return result;
        }

        var sent = result.Statuses(events.Count);
        for (var i = 0; i < positions.Count; i++)
        {
            statuses[positions[i]] = sent[i];
        }

        return SendResult.PerItem(statuses, result.Body, result.RetryAfter);
    }

    /// <summary>The order's event and one event per product, in one request; the order fails if any of them does.</summary>
    private static async Task<SendResult> LogPurchaseAsync(SendContext context, string apiKey, JsonObject payload, CancellationToken cancellationToken)
    {
        if (EventProblem(payload) is { } problem)
        {
            return SendResult.Invalid(problem);
        }

        var perProduct = payload.Flag("trackRevenuePerProduct");
        var order = ToEvent(payload);
        foreach (var key in RevenueFields)
        {
            order.Remove(key);
        }

        var events = new List<JsonObject> { order };
        foreach (var product in (payload["products"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var item = order.DeepClone().AsObject();
            item["event_type"] = "Product Purchased";
            item["event_properties"] = product.DeepClone();
            if (order.ScalarText("insert_id") is { } insertId)
            {
                item["insert_id"] = $"{insertId}-{events.Count}";
            }

            if (perProduct)
            {
                AddRevenue(item, product);
            }

            events.Add(item);
        }

        if (!perProduct)
        {
            AddRevenue(order, payload);
        }

        var result = await PostEventsAsync(context, apiKey, MinIdOptions(payload), events, cancellationToken);
        return result.ItemStatuses is { } statuses ? new SendResult(SendResult.PerItem(statuses, "").Status, result.Body, result.RetryAfter) : result;
    }

    /// <summary>Revenue is price × quantity when both are known, else the revenue field; without revenue nothing is added.</summary>
    private static void AddRevenue(JsonObject target, JsonObject source)
    {
        var price = source.Number("price");
        var quantity = source.Number("quantity");
        if ((price * quantity ?? source.Number("revenue")) is not { } revenue)
        {
            return;
        }

        CopyFields(source, target, [("price", "price"), ("quantity", "quantity"), ("productId", "productId")]);
        target["revenue"] = revenue;
        target["revenueType"] = source.ScalarText("revenueType") ?? "Purchase";
    }

    /// <summary>
    /// Posts events to HTTP V2. A 413 splits the batch in halves. A 400 that names the faulty events (by index) keeps
    /// them refused and resends the others once, as Amplitude advises, so one bad event does not sink its batch.
    /// </summary>
    private static async Task<SendResult> PostEventsAsync(SendContext context, string apiKey, JsonObject? options, List<JsonObject> events, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["api_key"] = apiKey, ["events"] = new JsonArray([.. events.Select(e => e.DeepClone())]) };
        if (options is not null)
        {
            body["options"] = options.DeepClone();
        }

        var result = await context.SendJsonAsync(HttpMethod.Post, Host(context, "/2/httpapi"), body, null, cancellationToken);
        if (result.Status == 413 && events.Count > 1)
        {
            var half = events.Count / 2;
            var first = await PostEventsAsync(context, apiKey, options, events[..half], cancellationToken);
            var second = await PostEventsAsync(context, apiKey, options, events[half..], cancellationToken);
            return SendResult.PerItem([.. first.Statuses(half), .. second.Statuses(events.Count - half)], second.Body, first.RetryAfter ?? second.RetryAfter);
        }

        if (result.Status != 400 || FaultyIndexes(result.Body, events.Count) is not { Count: > 0 } faulty)
        {
            return result;
        }

        var statuses = Enumerable.Repeat(400, events.Count).ToArray();
        var retry = Enumerable.Range(0, events.Count).Where(i => !faulty.Contains(i)).ToList();
        if (retry.Count > 0)
        {
            var again = await PostEventsAsync(context, apiKey, options, [.. retry.Select(i => events[i])], cancellationToken);
            var resent = again.Statuses(retry.Count);
            for (var i = 0; i < retry.Count; i++)
            {
                statuses[retry[i]] = resent[i];
            }
        }

        return SendResult.PerItem(statuses, result.Body);
    }

    /// <summary>The indexes a 400 lists under <c>events_with_invalid_fields</c> and <c>events_with_missing_fields</c>.</summary>
    private static HashSet<int> FaultyIndexes(string body, int count)
    {
        var faulty = new HashSet<int>();
        foreach (var key in (string[])["events_with_invalid_fields", "events_with_missing_fields"])
        {
            if (ParseBody(body)?[key] is not JsonObject byField)
            {
                continue;
            }

            foreach (var (_, indexes) in byField)
            {
                foreach (var index in indexes as JsonArray ?? new JsonArray())
                {
                    if (index is JsonValue value && value.TryGetValue<int>(out var i) && i >= 0 && i < count)
                    {
                        faulty.Add(i);
                    }
                }
            }
        }

        return faulty;
    }

    private static string? EventProblem(JsonObject payload) =>
        payload.ScalarText("event_type") is null ? "event_type is required."
        : payload.ScalarText("user_id") is null && payload.ScalarText("device_id") is null ? "Either user_id or device_id is required."
        : null;

    private static JsonObject ToEvent(JsonObject payload)
    {
        var known = DeviceFields.Concat(EventOnlyFields).Select(f => f.Key)
            .Concat(["user_id", "device_id", "event_type", "event_properties", "groups", "insert_id"]);
        var result = new JsonObject();
        CopyFields(payload, result, known.Select(k => (k, k)));
        if (payload.Instant("time") is { } time)
        {
            result["time"] = time.ToUnixTimeMilliseconds();
        }

        if (payload.Instant("session_id") is { } session)
        {
            result["session_id"] = session.ToUnixTimeMilliseconds();
        }

        AddCommon(payload, result);
        return result;
    }

    /// <summary>User properties with the set/set-once operators, the platform's usual spelling, and the library.</summary>
    private static void AddCommon(JsonObject payload, JsonObject target)
    {
        var properties = payload.NonEmptyObject("user_properties")?.DeepClone().AsObject() ?? [];
        if (payload.NonEmptyObject("setAlways") is { } set)
        {
            properties["$set"] = set.DeepClone();
        }

        if (payload.NonEmptyObject("setOnce") is { } setOnce)
        {
            properties["$setOnce"] = setOnce.DeepClone();
        }

        if (properties.Count > 0)
        {
            target["user_properties"] = properties;
        }

        if (payload.ScalarText("platform") is { } platform)
        {
            target["platform"] = platform.ToUpperInvariant() switch { "IOS" => "iOS", "ANDROID" => "Android", _ => platform };
        }

        target["library"] = payload.ScalarText("library") ?? "segment";
    }
}
