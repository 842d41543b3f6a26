using Junction.Workspace.Catalog;

namespace Junction.Web.Sources.New;

/// <summary>One heading of the sources catalog page and the entries listed under it.</summary>
internal sealed record CatalogGroup(string Name, IReadOnlyList<SourceCatalogEntry> Entries);

/// <summary>
/// How the Add Source page lists the catalog: entries matching the search, under the heading of their first category.
/// Headings come in the order people look for them (Website, Server, Mobile, Cloud apps); a heading with no entry is
/// left out, and a category not in that list comes after them, by name.
/// </summary>
internal static class CatalogGroups
{
    public const string CloudApps = "Cloud apps";

    public static readonly IReadOnlyList<string> Order = [SourceCatalog.Website, SourceCatalog.Server, SourceCatalog.Mobile, CloudApps];

    public static IReadOnlyList<CatalogGroup> Of(IEnumerable<SourceCatalogEntry> entries, string? search)
    {
        var words = (search ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return entries
            .Where(entry => words.All(word => Matches(entry, word)))
            .GroupBy(entry => entry.Categories.Count > 0 ? entry.Categories[0] : "Other", StringComparer.Ordinal)
            .OrderBy(group => Rank(group.Key))
            .ThenBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => new CatalogGroup(group.Key, group.ToList()))
            .ToList();
    }

    /// <summary>Every word of a search must appear in the entry's name, slug, description or categories.</summary>
    private static bool Matches(SourceCatalogEntry entry, string word) =>
        entry.Name.Contains(word, StringComparison.OrdinalIgnoreCase)
        || entry.Slug.Contains(word, StringComparison.OrdinalIgnoreCase)
        || entry.Description.Contains(word, StringComparison.OrdinalIgnoreCase)
        || entry.Categories.Any(category => category.Contains(word, StringComparison.OrdinalIgnoreCase));

    private static int Rank(string category)
    {
        for (var i = 0; i < Order.Count; i++)
        {
            if (string.Equals(Order[i], category, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return Order.Count;
    }
}
