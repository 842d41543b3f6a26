using Microsoft.AspNetCore.Http;

namespace Junction.Ingest.AnalyticsJs;

/// <summary>
/// Where browsers reach Junction: a scheme (<c>http</c> or <c>https</c>), an authority (<c>host[:port]</c>) and an
/// optional path, without a trailing slash.
/// </summary>
internal sealed record PublicBase(string Scheme, string Authority, string Path)
{
    /// <summary>The base as a URL, such as <c>https://data.example.com</c>.</summary>
    public string Url => $"{Scheme}://{Authority}{Path}";

    /// <summary>The Tracking API's address without a scheme, as analytics.js wants it in <c>apiHost</c>.</summary>
    public string ApiHost => $"{Authority}{Path}/v1";

    /// <summary>Reads an absolute http or https URL; answers null for anything else.</summary>
    public static PublicBase? TryParse(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.Query.Length > 0
            || uri.Fragment.Length > 0
            || uri.UserInfo.Length > 0)
        {
            return null;
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        return new PublicBase(uri.Scheme, uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}", path);
    }

    /// <summary>The configured public URL when there is one, else the scheme, Host and path base of the request.</summary>
    public static PublicBase Resolve(AnalyticsJsOptions options, HttpRequest request)
    {
        if (TryParse(options.PublicUrl) is { } configured)
        {
            return configured;
        }

        var authority = request.Host.HasValue ? request.Host.Value : LocalAuthority(request.HttpContext.Connection);
        return new PublicBase(request.Scheme, authority, request.PathBase.Value?.TrimEnd('/') ?? "");
    }

    // An HTTP/1.0 request may come without a Host header: fall back to the address it reached.
    private static string LocalAuthority(ConnectionInfo connection)
    {
        var address = connection.LocalIpAddress;
        if (address is null)
        {
            return "localhost";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return $"{host}:{connection.LocalPort}";
    }
}
