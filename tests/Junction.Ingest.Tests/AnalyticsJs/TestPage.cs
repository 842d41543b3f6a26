namespace Junction.Ingest.Tests.AnalyticsJs;

/// <summary>The pages of the analytics.js browser tests, served by a <see cref="Junction.Testing.CustomerSite"/>.</summary>
internal static class TestPage
{
    /// <summary>A checkout page that loads analytics.js with <paramref name="snippet"/>, then identifies and tracks.</summary>
    public static string Checkout(string snippet) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>Checkout - Junction analytics.js test</title>
          <link rel="icon" href="data:,">
          {{snippet}}
          <script>
            analytics.identify("user-1", { email: "ada@example.com", plan: "pro" });
            analytics.track("Order Completed", { orderId: "order-42", revenue: 42.5, currency: "EUR" });
            analytics.ready(function () {
              document.getElementById("status").textContent = "analytics.js " + window.analytics.VERSION + " is ready.";
            });
          </script>
        </head>
        <body style="font-family: sans-serif; margin: 2em">
          <h1>Order complete</h1>
          <p>This page loaded analytics.js from Junction and sent a page, an identify and a track call.</p>
          <p id="where"></p>
          <p id="status">analytics.js has not loaded yet.</p>
          <script>
            document.getElementById("where").textContent = "This page: " + location.origin + ". Junction: " + window.analytics._cdn + ".";
          </script>
        </body>
        </html>
        """;
}
