using Junction.Destinations.Framework;
using Junction.Workspace.Catalog;
using static Junction.Destinations.Framework.Directives;

namespace Junction.Destinations.Catalog.Intercom;

/// <summary>
/// Intercom (Actions): creates or updates contacts, creates or updates companies and attaches the contact, and records
/// events, over Intercom's REST API with an access token. The sending flows are in <c>IntercomDestination.Send.cs</c>.
/// </summary>
internal sealed partial class IntercomDestination : IDestination
{
    public const string IdentifyContact = "identifyContact";
    public const string GroupIdentifyContact = "groupIdentifyContact";
    public const string TrackEvent = "trackEvent";

    public static DestinationDefinition Definition { get; } = new(
        Id: "62ded0cf5753c743883ca0f3",
        Slug: "actions-intercom-cloud",
        Name: "Intercom Cloud Mode (Actions)",
        Description: "Keeps Intercom's contacts and companies up to date from identify and group calls and records track calls as Intercom events.",
        Categories: [DestinationCategories.LiveChat, DestinationCategories.Crm],
        Website: "https://www.intercom.com",
        Badge: new SourceBadge("IC", "#1F8DED"),
        Settings:
        [
            new("accessToken", "Access token",
                "An access token of an Intercom app (Developer Hub → your app → Authentication). For a workspace hosted in the EU or Australia, set the base URL to https://api.eu.intercom.io or https://api.au.intercom.io.",
                FieldType.Password, Required: true),
        ],
        Actions:
        [
            new(IdentifyContact, IdentifyContact, "Identify Contact",
                "Finds the contact by external ID, else by email, and updates it, or creates it when there is none.", "type = \"identify\"",
                Fields:
                [
                    new("role", "Role", "Whether the contact is a user or a lead.", FieldType.Select, Required: true,
                        Choices: [new("user", "user"), new("lead", "lead")]),
                    new("external_id", "External ID", "Your id of the contact (users only); it or the email is needed.", FieldType.String, Default: Path("$.userId")),
                    new("email", "Email", "The contact's email address; it or the external ID is needed.", FieldType.String, Default: Path("$.traits.email")),
                    new("phone", "Phone", "The contact's phone number.", FieldType.String, Default: Path("$.traits.phone")),
                    new("name", "Name", "The contact's name.", FieldType.String, Default: Path("$.traits.name")),
                    new("avatar", "Avatar", "The URL of the contact's picture.", FieldType.String, Default: Path("$.traits.avatar")),
                    new("signed_up_at", "Signed up at", "When the contact signed up (sent as Unix seconds).", FieldType.Datetime),
                    new("last_seen_at", "Last seen at", "When the contact was last seen (sent as Unix seconds).", FieldType.Datetime, Default: Path("$.timestamp")),
                    new("owner_id", "Owner ID", "The id of the Intercom admin who owns the contact.", FieldType.Integer),
                    new("unsubscribed_from_emails", "Unsubscribed from emails", "Whether the contact opted out of emails.", FieldType.Boolean),
                    new("custom_attributes", "Custom attributes", "Values of custom attributes that already exist in Intercom.", FieldType.Object),
                ]),
            new(GroupIdentifyContact, GroupIdentifyContact, "Identify Company",
                "Creates or updates the company, then attaches the contact when exactly one matches.", "type = \"group\"",
                Fields:
                [
                    new("company_id", "Company ID", "Your id of the company; it cannot change later.", FieldType.String, Required: true, Default: Path("$.groupId")),
                    new("contact_id", "Contact ID", "Intercom's id of the contact to attach; when empty the contact is looked up.", FieldType.String),
                    new("external_id", "External ID", "Your id of the contact to attach.", FieldType.String, Default: Path("$.userId")),
                    new("email", "Email", "The email of the contact to attach, when there is no external ID.", FieldType.String, Default: Path("$.traits.email")),
                    new("name", "Name", "The company's name.", FieldType.String, Default: Path("$.traits.name")),
                    new("remote_created_at", "Created at", "When the company was created (sent as Unix seconds).", FieldType.Datetime, Default: Path("$.traits.createdAt")),
                    new("monthly_spend", "Monthly spend", "What the company pays you per month.", FieldType.Number, Default: Path("$.traits.monthly_spend")),
                    new("plan", "Plan", "The company's plan.", FieldType.String, Default: Path("$.traits.plan")),
                    new("size", "Size", "The number of employees.", FieldType.Integer, Default: Path("$.traits.employees")),
                    new("website", "Website", "The company's website.", FieldType.String, Default: Path("$.traits.website")),
                    new("industry", "Industry", "The company's industry.", FieldType.String, Default: Path("$.traits.industry")),
                    new("custom_attributes", "Custom attributes", "Values of company custom attributes that already exist in Intercom.", FieldType.Object),
                ]),
            new(TrackEvent, TrackEvent, "Track Event", "Records an event on the contact's timeline.", "type = \"track\"",
                Fields:
                [
                    new("event_name", "Event name", "The event's name.", FieldType.String, Required: true, Default: Path("$.event")),
                    new("created_at", "Created at", "When it happened (sent as Unix seconds).", FieldType.Datetime, Required: true, Default: Path("$.timestamp")),
                    new("user_id", "User ID", "Your id of the contact; it or the email is needed.", FieldType.String, Default: Path("$.userId")),
                    new("email", "Email", "The contact's email; used to find the contact when there is no user ID.", FieldType.String,
                        Default: Path("$.properties.email")),
                    new("revenue", "Revenue", "An amount, sent as metadata.price in cents.", FieldType.Number, Default: Path("$.properties.revenue")),
                    new("currency", "Currency", "The revenue's ISO 4217 currency (USD when empty).", FieldType.String, Default: Path("$.properties.currency")),
                    new("metadata", "Metadata", "Flat key/values about the event (Intercom keeps the first ten).", FieldType.Object, Default: Path("$.properties")),
                ]),
        ],
        Presets: [],
        DefaultBaseUrl: "https://api.intercom.io");

    DestinationDefinition IDestination.Definition => Definition;
}
