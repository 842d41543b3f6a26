namespace Junction.Web;

/// <summary>Return URLs: only a path on this site is followed, so a link cannot send a person elsewhere after signing in.</summary>
internal static class LocalUrls
{
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url)
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);

    /// <summary><paramref name="url"/> when it is local, else the home page.</summary>
    public static string OrHome(string? url) => IsLocal(url) ? url! : "/";
}
