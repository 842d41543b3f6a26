using System.Text.Json.Nodes;
using Junction.Protocols.Plans;
using static Junction.Protocols.Templates.RuleWriter;
using Props = System.Collections.Generic.List<Junction.Protocols.Templates.TemplateProperty>;

namespace Junction.Protocols.Templates;

/// <summary>
/// Segment's semantic specs as rule sets: E-commerce v2, B2B SaaS, Video and Mobile. Event names are the specs'
/// exact names; each event lists the properties the spec gives it, with the spec's types where it states them and
/// <c>string</c> for names and ids; no property is required.
/// </summary>
internal static class SpecTemplates
{
    /// <summary>Every template, in the order the app lists them.</summary>
    public static IReadOnlyList<SpecTemplate> All { get; } = [Ecommerce(), B2BSaas(), Video(), Mobile()];

    /// <summary>The template with this id, or null.</summary>
    public static SpecTemplate? Find(string id) => All.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.Ordinal));

    private static SpecTemplate Ecommerce()
    {
        Props product =
        [
            new("product_id", String("Database id of the product")),
            new("sku", String("Stock keeping unit")),
            new("category", String("Product category")),
            new("name", String("Name of the product")),
            new("brand", String("Brand of the product")),
            new("variant", String("Variant of the product")),
            new("price", Number("Price of the product")),
            new("quantity", Number("Quantity of the product")),
            new("coupon", String("Coupon code for the product")),
            new("position", Number("Position in the product list")),
            new("url", String("URL of the product page")),
            new("image_url", String("Image URL of the product")),
        ];
        var products = ArrayOf("Products", Object("A product", product));
        var filter = Object("A filter or sort", new Props { new("type", String("What is filtered or sorted by")), new("value", String("The value")) });
        Props promotion = [new("promotion_id", String("Id of the promotion")), new("creative", String("Creative of the promotion")), new("name", String("Name of the promotion")), new("position", String("Position of the promotion"))];
        Props checkoutStep = [new("checkout_id", String("Checkout id")), new("step", Number("Checkout step number")), new("shipping_method", String("Shipping method")), new("payment_method", String("Payment method"))];
        Props order =
        [
            new("order_id", String("Order id")),
            new("affiliation", String("Store or affiliation where the order happened")),
            new("total", Number("Revenue with discounts and coupons added in")),
            new("revenue", Number("Revenue including discounts, excluding shipping and taxes")),
            new("shipping", Number("Shipping cost")),
            new("tax", Number("Total tax")),
            new("discount", Number("Total discount")),
            new("coupon", String("Coupon code")),
            new("currency", String("Currency code")),
            new("products", products),
        ];
        Props coupon = [new("order_id", String("Order id")), new("cart_id", String("Cart id")), new("coupon_id", String("Coupon id"))];
        Props wishlist = [new("wishlist_id", String("Wishlist id")), new("wishlist_name", String("Wishlist name"))];
        Props sharing = [new("share_via", String("How it was shared")), new("share_message", String("Message sent with the share")), new("recipient", String("Who it was shared with"))];
        var cart = new TemplateProperty("cart_id", String("Cart id"));
        PlanRule[] rules =
        [
            Track("Products Searched", [new("query", OneOfTypes("What the user searched for", "string", "object"))]),
            Track("Product List Viewed", [new("list_id", String("Product list id")), new("category", String("Product category")), new("products", products)]),
            Track("Product List Filtered", [new("list_id", String("Product list id")), new("category", String("Product category")), new("filters", ArrayOf("Filters applied", filter)), new("sorts", ArrayOf("Sorts applied", filter)), new("products", products)]),
            Track("Promotion Viewed", promotion),
            Track("Promotion Clicked", promotion),
            Track("Product Clicked", product),
            Track("Product Viewed", [.. product, new("currency", String("Currency code")), new("value", Number("Total value of the product after quantity"))]),
            Track("Product Added", [cart, .. product]),
            Track("Product Removed", [cart, .. product]),
            Track("Cart Viewed", [cart, new("products", products)]),
            Track("Checkout Started", [new("order_id", String("Order id")), new("affiliation", String("Store or affiliation")), new("value", Number("Revenue with discounts and coupons added in")), .. order.Where(p => p.Name is "revenue" or "shipping" or "tax" or "discount" or "coupon" or "currency" or "products")]),
            Track("Checkout Step Viewed", checkoutStep),
            Track("Checkout Step Completed", checkoutStep),
            Track("Payment Info Entered", [checkoutStep[0], new("order_id", String("Order id")), .. checkoutStep.Skip(1)]),
            Track("Order Updated", order),
            Track("Order Completed", [new("checkout_id", String("Checkout id")), .. order.Take(2), new("subtotal", Number("Order total after discounts, before shipping and taxes")), .. order.Skip(2)]),
            Track("Order Refunded", order),
            Track("Order Cancelled", order),
            Track("Coupon Entered", coupon),
            Track("Coupon Applied", [.. coupon, new("coupon_name", String("Coupon name")), new("discount", Number("Discount given"))]),
            Track("Coupon Denied", [.. coupon, new("coupon_name", String("Coupon name")), new("reason", String("Why the coupon was denied"))]),
            Track("Coupon Removed", [.. coupon, new("coupon_name", String("Coupon name")), new("discount", Number("Discount removed"))]),
            Track("Product Added to Wishlist", [.. wishlist, .. product]),
            Track("Product Removed from Wishlist", [.. wishlist, .. product]),
            Track("Wishlist Product Added to Cart", [.. wishlist, cart, .. product]),
            Track("Product Shared", [.. sharing, .. product]),
            Track("Cart Shared", [.. sharing, cart, new("products", products)]),
            Track("Product Reviewed", [new("product_id", String("Database id of the product")), new("review_id", String("Review id")), new("review_body", String("Text of the review")), new("rating", OneOfTypes("Star rating", "number", "string"))]),
        ];
        return new SpecTemplate("ecommerce-v2", "E-commerce v2", "Segment's E-commerce spec (v2): browsing, promotions, ordering, coupons, wishlists, sharing and reviews.", rules);
    }

    private static SpecTemplate B2BSaas()
    {
        var context = (JsonObject)Object("The context of the call", new Props { new("groupId", String("Id of the account the user acts in")) });
        context["type"] = "object";
        Props trial = [new("trial_start_date", String("When the trial starts (ISO-8601)")), new("trial_end_date", String("When the trial ends (ISO-8601)")), new("trial_plan_name", String("Plan of the trial"))];
        PlanRule[] rules =
        [
            Track("Account Created", [new("account_name", String("Name of the account"))], context),
            Track("Account Deleted", [new("account_name", String("Name of the account"))], context),
            Track("Signed Up", [new("type", String("How the user signed up")), new("first_name", String("First name")), new("last_name", String("Last name")), new("email", String("Email address")), new("phone", String("Phone number")), new("username", String("Username")), new("title", String("Job title"))], context),
            Track("Signed In", [new("username", String("Username"))], context),
            Track("Signed Out", [new("username", String("Username"))], context),
            Track("Invite Sent", [new("invitee_email", String("Email of the invitee")), new("invitee_first_name", String("First name of the invitee")), new("invitee_last_name", String("Last name of the invitee")), new("invitee_role", String("Role offered to the invitee"))], context),
            Track("Account Added User", [new("role", String("Role of the user in the account"))], context),
            Track("Account Removed User", [], context),
            Track("Trial Started", trial, context),
            Track("Trial Ended", trial, context),
        ];
        return new SpecTemplate("b2b-saas", "B2B SaaS", "Segment's B2B SaaS spec: accounts, sign-up and sign-in, invites and trials; every event carries the account in context.groupId.", rules);
    }

    private static SpecTemplate Video()
    {
        var adType = Enum("Type of ad", "pre-roll", "mid-roll", "post-roll");
        Props playback =
        [
            new("session_id", String("Id of the playback session")),
            new("content_asset_id", String("Id of the content being played")),
            new("content_pod_id", String("Id of the content pod being played")),
            new("ad_asset_id", String("Id of the ad being played")),
            new("ad_pod_id", String("Id of the ad pod being played")),
            new("ad_type", adType),
            new("position", Integer("Position of the playhead, in seconds")),
            new("total_length", Integer("Total length of the playback, in seconds")),
            new("bitrate", Integer("Bitrate, in kbps")),
            new("framerate", Number("Frame rate, in frames per second")),
            new("video_player", String("Name of the video player")),
            new("sound", Number("Sound level, 0 to 100")),
            new("full_screen", Boolean("Whether the player is full screen")),
            new("ad_enabled", Boolean("Whether ads are enabled")),
            new("quality", String("Quality of the video")),
            new("livestream", Boolean("Whether the playback is a livestream")),
        ];
        Props content =
        [
            new("session_id", String("Id of the playback session")),
            new("asset_id", String("Id of the content")),
            new("pod_id", String("Id of the content pod")),
            new("title", String("Title of the content")),
            new("description", String("Description of the content")),
            new("keywords", ArrayOf("Keywords of the content", String())),
            new("season", String("Season")),
            new("episode", String("Episode")),
            new("genre", String("Genre")),
            new("program", String("Program or show")),
            new("publisher", String("Publisher")),
            new("position", Integer("Position of the playhead in the content, in seconds")),
            new("total_length", Integer("Total length of the content, in seconds")),
            new("channel", String("Channel")),
            new("full_episode", Boolean("Whether this is a full episode")),
            new("livestream", Boolean("Whether the content is a livestream")),
            new("airdate", String("When the content first aired (ISO-8601)")),
            new("bitrate", Integer("Bitrate, in kbps")),
            new("framerate", Number("Frame rate, in frames per second")),
        ];
        Props ad =
        [
            new("session_id", String("Id of the playback session")),
            new("asset_id", String("Id of the ad")),
            new("pod_id", String("Id of the ad pod")),
            new("pod_position", Integer("Position of the ad in its pod")),
            new("pod_length", Integer("Number of ads in the pod")),
            new("type", adType),
            new("title", String("Title of the ad")),
            new("publisher", String("Publisher of the ad")),
            new("position", Integer("Position of the playhead in the ad, in seconds")),
            new("total_length", Integer("Total length of the ad, in seconds")),
            new("load_type", Enum("How the ad is loaded", "linear", "dynamic")),
            new("content", Object("The content the ad plays in", content)),
        ];
        var quartile = (JsonObject)Integer("Quartile reached, 1 to 3");
        quartile["minimum"] = 1;
        quartile["maximum"] = 3;
        var rules = new List<PlanRule>();
        foreach (var name in new[] { "Started", "Paused", "Interrupted", "Buffer Started", "Buffer Completed", "Seek Started", "Seek Completed", "Resumed", "Completed", "Exited" })
        {
            Props properties = name switch
            {
                "Started" => [.. playback, new("content_asset_ids", ArrayOf("Ids of the content in the session", String())), new("content_pod_ids", ArrayOf("Ids of the content pods in the session", String()))],
                "Interrupted" => [.. playback, new("method", String("How the playback was interrupted"))],
                _ => playback,
            };
            rules.Add(Track("Video Playback " + name, properties));
        }

        rules.AddRange(new[] { "Started", "Playing", "Completed" }.Select(name => Track("Video Content " + name, content)));
        rules.AddRange(new[] { "Started", "Playing", "Completed" }.Select(name => Track("Video Ad " + name, name == "Playing" ? [.. ad, new("quartile", quartile)] : ad)));
        return new SpecTemplate("video", "Video", "Segment's Video spec: playback, content and ad events with their session, asset and position properties.", rules);
    }

    private static SpecTemplate Mobile()
    {
        var build = OneOfTypes("Build of the app", "string", "number");
        var version = String("Version of the app");
        var campaign = new JsonObject { ["description"] = "The campaign", ["type"] = "object" };
        PlanRule[] rules =
        [
            Track("Application Installed", [new("version", version), new("build", build)]),
            Track("Application Opened", [new("from_background", Boolean("Whether the app was opened from the background")), new("url", String("URL that opened the app")), new("referring_application", String("App that opened this one")), new("version", version), new("build", build)]),
            Track("Application Backgrounded", []),
            Track("Application Foregrounded", []),
            Track("Application Updated", [new("previous_version", String("Version before the update")), new("previous_build", OneOfTypes("Build before the update", "string", "number")), new("version", version), new("build", build)]),
            Track("Application Uninstalled", []),
            Track("Application Crashed", []),
            Track("Install Attributed", [new("provider", String("Attribution provider")), new("campaign", campaign)]),
            Track("Push Notification Received", [new("campaign", campaign)]),
            Track("Push Notification Tapped", [new("action", String("Action taken on the notification"))]),
            Track("Push Notification Bounced", [new("action", String("Action of the notification"))]),
            Track("Deep Link Opened", [new("provider", String("Deep link provider")), new("url", String("URL of the deep link"))]),
            Track("Deep Link Clicked", [new("provider", String("Deep link provider")), new("url", String("URL of the deep link"))]),
        ];
        return new SpecTemplate("mobile", "Mobile", "Segment's Mobile spec: application lifecycle, install attribution, push notifications and deep links.", rules);
    }
}
