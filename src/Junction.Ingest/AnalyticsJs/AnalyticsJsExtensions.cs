using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Ingest.AnalyticsJs;

internal static class AnalyticsJsExtensions
{
    /// <summary>
    /// Serving analytics.js and its settings: options from the <c>AnalyticsJs</c> section and <c>Junction:PublicUrl</c>,
    /// and the files the build copied beside the server.
    /// </summary>
    public static IServiceCollection AddAnalyticsJs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AnalyticsJsOptions>()
            .Bind(configuration.GetSection("AnalyticsJs"))
            .Configure(o => o.PublicUrl = configuration[AnalyticsJsOptions.PublicUrlKey])
            .Validate(
                o => string.IsNullOrWhiteSpace(o.PublicUrl) || PublicBase.TryParse(o.PublicUrl) is not null,
                $"{AnalyticsJsOptions.PublicUrlKey} must be an absolute http:// or https:// URL without a query, such as https://data.example.com.")
            .ValidateOnStart();
        services.AddSingleton<AnalyticsJsBundle>();
        return services;
    }
}
