namespace Junction.Ingest.AnalyticsJs;

/// <summary>Settings of the analytics.js endpoints: the section <c>AnalyticsJs</c>, and <c>Junction:PublicUrl</c>.</summary>
internal sealed class AnalyticsJsOptions
{
    /// <summary>The configuration key of <see cref="PublicUrl"/>.</summary>
    public const string PublicUrlKey = "Junction:PublicUrl";

    /// <summary>
    /// The address browsers reach this server at, such as <c>https://data.example.com</c> (a path is allowed). Set it
    /// when Junction runs behind a proxy or load balancer; when empty, each request's scheme and Host are used. It is
    /// read from the server-wide key <c>Junction:PublicUrl</c>, not from the <c>AnalyticsJs</c> section.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>Where the analytics.js files are; by default the <c>analytics-next</c> folder beside the server's assemblies.</summary>
    public string BundleDirectory { get; set; } = "";
}
