using System.CommandLine;
using Junction.Server.Hosting;
using Junction.Workspace.Accounts;
using Junction.Workspace.Data;
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
        var setupLink = await SetupLinkAsync(app, cancellationToken);
        PrintBanner(app, Path.GetFullPath(dataDirectory), setupLink);
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    /// <summary>
    /// While nobody has an account, a one-time link that creates the first Workspace Owner: a new one at every start
    /// (the previous one stops working). It is printed, never logged.
    /// </summary>
    private static async Task<string?> SetupLinkAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var token = await FirstOwnerSetup.IssueTokenAsync(db, app.Services.GetRequiredService<TimeProvider>(), cancellationToken);
        return token is null ? null : app.Services.GetRequiredService<PublicLinks>().Setup(token);
    }

    private static void PrintBanner(WebApplication app, string dataDirectory, string? setupLink)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var first = addresses.FirstOrDefault() ?? JunctionHost.DefaultUrl;
        Console.WriteLine();
        Console.WriteLine($"  Junction is running. Open {first}/");
        Console.WriteLine($"  Tracking API: {first}/v1/   Public API: {first}/api/   Health: {first}/health");
        Console.WriteLine($"  Data: {dataDirectory}");
        Console.WriteLine("  Create a Public API token with: dotnet run --project src/Junction.Server -- tokens create --name NAME");
        if (setupLink is not null)
        {
            Console.WriteLine();
            Console.WriteLine("  Nobody has an account yet. Create the first Workspace Owner by opening this link (it works once):");
            Console.WriteLine($"  {setupLink}");
            Console.WriteLine("  or on the command line: users create-owner --email EMAIL --password PASSWORD");
        }

        Console.WriteLine();
    }
}
