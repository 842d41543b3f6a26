namespace Junction.Web.Tests.EndToEnd;

/// <summary>The customer's page of the debugger's end-to-end tests, served by a <see cref="Junction.Testing.CustomerSite"/>.</summary>
internal static class DebuggerTestPage
{
    /// <summary>A documentation page with <paramref name="snippet"/> in its head (which sends the page call) and a button that tracks.</summary>
    public static string DocsPage(string snippet) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>Install - Junction debugger test</title>
          <link rel="icon" href="data:,">
          {{snippet}}
        </head>
        <body style="font-family: sans-serif; margin: 2em">
          <h1>Install</h1>
          <p>This page has the analytics.js snippet copied from the source's Setup tab.</p>
          <button id="subscribe" onclick="analytics.track('Newsletter Subscribed', { list: 'product-news', placement: 'docs' })">Subscribe</button>
        </body>
        </html>
        """;
}
