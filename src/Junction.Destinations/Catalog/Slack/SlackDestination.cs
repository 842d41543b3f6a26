using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Junction.Destinations.Framework;
using Junction.Workspace.Catalog;

namespace Junction.Destinations.Catalog.Slack;

/// <summary>
/// Slack (Actions): posts one message per event to a Slack incoming webhook. The webhook URL is the secret and comes
/// from the mapping; the base URL is only used when an instance overrides it (a proxy or a test), in which case the
/// webhook URL's path is sent to that address instead of to Slack.
/// </summary>
internal sealed partial class SlackDestination : IDestination
{
    public static DestinationDefinition Definition { get; } = new(
        Id: "5f7dd8e302173ff732db5cc4",
        Slug: "actions-slack",
        Name: "Slack (Actions)",
        Description: "Posts a message you write from each matching event to a Slack channel through an incoming webhook.",
        Categories: [DestinationCategories.Other],
        Website: "https://slack.com",
        Badge: new SourceBadge("Sl", "#4A154B"),
        Settings: [],
        Actions:
        [
            new("postToChannel", "postToChannel", "Post Message", "Posts a message to the channel of an incoming webhook.", DefaultTrigger: null,
                Fields:
                [
                    new("url", "Webhook URL", "The incoming webhook's URL, https://hooks.slack.com/services/….", FieldType.String, Required: true),
                    new("text", "Message", "The message; write it as a template, such as {{userId}} did {{event}}.", FieldType.Text, Required: true),
                    new("channel", "Channel", "A channel to post to instead of the webhook's own (Slack apps created today ignore it).", FieldType.String),
                    new("username", "User", "The name the message is posted under (Slack apps created today ignore it).", FieldType.String,
                        Default: "Junction"),
                    new("icon_url", "Icon URL", "An image shown beside the message (Slack apps created today ignore it).", FieldType.String),
                ]),
        ],
        Presets: [],
        DefaultBaseUrl: "https://hooks.slack.com");

    DestinationDefinition IDestination.Definition => Definition;

    public async ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken)
    {
        var payload = batch.Items[0].Payload;
        var webhook = payload.JsonString("url");
        if (webhook is null || !WebhookUrl().IsMatch(webhook))
        {
            return SendResult.Invalid("url must be a Slack incoming webhook URL such as https://hooks.slack.com/services/T000/B000/XXXX.");
        }

        if (payload.JsonString("text") is not { } text)
        {
            return SendResult.Invalid("text is required: the message to post.");
        }

        var message = new JsonObject();
        if (payload.JsonString("channel") is { } channel)
        {
            message["channel"] = channel;
        }

        message["text"] = text;
        foreach (var key in (ReadOnlySpan<string>)["username", "icon_url"])
        {
            message.SetIfPresent(key, payload.JsonString(key));
        }

        var target = new Uri(webhook);
        var url = string.Equals(context.BaseUrl, Definition.DefaultBaseUrl, StringComparison.Ordinal) ? target : context.Url(target.AbsolutePath);
        return await context.SendJsonAsync(HttpMethod.Post, url, message, null, cancellationToken);
    }

    /// <summary>Slack's incoming webhook addresses: https, a slack.com host, and a plain path.</summary>
    [GeneratedRegex("^https://[A-Za-z0-9.-]+\\.slack\\.com[/A-Za-z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex WebhookUrl();
}
