using System.CommandLine;
using Junction.Server.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Junction.Server.Cli;

internal static class ServeCommand
{
    public static async Task<int> RunAsync(ParseResult result, Option<string> data, Option<string?> urls, CancellationToken cancellationToken)
    {
        var dataDirectory = result.GetValue(data)!;
        var hostArguments = new List<string>(result.UnmatchedTokens);
        if (result.GetValue(urls) is { Length: > 0 } listen)
        {
            hostArguments.AddRange(["--urls", listen]);
        }

        await using var app = JunctionHost.Build(dataDirectory, [.. hostArguments]);
        await app.StartAsync(cancellationToken);
        PrintBanner(app, Path.GetFullPath(dataDirectory));
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    private static void PrintBanner(WebApplication app, string dataDirectory)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var first = addresses.FirstOrDefault() ?? JunctionHost.DefaultUrl;
        Console.WriteLine();
        Console.WriteLine($"  Junction is running. Open {first}/");
        Console.WriteLine($"  Tracking API: {first}/v1/   Public API: {first}/api/   Health: {first}/health");
        Console.WriteLine($"  Data: {dataDirectory}");
        Console.WriteLine("  Create a Public API token with: dotnet run --project src/Junction.Server -- tokens create --name NAME");
        Console.WriteLine();
    }
}
