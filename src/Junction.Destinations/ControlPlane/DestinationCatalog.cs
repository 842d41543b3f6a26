using System.Collections.Frozen;
using Junction.Destinations.Framework;
using Junction.Workspace.Catalog;

namespace Junction.Destinations.ControlPlane;

/// <summary>
/// The destinations a workspace can add, by catalog id and by slug: <see cref="Catalog.BuiltInDestinations.All"/>
/// in the server, the same list with test destinations added in tests. When two destinations claim the same id or
/// slug, the first listed is kept.
/// </summary>
internal sealed class DestinationCatalog
{
    private readonly FrozenDictionary<string, IDestination> _byId;
    private readonly FrozenDictionary<string, IDestination> _bySlug;

    public DestinationCatalog(IEnumerable<IDestination> destinations)
    {
        All = destinations
            .DistinctBy(d => d.Definition.Id, StringComparer.Ordinal)
            .DistinctBy(d => d.Definition.Slug, StringComparer.Ordinal)
            .ToList();
        _byId = All.ToFrozenDictionary(d => d.Definition.Id, StringComparer.Ordinal);
        _bySlug = All.ToFrozenDictionary(d => d.Definition.Slug, StringComparer.Ordinal);
    }

    /// <summary>Every destination, in catalog order.</summary>
    public IReadOnlyList<IDestination> All { get; }

    public IDestination? Find(string catalogId) => _byId.GetValueOrDefault(catalogId);

    public IDestination? FindBySlug(string slug) => _bySlug.GetValueOrDefault(slug);

    /// <summary>
    /// Stands in for a destination whose catalog entry is no longer listed, so that it stays readable (and deletable);
    /// it has no settings or actions and the data plane does not send to it.
    /// </summary>
    public static DestinationDefinition Unlisted(string catalogId) => new(
        catalogId, "unlisted", "Unlisted destination",
        "A destination whose kind is not in this version of the catalog. Nothing is sent to it.",
        [DestinationCategories.Other], "", new SourceBadge("?", "#6B7280"), [], [], [], "");
}
