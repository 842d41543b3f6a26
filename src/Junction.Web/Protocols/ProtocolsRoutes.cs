namespace Junction.Web.Protocols;

/// <summary>The addresses of a workspace's Protocols pages: <c>/w/{slug}/protocols/…</c>.</summary>
internal static class ProtocolsRoutes
{
    /// <summary>The tabs of the Protocols area, each its own address, in the order they are shown.</summary>
    public static readonly IReadOnlyList<(string Tab, string Label)> Tabs =
    [
        ("tracking-plans", "Tracking plans"),
        ("transformations", "Transformations"),
        ("settings", "Settings"),
    ];

    public static string Home(string slug) => $"/w/{slug}/protocols";

    public static string Tab(string slug, string tab) => $"/w/{slug}/protocols/{tab}";

    public static string Plans(string slug) => Tab(slug, "tracking-plans");

    /// <summary>Creating a plan; with a source, the form starts from that source's observed schema.</summary>
    public static string NewPlan(string slug, string? sourceId = null) =>
        sourceId is null ? $"{Plans(slug)}/new" : $"{Plans(slug)}/new?source={Uri.EscapeDataString(sourceId)}";

    public static string Plan(string slug, string planId) => $"{Plans(slug)}/{Uri.EscapeDataString(planId)}";

    public static string Transformations(string slug) => Tab(slug, "transformations");

    public static string NewTransformation(string slug) => $"{Transformations(slug)}/new";

    public static string Transformation(string slug, string transformationId) => $"{Transformations(slug)}/{Uri.EscapeDataString(transformationId)}";

    public static string Settings(string slug) => Tab(slug, "settings");
}
