using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Junction.Workspace.PublicApi;

/// <summary>
/// Reads an array query parameter in every form Public API clients send: repeated (<c>a=1&amp;a=2</c>), bracketed
/// with indexes as Segment's generated clients do (<c>a[0]=1&amp;a[1]=2</c>), empty brackets (<c>a[]=1</c>), and
/// comma-separated (<c>a=1,2</c>).
/// </summary>
internal static class QueryArrays
{
    public static List<string> Read(HttpRequest request, string name)
    {
        var values = new List<(int Order, string Value)>();
        foreach (var (key, value) in request.Query)
        {
            int order;
            if (key == name || key == name + "[]")
            {
                order = -1;
            }
            else if (key.StartsWith(name + "[", StringComparison.Ordinal) && key.EndsWith(']')
                && int.TryParse(key.AsSpan(name.Length + 1, key.Length - name.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                order = index;
            }
            else
            {
                continue;
            }

            foreach (var item in value)
            {
                foreach (var part in (item ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    values.Add((order, part));
                }
            }
        }

        return values.OrderBy(v => v.Order).Select(v => v.Value).ToList();
    }
}
