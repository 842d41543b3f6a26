using Junction.Destinations.Framework;

namespace Junction.Web.Destinations.New;

/// <summary>One heading of the destinations catalog page and the destinations listed under it.</summary>
internal sealed record DestinationGroup(string Name, IReadOnlyList<DestinationDefinition> Entries);

/// <summary>
/// How the Add Destination page lists the catalog: destinations matching the search, under the heading of their main
/// (first) category, headings in <see cref="DestinationCategories.Order"/> (Analytics, Advertising, Email Marketing …);
/// a heading with no destination is left out, and a category not in that order comes after the others, by name.
/// </summary>
internal static class DestinationCatalogGroups
{
    public static IReadOnlyList<DestinationGroup> Of(IEnumerable<DestinationDefinition> entries, string? search)
    {
        var words = (search ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return entries
            .Where(entry => words.All(word => Matches(entry, word)))
            .GroupBy(entry => entry.Categories.Count > 0 ? entry.Categories[0] : DestinationCategories.Other, StringComparer.Ordinal)
            .OrderBy(group => Rank(group.Key))
            .ThenBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => new DestinationGroup(group.Key, group.ToList()))
            .ToList();
    }

    /// <summary>Every word of a search must appear in the destination's name, slug, description or categories.</summary>
    private static bool Matches(DestinationDefinition entry, string word) =>
        entry.Name.Contains(word, StringComparison.OrdinalIgnoreCase)
        || entry.Slug.Contains(word, StringComparison.OrdinalIgnoreCase)
        || entry.Description.Contains(word, StringComparison.OrdinalIgnoreCase)
        || entry.Categories.Any(category => category.Contains(word, StringComparison.OrdinalIgnoreCase));

    private static int Rank(string category)
    {
        var index = DestinationCategories.Order.ToList().IndexOf(category);
        return index < 0 ? DestinationCategories.Order.Count : index;
    }
}
