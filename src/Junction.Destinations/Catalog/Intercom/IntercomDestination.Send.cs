using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Junction.Destinations.Framework;
using static Junction.Destinations.Framework.Payloads;

namespace Junction.Destinations.Catalog.Intercom;

/// <summary>The three flows: each may look a contact up first, then writes; the last answer is the result.</summary>
internal sealed partial class IntercomDestination
{
    private static readonly string[] ContactKeys = ["role", "external_id", "email", "phone", "name", "avatar", "owner_id", "unsubscribed_from_emails", "custom_attributes"];
    private static readonly string[] CompanyKeys = ["company_id", "name", "monthly_spend", "plan", "size", "website", "industry", "custom_attributes"];

    public async ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken)
    {
        if (context.Setting("accessToken") is null)
        {
            return SendResult.Invalid("accessToken is required: an Intercom access token.");
        }

        var payload = batch.Items[0].Payload;
        return batch.Action.Id switch
        {
            IdentifyContact => await IdentifyAsync(context, payload, cancellationToken),
            GroupIdentifyContact => await GroupAsync(context, payload, cancellationToken),
            TrackEvent => await TrackAsync(context, payload, cancellationToken),
            var other => SendResult.Invalid($"Intercom has no action {other}."),
        };
    }

    private static async Task<SendResult> IdentifyAsync(SendContext context, JsonObject payload, CancellationToken cancellationToken)
    {
        if (payload.JsonString("role") is null || (payload.JsonString("external_id") is null && payload.JsonString("email") is null))
        {
            return SendResult.Invalid("role and an external_id or email are required.");
        }

        var contact = Pick(payload, ContactKeys);
        Time(payload, "signed_up_at", contact);
        Time(payload, "last_seen_at", contact);
        var found = await FindContactAsync(context, payload["external_id"], payload["email"], cancellationToken);
        if (found.Failure is not null || found.Count > 1)
        {
            return found.Failure ?? new SendResult(409, "More than one Intercom contact matches this external_id or email; none was updated.");
        }

        if (found.Id is { } id)
        {
            return (await CallAsync(context, HttpMethod.Put, $"/contacts/{Uri.EscapeDataString(id)}", contact, cancellationToken)).Result;
        }

        var (created, _) = await CallAsync(context, HttpMethod.Post, "/contacts", contact, cancellationToken);

        // A conflict right after a search that found nothing means Intercom's search index lags the write: try again later.
        return created.Status == 409 ? created with { Status = 503 } : created;
    }

    private static async Task<SendResult> GroupAsync(SendContext context, JsonObject payload, CancellationToken cancellationToken)
    {
        if (payload.JsonString("company_id") is null)
        {
            return SendResult.Invalid("company_id is required.");
        }

        var contactId = payload.JsonString("contact_id");
        if (contactId is null)
        {
            var found = await FindContactAsync(context, payload["external_id"], payload["email"], cancellationToken);
            if (found.Failure is not null)
            {
                return found.Failure;
            }

            contactId = found.Count == 1 ? found.Id : null;
        }

        var company = Pick(payload, CompanyKeys);
        Time(payload, "remote_created_at", company);
        var (result, body) = await CallAsync(context, HttpMethod.Post, "/companies", company, cancellationToken);
        if (contactId is null || SendClassifier.Classify(result.Status) != SendOutcome.Delivered || JsonString(body?["id"]) is not { } companyId)
        {
            return result;
        }

        var attach = new JsonObject { ["id"] = companyId };
        return (await CallAsync(context, HttpMethod.Post, $"/contacts/{Uri.EscapeDataString(contactId)}/companies", attach, cancellationToken)).Result;
    }

    private static async Task<SendResult> TrackAsync(SendContext context, JsonObject payload, CancellationToken cancellationToken)
    {
        var userId = payload.JsonString("user_id");
        var email = payload.JsonString("email");
        if (payload.JsonString("event_name") is not { } name || UnixSeconds(payload["created_at"], anyDateForm: true) is not { } createdAt || (userId is null && email is null))
        {
            return SendResult.Invalid("event_name, created_at and a user_id or email are required.");
        }

        var intercomEvent = new JsonObject { ["event_name"] = name, ["created_at"] = createdAt };
        if (userId is not null)
        {
            intercomEvent["user_id"] = userId;
        }

        if (email is not null)
        {
            intercomEvent["email"] = email;
        }

        if (userId is null)
        {
            var found = await FindContactAsync(context, null, payload["email"], cancellationToken);
            if (found.Failure is not null || found.Id is null)
            {
                return found.Failure ?? new SendResult(404, "No single Intercom contact has this email, so the event has nobody to belong to.");
            }

            intercomEvent["id"] = found.Id;
        }

        var metadata = payload.ObjectCopy("metadata");
        metadata.Remove("email");
        metadata.Remove("revenue");
        metadata.Remove("currency");
        if (payload.Number("revenue") is { } amount)
        {
            metadata["price"] = new JsonObject
            {
                ["amount"] = (long)Math.Round(amount * 100, MidpointRounding.AwayFromZero),
                ["currency"] = payload.JsonString("currency") ?? "USD",
            };
        }

        if (metadata.Count > 0)
        {
            intercomEvent["metadata"] = metadata;
        }

        return (await CallAsync(context, HttpMethod.Post, "/events", intercomEvent, cancellationToken)).Result;
    }

    private readonly record struct Found(int Count, string? Id, SendResult? Failure);

    /// <summary>Searches contacts by external ID when there is one, else by email; the id is set when exactly one matches.</summary>
    private static async Task<Found> FindContactAsync(SendContext context, JsonNode? externalId, JsonNode? email, CancellationToken cancellationToken)
    {
        var (field, value) = JsonString(externalId) is { } id ? ("external_id", id) : ("email", JsonString(email));
        if (value is null)
        {
            return new Found(0, null, null);
        }

        var query = new JsonObject { ["query"] = new JsonObject { ["field"] = field, ["operator"] = "=", ["value"] = value } };
        var (result, body) = await CallAsync(context, HttpMethod.Post, "/contacts/search", query, cancellationToken);
        if (SendClassifier.Classify(result.Status) != SendOutcome.Delivered)
        {
            return new Found(0, null, result);
        }

        var contacts = body?["data"] as JsonArray ?? [];
        return new Found(contacts.Count, contacts.Count == 1 ? JsonString(contacts[0]?["id"]) : null, null);
    }

    /// <summary>One authenticated JSON call; the parsed response body is returned beside the result when it is JSON.</summary>
    private static async Task<(SendResult Result, JsonNode? Body)> CallAsync(
        SendContext context, HttpMethod method, string path, JsonObject body, CancellationToken cancellationToken)
    {
        var reply = await context.CallJsonAsync(method, context.Url(path), body, headers =>
        {
            headers.Authorization = new AuthenticationHeaderValue("Bearer", context.Setting("accessToken"));
            headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }, cancellationToken);
        return (reply.Result, reply.Json());
    }

    private static JsonObject Pick(JsonObject payload, string[] keys)
    {
        var picked = new JsonObject();
        foreach (var key in keys)
        {
            if (payload[key] is { } value && !(value is JsonValue v && v.TryGetValue<string>(out var s) && s.Length == 0))
            {
                picked[key] = value.DeepClone();
            }
        }

        return picked;
    }

    /// <summary>
    /// Intercom wants Unix seconds: numbers (and digit strings) are taken as seconds, other text as a date and time in
    /// any form .NET reads (UTC when it has no offset).
    /// </summary>
    private static void Time(JsonObject payload, string key, JsonObject into)
    {
        if (UnixSeconds(payload[key], anyDateForm: true) is { } seconds)
        {
            into[key] = seconds;
        }
    }
}
