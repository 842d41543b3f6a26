using System.Net;
using System.Text.RegularExpressions;

namespace Junction.Testing;

/// <summary>
/// A minimal browser over HttpClient for Junction's server-rendered pages: it keeps cookies, follows redirects one at
/// a time (so tests can look at each), and submits a page's form as a browser does: every field of the form that the
/// page rendered (the antiforgery token and the form's handler name among them), with the test's values filled in.
/// </summary>
public sealed partial class Browser : IDisposable
{
    private readonly HttpClient _http;

    public Browser(Uri baseAddress, HttpMessageHandler? inner = null)
    {
        Cookies = new CookieContainer();
        var handler = inner as HttpClientHandler ?? new HttpClientHandler();
        handler.CookieContainer = Cookies;
        handler.UseCookies = true;
        handler.AllowAutoRedirect = false;
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public CookieContainer Cookies { get; }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>The last page loaded (after redirects) and its address.</summary>
    public Page? Current { get; private set; }

    /// <summary>GETs a page, following redirects.</summary>
    public async Task<Page> OpenAsync(string pathOrUrl)
    {
        using var response = await _http.GetAsync(pathOrUrl);
        return await FollowAsync(response);
    }

    /// <summary>
    /// Submits the form named <paramref name="formName"/> (its <c>_handler</c>) of the current page with
    /// <paramref name="fields"/> set (by name, for example <c>Input.Email</c>), and follows the redirects.
    /// </summary>
    public async Task<Page> SubmitAsync(string formName, IReadOnlyDictionary<string, string> fields)
    {
        using var response = await PostFormAsync(formName, fields);
        return await FollowAsync(response);
    }

    /// <summary>Submits a form without following the answer (to look at its status and headers).</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formName, IReadOnlyDictionary<string, string> fields)
    {
        var page = Current ?? throw new InvalidOperationException("Open a page first.");
        var form = page.Form(formName);
        var values = new Dictionary<string, string>(form.Fields, StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        var target = new Uri(page.Address, form.Action ?? page.Address.PathAndQuery);
        return await _http.PostAsync(target, new FormUrlEncodedContent(values));
    }

    /// <summary>Posts raw form fields to a path (to try what a page would never send).</summary>
    public Task<HttpResponseMessage> PostRawAsync(string path, IReadOnlyDictionary<string, string> fields) =>
        _http.PostAsync(path, new FormUrlEncodedContent(fields));

    private async Task<Page> FollowAsync(HttpResponseMessage response)
    {
        var uri = response.RequestMessage!.RequestUri!;
        for (var hops = 0; IsRedirect(response.StatusCode); hops++)
        {
            if (hops > 10)
            {
                throw new InvalidOperationException("Too many redirects.");
            }

            uri = new Uri(uri, response.Headers.Location!);
            response = await _http.GetAsync(uri);
        }

        Current = new Page(uri, response.StatusCode, await response.Content.ReadAsStringAsync());
        return Current;
    }

    private static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    public void Dispose() => _http.Dispose();

    /// <summary>A loaded page: where it is, its status and its HTML.</summary>
    public sealed partial record Page(Uri Address, HttpStatusCode Status, string Html)
    {
        /// <summary>The page's text without tags, whitespace collapsed and entities decoded, for assertions on what a person reads.</summary>
        public string Text => WebUtility.HtmlDecode(Spaces().Replace(Tags().Replace(Scripts().Replace(Html, " "), " "), " ")).Trim();

        public bool HasForm(string formName) => Forms().Any(f => f.Name == formName);

        public HtmlForm Form(string formName) =>
            Forms().FirstOrDefault(f => f.Name == formName)
            ?? throw new InvalidOperationException($"No form \"{formName}\" on {Address}. The page says: {Text}");

        public IReadOnlyList<HtmlForm> Forms()
        {
            var forms = new List<HtmlForm>();
            foreach (Match form in FormPattern().Matches(Html))
            {
                var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (Match input in InputPattern().Matches(form.Groups["body"].Value))
                {
                    var attributes = Attributes(input.Value);
                    if (attributes.TryGetValue("name", out var name))
                    {
                        fields[name] = attributes.GetValueOrDefault("value") ?? "";
                    }
                }

                var action = Attributes(form.Groups["open"].Value).GetValueOrDefault("action");
                forms.Add(new HtmlForm(fields.GetValueOrDefault("_handler") ?? "", action, fields));
            }

            return forms;
        }

        private static Dictionary<string, string> Attributes(string tag)
        {
            var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (Match attribute in AttributePattern().Matches(tag))
            {
                attributes[attribute.Groups["name"].Value] = WebUtility.HtmlDecode(attribute.Groups["value"].Value);
            }

            return attributes;
        }

        [GeneratedRegex("(?<open><form\\b[^>]*>)(?<body>.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
        private static partial Regex FormPattern();

        [GeneratedRegex("<input\\b[^>]*>", RegexOptions.IgnoreCase)]
        private static partial Regex InputPattern();

        [GeneratedRegex("(?<name>[a-zA-Z_:][-a-zA-Z0-9_:.]*)=\"(?<value>[^\"]*)\"")]
        private static partial Regex AttributePattern();

        [GeneratedRegex("<(script|style)\\b.*?</\\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
        private static partial Regex Scripts();

        [GeneratedRegex("<[^>]+>")]
        private static partial Regex Tags();

        [GeneratedRegex("\\s+")]
        private static partial Regex Spaces();
    }

    /// <summary>A form of a page: its handler name (<c>_handler</c>), its action and the fields it renders.</summary>
    public sealed record HtmlForm(string Name, string? Action, IReadOnlyDictionary<string, string> Fields);
}
