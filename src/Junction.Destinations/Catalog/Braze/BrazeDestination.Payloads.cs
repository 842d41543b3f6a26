using System.Globalization;
using System.Text.Json.Nodes;
using Junction.Destinations.Framework;

namespace Junction.Destinations.Catalog.Braze;

/// <summary>The objects of a <c>/users/track</c> request, built from one mapped payload each.</summary>
internal sealed partial class BrazeDestination
{
    private static readonly string[] ProductKeys = ["product_id", "currency", "price", "quantity"];

    private static readonly string[] StandardAttributes =
        ["first_name", "last_name", "phone", "home_city", "country", "image_url", "language", "email_subscribe", "push_subscribe"];

    /// <summary>One event object.</summary>
    private static Built<JsonObject[]> Event(JsonObject payload, string? appId)
    {
        if (Identifiers(payload) is not { } user)
        {
            return NoIdentifier;
        }

        if (payload.Text("name") is not { } name || payload.Text("time") is not { } time)
        {
            return Built<JsonObject[]>.Refused("An event needs a name and a time.");
        }

        user.SetIfPresent("app_id", appId);
        user["name"] = name;
        user["time"] = time;
        user.SetIfPresent("properties", payload["properties"] as JsonObject);
        user["_update_existing_only"] = payload.Flag("_update_existing_only", false);
        return Built<JsonObject[]>.Ok([user]);
    }

    /// <summary>One purchase object per product; the order's other properties and the product's other keys go in <c>properties</c>.</summary>
    private static Built<JsonObject[]> Purchases(JsonObject payload, string? appId)
    {
        if (Identifiers(payload) is not { } user)
        {
            return NoIdentifier;
        }

        if (payload.Text("time") is not { } time || payload["products"] is not JsonArray products)
        {
            return Built<JsonObject[]>.Refused("A purchase needs a time and a list of products.");
        }

        if (products.Count > MaxObjects)
        {
            return Built<JsonObject[]>.Refused($"An order may list at most {MaxObjects} products; this one lists {products.Count}.");
        }

        var orderProperties = payload.ObjectCopy("properties");
        orderProperties.Remove("products");
        var purchases = new List<JsonObject>();
        foreach (var product in products.OfType<JsonObject>())
        {
            if (product.Text("product_id") is not { } productId || product.Number("price") is not { } price)
            {
                return Built<JsonObject[]>.Refused("Every product needs a product_id and a price.");
            }

            var purchase = (JsonObject)user.DeepClone();
            purchase.SetIfPresent("app_id", appId);
            purchase["product_id"] = productId;
            purchase["currency"] = product.Text("currency") ?? "USD";
            purchase["price"] = price;
            purchase.SetIfPresent("quantity", product.Number("quantity"));
            purchase["time"] = time;
            var properties = (JsonObject)orderProperties.DeepClone();
            foreach (var (key, value) in product.Where(p => !ProductKeys.Contains(p.Key)))
            {
                properties[key] = value?.DeepClone();
            }

            if (properties.Count > 0)
            {
                purchase["properties"] = properties;
            }

            purchase["_update_existing_only"] = payload.Flag("_update_existing_only", false);
            purchases.Add(purchase);
        }

        return Built<JsonObject[]>.Ok([.. purchases]);
    }

    /// <summary>
    /// One attributes object: the custom attributes, less those the action maps to standard attributes (and the
    /// Segment trait names <c>firstName</c>, <c>lastName</c>, <c>avatar</c>), then the standard attributes.
    /// </summary>
    private static Built<JsonObject[]> Attributes(JsonObject payload, ActionDefinition action)
    {
        if (Identifiers(payload) is not { } attributes)
        {
            return NoIdentifier;
        }

        var reserved = action.Fields.Select(f => f.Key).Concat(["firstName", "lastName", "avatar"]).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in payload.ObjectCopy("custom_attributes").Where(p => !reserved.Contains(p.Key)))
        {
            attributes[key] = value?.DeepClone();
        }

        foreach (var key in StandardAttributes)
        {
            attributes.SetIfPresent(key, payload[key]);
        }

        attributes.SetIfPresent("gender", payload.Text("gender") is { } gender ? Gender(gender) : null);
        attributes.SetIfPresent("dob", payload.Text("dob") is { } dob ? DateOfBirth(dob) : null);
        if (payload["current_location"] is JsonObject location && location.Number("latitude") is { } latitude && location.Number("longitude") is { } longitude)
        {
            attributes["current_location"] = new JsonObject { ["latitude"] = latitude, ["longitude"] = longitude };
        }

        attributes["_update_existing_only"] = payload.Flag("_update_existing_only", false);
        return Built<JsonObject[]>.Ok([attributes]);
    }

    private static Built<JsonObject[]> NoIdentifier =>
        Built<JsonObject[]>.Refused("The user has no identifier: map external_id, braze_id, user_alias or email.");

    /// <summary>The user's identifiers; an alias counts only with both its name and its label.</summary>
    private static JsonObject? Identifiers(JsonObject payload)
    {
        var user = new JsonObject();
        user.SetIfPresent("external_id", payload.Text("external_id"));
        user.SetIfPresent("braze_id", payload.Text("braze_id"));
        if (payload["user_alias"] is JsonObject alias && alias.Text("alias_name") is { } aliasName && alias.Text("alias_label") is { } aliasLabel)
        {
            user["user_alias"] = new JsonObject { ["alias_name"] = aliasName, ["alias_label"] = aliasLabel };
        }

        user.SetIfPresent("email", payload.Text("email"));
        return user.Count > 0 ? user : null;
    }

    /// <summary>Braze's one-letter gender codes from the words people write; anything else is sent as written.</summary>
    private static string Gender(string gender) => gender.Trim().ToLowerInvariant() switch
    {
        "m" or "male" or "man" => "M",
        "f" or "female" or "woman" => "F",
        "o" or "other" => "O",
        "n" or "not applicable" => "N",
        "p" or "prefer not to say" => "P",
        _ => gender,
    };

    private static string DateOfBirth(string dob) =>
        DateTimeOffset.TryParse(dob, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : dob;
}
