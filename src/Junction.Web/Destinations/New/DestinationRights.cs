using Junction.Workspace.Access;
using Junction.Workspace.Sources;

namespace Junction.Web.Destinations.New;

/// <summary>
/// Who may connect a destination, as <c>DestinationService.CreateAsync</c> decides it: Source Admin on the source (or
/// Workspace Owner). The pages use it to offer only what the service would accept; the service checks again.
/// </summary>
internal static class DestinationRights
{
    /// <summary>Whether the principal is Source Admin on at least one source, or Workspace Owner (the Public API's first check).</summary>
    public static bool CanAddAny(Principal principal) =>
        principal.IsOwner || principal.Grants.Any(g => g.Role.Kind == ResourceKind.Source && g.Role.Level >= AccessLevel.Write);

    /// <summary>The sources a destination may be connected to: those the principal administers, by name.</summary>
    public static IReadOnlyList<SourceView> Administered(IEnumerable<SourceView> sources) =>
        sources.Where(s => s.Access >= AccessLevel.Write).OrderBy(s => s.Name ?? s.Slug, StringComparer.OrdinalIgnoreCase).ToList();
}
