namespace Junction.Web.Shared;

/// <summary>The app's addresses inside a workspace: <c>/w/{slug}/…</c>.</summary>
internal static class WorkspaceRoutes
{
    public static string Connections(string slug) => $"/w/{slug}/connections";

    public static string Sources(string slug) => $"/w/{slug}/sources";

    public static string NewSource(string slug) => $"/w/{slug}/sources/new";

    /// <summary>The second step of adding a source: naming one of the catalog's kinds.</summary>
    public static string NewSource(string slug, string catalogSlug) => $"/w/{slug}/sources/new/{catalogSlug}";

    public static string Source(string slug, string sourceId, string tab = "overview") => $"/w/{slug}/sources/{sourceId}/{tab}";

    public static string NewDestination(string slug) => $"/w/{slug}/destinations/new";

    /// <summary>The second step of adding a destination: configuring one of the catalog's destinations.</summary>
    public static string NewDestination(string slug, string catalogSlug) => $"/w/{slug}/destinations/new/{catalogSlug}";

    public static string Destination(string slug, string destinationId, string tab = "delivery") => $"/w/{slug}/destinations/{destinationId}/{tab}";

    public static string Settings(string slug, string section = "general") => $"/w/{slug}/settings/{section}";

    /// <summary>The workspace slug in an absolute or relative address, or null outside a workspace.</summary>
    public static string? SlugOf(string uri)
    {
        var path = Uri.TryCreate(uri, UriKind.Absolute, out var absolute) ? absolute.AbsolutePath : uri;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && parts[0] == "w" ? Uri.UnescapeDataString(parts[1]) : null;
    }
}
