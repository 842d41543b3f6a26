using System.Text;
using System.Text.Encodings.Web;

namespace Junction.Ingest.AnalyticsJs;

/// <summary>
/// The HTML a user pastes into their pages to load analytics.js from Junction. It defines <c>window.analytics</c> as
/// a queue of calls at once (so that calls made before the library arrives are kept), loads the library from this
/// server, and records a first page view.
/// </summary>
internal static class AnalyticsJsSnippet
{
    /// <summary>The methods callable before the library has loaded; each one queues its call.</summary>
    public static readonly IReadOnlyList<string> Methods =
    [
        "trackSubmit", "trackClick", "trackLink", "trackForm", "pageview", "identify", "reset", "group", "track", "ready",
        "alias", "debug", "page", "screen", "once", "off", "on", "addSourceMiddleware", "addIntegrationMiddleware",
        "setAnonymousId", "addDestinationMiddleware", "register",
    ];

    /// <summary>The queued calls that also record the page they were made on, as analytics.js expects.</summary>
    public static readonly IReadOnlyList<string> PageContextMethods = ["track", "screen", "alias", "group", "page", "identify"];

    /// <summary>
    /// Renders the snippet for a source. <paramref name="baseUrl"/> is where browsers reach Junction, such as
    /// <c>https://data.example.com</c>; the library, its chunks and the settings are all loaded from there, with its
    /// scheme, so the snippet works on plain http as well as https.
    /// </summary>
    /// <exception cref="ArgumentException">The write key is empty or the base URL is not an absolute http(s) URL.</exception>
    public static string Render(string writeKey, string baseUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(writeKey);
        var publicBase = PublicBase.TryParse(baseUrl)
            ?? throw new ArgumentException($"\"{baseUrl}\" is not an absolute http:// or https:// URL.", nameof(baseUrl));
        var cdn = publicBase.Url;

        // Every value is written as a JavaScript string literal by the default JavaScript encoder, which escapes
        // quotes, backslashes, <, > and &, so no value can end the string or the script element.
        var script = new StringBuilder();
        script.Append("<script>\n");
        script.Append("(function () {\n");
        script.Append("  var analytics = window.analytics = window.analytics || [];\n");
        script.Append("  if (analytics.initialize) { return; }\n");
        script.Append("  if (analytics.invoked) {\n");
        script.Append("    if (window.console && console.error) { console.error(\"The analytics.js snippet is on this page twice.\"); }\n");
        script.Append("    return;\n");
        script.Append("  }\n");
        script.Append("  analytics.invoked = true;\n");
        script.Append("  var withPage = ").Append(Literal(PageContextMethods)).Append(";\n");
        script.Append("  analytics.methods = ").Append(Literal(Methods)).Append(";\n");
        script.Append("  analytics.factory = function (method) {\n");
        script.Append("    return function () {\n");
        script.Append("      if (window.analytics.initialized) { return window.analytics[method].apply(window.analytics, arguments); }\n");
        script.Append("      var call = Array.prototype.slice.call(arguments);\n");
        script.Append("      if (withPage.indexOf(method) >= 0) {\n");
        script.Append("        var canonical = document.querySelector(\"link[rel='canonical']\");\n");
        script.Append("        call.push({ __t: \"bpc\", c: (canonical && canonical.getAttribute(\"href\")) || undefined, p: location.pathname,\n");
        script.Append("          u: location.href, s: location.search, t: document.title, r: document.referrer });\n");
        script.Append("      }\n");
        script.Append("      call.unshift(method);\n");
        script.Append("      analytics.push(call);\n");
        script.Append("      return analytics;\n");
        script.Append("    };\n");
        script.Append("  };\n");
        script.Append("  for (var i = 0; i < analytics.methods.length; i++) {\n");
        script.Append("    analytics[analytics.methods[i]] = analytics.factory(analytics.methods[i]);\n");
        script.Append("  }\n");
        script.Append("  analytics.load = function (key, options) {\n");
        script.Append("    var tag = document.createElement(\"script\");\n");
        script.Append("    tag.type = \"text/javascript\";\n");
        script.Append("    tag.async = true;\n");
        script.Append("    tag.setAttribute(\"data-global-segment-analytics-key\", \"analytics\");\n");
        script.Append("    tag.src = analytics._cdn + \"/analytics.js/v1/\" + encodeURIComponent(key) + \"/analytics.min.js\";\n");
        script.Append("    var first = document.getElementsByTagName(\"script\")[0];\n");
        script.Append("    if (first && first.parentNode) { first.parentNode.insertBefore(tag, first); } else { document.head.appendChild(tag); }\n");
        script.Append("    analytics._loadOptions = options;\n");
        script.Append("  };\n");
        script.Append("  analytics._writeKey = ").Append(Literal(writeKey)).Append(";\n");
        script.Append("  analytics._cdn = ").Append(Literal(cdn)).Append(";\n");
        script.Append("  analytics.load(").Append(Literal(writeKey)).Append(");\n");
        script.Append("  analytics.page();\n");
        script.Append("})();\n");
        script.Append("</script>\n");
        return script.ToString();
    }

    private static string Literal(string value) => "\"" + JavaScriptEncoder.Default.Encode(value) + "\"";

    private static string Literal(IReadOnlyList<string> values) =>
        "[" + string.Join(", ", values.Select(Literal)) + "]";
}
