using Junction.Destinations.Framework;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Junction.Destinations.Delivery;

internal static class DeliveryExtensions
{
    /// <summary>
    /// Delivery to destinations: the per-destination durable queues (<see cref="IDeliveryQueues"/>, which the fan-out
    /// appends to), the <see cref="DestinationRouter"/> that sends them, and <see cref="DestinationHealth"/>. Needs
    /// <see cref="IDestinationDirectory"/>, <see cref="IDeliveryJournal"/> and <see cref="TimeProvider"/> registered
    /// elsewhere. Settings come from the <c>Delivery</c> section; the queues live under
    /// <c>{dataDirectory}/destinations/</c> unless <c>Delivery:DataDirectory</c> says otherwise.
    /// </summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        services.AddOptions<DeliveryOptions>()
            .Bind(configuration.GetSection(DeliveryOptions.Section))
            .PostConfigure(o => o.DataDirectory = string.IsNullOrEmpty(o.DataDirectory) ? dataDirectory : o.DataDirectory)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>();
        services.AddSingleton<DeliveryQueues>();
        services.AddSingleton<IDeliveryQueues>(sp => sp.GetRequiredService<DeliveryQueues>());
        services.AddSingleton<DestinationHealth>();
        services.AddSingleton<DeliveryHttp>();
        services.AddSingleton<DestinationRouter>();
        services.AddHostedService(sp => sp.GetRequiredService<DestinationRouter>());
        return services;
    }

    /// <summary>Start-up validation of <see cref="DeliveryOptions"/>; the error names the configuration key at fault.</summary>
    private sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
    {
        public ValidateOptionsResult Validate(string? name, DeliveryOptions options) =>
            options.Validate() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
