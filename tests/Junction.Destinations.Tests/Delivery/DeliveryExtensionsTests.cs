using Junction.Destinations.Delivery;
using Junction.Destinations.Framework;
using Junction.Destinations.Tests.Fakes;
using Junction.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Junction.Destinations.Tests.Delivery;

public sealed class DeliveryExtensionsTests
{
    [Fact]
    public async Task AddDeliveryRegistersTheQueuesTheRouterAndHealthWithQueuesUnderTheDataDirectory()
    {
        using var data = new TempDirectory();
        await using var provider = Services(data.Path, new Dictionary<string, string?> { ["Delivery:Destinations:actions-amplitude:MaxConcurrency"] = "4" });

        var queues = provider.GetRequiredService<IDeliveryQueues>();
        Assert.Same(provider.GetRequiredService<DeliveryQueues>(), queues);
        Assert.Contains(provider.GetServices<IHostedService>(), s => s is DestinationRouter);
        Assert.NotNull(provider.GetRequiredService<DestinationHealth>());
        var options = provider.GetRequiredService<IOptions<DeliveryOptions>>().Value;
        Assert.Equal(data.Path, options.DataDirectory);
        Assert.Equal((4, 0d), options.LimitsFor("actions-amplitude"));
        Assert.Equal(Path.Combine(data.Path, "destinations", "dst_1", "log"), provider.GetRequiredService<DeliveryQueues>().QueueDirectory("dst_1"));
    }

    [Fact]
    public async Task AnInvalidDeliverySettingIsRefusedWithItsConfigurationKey()
    {
        using var data = new TempDirectory();
        await using var provider = Services(data.Path, new Dictionary<string, string?> { ["Delivery:MinAttempts"] = "0" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DeliveryOptions>>().Value);
        Assert.Contains("Delivery:MinAttempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AQueueDirectoryCannotBeNamedOutsideTheDataDirectory()
    {
        using var data = new TempDirectory();
        var queues = new DeliveryQueues(
            Options.Create(new DeliveryOptions { DataDirectory = data.Path }), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<DeliveryQueues>.Instance);
        Assert.Throws<ArgumentException>(() => queues.QueueDirectory("../etc"));
        Assert.Throws<ArgumentException>(() => queues.QueueDirectory(".."));
    }

    private static ServiceProvider Services(string dataDirectory, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IDestinationDirectory>(new TestDirectory())
            .AddSingleton<IDeliveryJournal>(new RecordingJournal());
        services.AddDelivery(configuration, dataDirectory);
        return services.BuildServiceProvider();
    }
}
