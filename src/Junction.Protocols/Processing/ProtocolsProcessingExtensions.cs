using Junction.Events;
using Junction.Protocols.Api;
using Junction.Protocols.Observation;
using Junction.Protocols.Violations;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Junction.Protocols.Processing;

internal static class ProtocolsProcessingExtensions
{
    /// <summary>
    /// Protocols in the data plane: the processor stage (schema observation, schema blocks, transformations, tracking
    /// plans and controls, violations, forwarding), destination-scoped transformations for the fan-out, the schema and
    /// violations stores in <c>protocols.db</c> and the flusher that writes them. The configuration of each source comes
    /// from the <see cref="IProtocolsDirectory"/> that <c>AddProtocolsControlPlane</c> registers.
    /// </summary>
    public static IServiceCollection AddProtocolsProcessing(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        services.AddOptions<ProtocolsProcessingOptions>()
            .Bind(configuration.GetSection("Protocols"))
            .Validate(o => o.FlushInterval >= TimeSpan.FromMilliseconds(100), "Protocols:FlushInterval must be at least 100 milliseconds (for example 00:00:02).")
            .Validate(o => o.SampleFirstPerMinute >= 0, "Protocols:SampleFirstPerMinute must not be negative.")
            .Validate(o => o.SampleOneIn >= 1, "Protocols:SampleOneIn must be at least 1.")
            .Validate(o => o.MaxEventsPerSource >= 1, "Protocols:MaxEventsPerSource must be at least 1.")
            .Validate(o => o.MaxPropertiesPerEvent >= 1, "Protocols:MaxPropertiesPerEvent must be at least 1.")
            .Validate(o => o.ViolationSamplesKept is >= 1 and <= 100, "Protocols:ViolationSamplesKept must be from 1 to 100.")
            .ValidateOnStart();

        var path = Path.Combine(dataDirectory, "protocols.db");
        services.AddSingleton(_ => new SchemaStore(path));
        services.AddSingleton(_ => new ViolationStore(path));
        services.AddSingleton<SchemaObserver>();
        services.AddSingleton<SchemaFlags>();
        services.AddSingleton<ViolationRecorder>();
        services.AddSingleton<ProtocolsForwarder>();
        services.AddSingleton<SchemaInventory>();
        services.AddSingleton<ISchemaInventory>(sp => sp.GetRequiredService<SchemaInventory>());
        services.AddSingleton<ProtocolsFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<ProtocolsFlusher>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventStage, ProtocolsStage>());
        services.TryAddSingleton<IDestinationTransforms, ProtocolsDestinationTransforms>();
        return services;
    }

    /// <summary>The schema view's and the violations' routes, mapped into the <c>/api</c> group.</summary>
    public static RouteGroupBuilder MapProtocolsDataApi(this RouteGroupBuilder api) => api.MapSchemaApi().MapViolationsApi();
}
