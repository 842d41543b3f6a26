using System.Collections.Frozen;

namespace Junction.Workspace.Catalog;

/// <summary>
/// One kind of source a workspace can add (a library or an API), as the sources catalog lists it. The id is a stable
/// 10-character string; for the kinds Segment also lists, id and slug are the same as in Segment's catalog, so that
/// scripts that create sources by <c>metadataId</c> work unchanged.
/// </summary>
internal sealed record SourceCatalogEntry(
    string Id,
    string Slug,
    string Name,
    string Description,
    IReadOnlyList<string> Categories,
    SourceBadge Badge);

/// <summary>How the entry's logo is drawn: initials on a rounded badge (see <see cref="CatalogLogos"/>).</summary>
internal sealed record SourceBadge(string Initials, string Background, string Foreground = "#FFFFFF");

/// <summary>
/// The sources catalog: the event-stream sources Junction accepts data from. All of them send the same Tracking API
/// calls with a write key; the entry says which library a person should install. None has settings yet
/// (<c>options</c> is empty) and none is a cloud event source.
/// </summary>
internal static class SourceCatalog
{
    public const string Website = "Website";
    public const string Server = "Server";
    public const string Mobile = "Mobile";

    /// <summary>Catalog order: the website first, then servers, then mobile apps.</summary>
    public static IReadOnlyList<SourceCatalogEntry> All { get; } =
    [
        new("IqDTy1TpoU", "javascript", "Javascript",
            "Collects page views, clicks and custom events from a website with analytics.js, which Junction serves itself and a small snippet in the page loads.",
            [Website], new SourceBadge("JS", "#F7DF1E", "#1F2328")),
        new("iUM16Md8P2", "http-api", "HTTP API",
            "Sends identify, track, page, screen, group and alias calls straight to the Tracking API from any language or tool that can make an HTTP request.",
            [Server], new SourceBadge("API", "#2F855A")),
        new("U9mT0bPcI6", "node-js", "Node.js",
            "Tracks events from Node.js servers and serverless functions with the analytics-node library, which batches calls in the background.",
            [Server], new SourceBadge("N", "#3C873A")),
        new("XRksQPCr7X", "python", "Python",
            "Tracks events from Python back ends, scripts and workers with the analytics-python library.",
            [Server], new SourceBadge("Py", "#3776AB")),
        new("8HWbgPTt3k", "net", ".NET",
            "Tracks events from C#, F# and other .NET applications with the analytics-csharp library.",
            [Server], new SourceBadge(".NET", "#512BD4")),
        new("V6ynUvQgbc", "java", "Java",
            "Tracks events from Java services and other JVM applications with the analytics-java library.",
            [Server], new SourceBadge("Java", "#C05621")),
        new("yBvi77aEwr", "go", "Go",
            "Tracks events from Go services and command-line tools with the analytics-go library.",
            [Server], new SourceBadge("Go", "#00758F")),
        new("aACTBqIbWT", "ruby", "Ruby",
            "Tracks events from Ruby and Rails applications with the analytics-ruby library.",
            [Server], new SourceBadge("Rb", "#B31D28")),
        new("TDO70If4mD", "php", "PHP",
            "Tracks events from PHP sites and applications with the analytics-php library.",
            [Server], new SourceBadge("PHP", "#5A5F9E")),
        new("9EMcTqiKok", "kotlin-android", "Kotlin (Android)",
            "Tracks screens, app lifecycle and custom events from Android apps written in Kotlin or Java with the analytics-kotlin library.",
            [Mobile], new SourceBadge("Kt", "#7F52FF")),
        new("dZeHygTSD4", "apple", "Swift (iOS)",
            "Tracks screens, app lifecycle and custom events from iOS, iPadOS, macOS and tvOS apps with the analytics-swift library.",
            [Mobile], new SourceBadge("Sw", "#E8452C")),
        new("B0X0QmvMny", "react-native", "React Native",
            "Tracks screens and custom events from React Native apps on iOS and Android with the analytics-react-native library.",
            [Mobile], new SourceBadge("RN", "#20232A", "#61DAFB")),
    ];

    /// <summary>Stands in for a source whose catalog id is no longer listed, so that the source stays readable.</summary>
    public static readonly SourceCatalogEntry Unlisted = new(
        "unlisted", "unlisted", "Unlisted source",
        "A source whose kind is not in this version of the catalog. It keeps receiving events with its write keys.",
        [], new SourceBadge("?", "#6B7280"));

    private static readonly FrozenDictionary<string, SourceCatalogEntry> ById =
        All.ToFrozenDictionary(e => e.Id, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, SourceCatalogEntry> BySlug =
        All.Append(Unlisted).ToFrozenDictionary(e => e.Slug, StringComparer.Ordinal);

    public static SourceCatalogEntry? Find(string id) => ById.GetValueOrDefault(id);

    /// <summary>The entry a source was created from, or <see cref="Unlisted"/> under the source's catalog id.</summary>
    public static SourceCatalogEntry For(string catalogId) => Find(catalogId) ?? Unlisted with { Id = catalogId };

    /// <summary>Finds an entry by slug, including <see cref="Unlisted"/> (whose logo is served too).</summary>
    public static SourceCatalogEntry? FindBySlug(string slug) => BySlug.GetValueOrDefault(slug);
}
