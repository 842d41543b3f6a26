using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Junction.Workspace.Accounts;

/// <summary>
/// Absolute links to Junction's pages, for emails and the console. The base is <c>Accounts:PublicUrl</c> when set, else
/// the first address the server listens on; never the request's Host header, which a caller controls.
/// </summary>
internal sealed class PublicLinks(IOptions<AccountsOptions> options, IServer server)
{
    public string BaseUrl
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(options.Value.PublicUrl))
            {
                return options.Value.PublicUrl.Trim().TrimEnd('/');
            }

            var first = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
            return Reachable(first).TrimEnd('/');
        }
    }

    public string Setup(string token) => BaseUrl + "/setup?token=" + Uri.EscapeDataString(token);

    public string ResetPassword(string token) => BaseUrl + "/reset-password?token=" + Uri.EscapeDataString(token);

    public string AcceptInvite(string token) => BaseUrl + "/invite/accept?token=" + Uri.EscapeDataString(token);

    public string SignIn() => BaseUrl + Sessions.SignInPath;

    /// <summary>A listening address a person can open: wildcard hosts become <c>localhost</c>.</summary>
    private static string Reachable(string address)
    {
        foreach (var wildcard in (string[])["://0.0.0.0", "://[::]", "://+", "://*"])
        {
            if (address.Contains(wildcard, StringComparison.Ordinal))
            {
                return address.Replace(wildcard, "://localhost", StringComparison.Ordinal);
            }
        }

        return address;
    }
}
