using System.Text;
using Junction.Workspace.Sources;

namespace Junction.Web.Sources.New;

/// <summary>The slug the Add Source form suggests for a name; the person may change it, and the service checks it.</summary>
internal static class SourceSlugs
{
    /// <summary>
    /// Lower-case ASCII letters and digits of the name, each run of anything else made one dash, with no dash at either
    /// end and at most <see cref="SourceService.MaxSlugLength"/> characters (<c>Marketing Site (EU)</c> →
    /// <c>marketing-site-eu</c>). A name without any letter or digit suggests an empty slug.
    /// </summary>
    public static string FromName(string? name)
    {
        var slug = new StringBuilder();
        var pendingDash = false;
        foreach (var character in name ?? "")
        {
            var lower = char.ToLowerInvariant(character);
            if (lower is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                if (pendingDash && slug.Length > 0)
                {
                    slug.Append('-');
                }

                pendingDash = false;
                slug.Append(lower);
            }
            else
            {
                pendingDash = true;
            }
        }

        return slug.Length <= SourceService.MaxSlugLength
            ? slug.ToString()
            : slug.ToString(0, SourceService.MaxSlugLength).TrimEnd('-');
    }
}
