using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Destinations.Delivery.Journal;

internal static class DeliveryJournalExtensions
{
    /// <summary>
    /// The delivery journal: <see cref="Framework.IDeliveryJournal"/> with its writer, the metrics flusher, the
    /// retention job, <c>{data}/delivery.db</c>, and the query services (<see cref="TraceQuery"/>,
    /// <see cref="DeadLetterQuery"/>, <see cref="DeliveryMetricsQuery"/>). Settings come from the
    /// <c>DeliveryJournal</c> section. The host provides <see cref="TimeProvider"/>,
    /// <see cref="Framework.IDestinationDirectory"/>, <see cref="Framework.IDeliveryQueues"/> (for re-sends) and
    /// <c>ISourceLookup</c> (for access). Register it before the fan-out and the router: hosted services stop in
    /// reverse order, so the journal then writes the last steps they report.
    /// </summary>
    public static IServiceCollection AddDeliveryJournal(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        services.AddOptions<DeliveryJournalOptions>()
            .Bind(configuration.GetSection(DeliveryJournalOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(_ => new JournalStore(Path.Combine(dataDirectory, "delivery.db")));
        services.AddSingleton<DeliveryMetricsCounter>();
        services.AddSingleton<DeliveryJournal>();
        services.AddSingleton<Framework.IDeliveryJournal>(sp => sp.GetRequiredService<DeliveryJournal>());
        services.AddSingleton<DeliveryMetricsFlusher>();
        services.AddSingleton<JournalRetention>();

        // Stopped in reverse: the retention job, then the flusher (writing the last counts), then the writer.
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryJournal>());
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryMetricsFlusher>());
        services.AddHostedService(sp => sp.GetRequiredService<JournalRetention>());

        services.AddSingleton<TraceQuery>();
        services.AddSingleton<DeadLetterQuery>();
        services.AddSingleton<DeliveryMetricsQuery>();
        return services;
    }
}
