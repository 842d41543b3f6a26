using System.CommandLine;
using Junction.Workspace.Data;
using Junction.Workspace.PublicApi;
using Microsoft.EntityFrameworkCore;

namespace Junction.Server.Cli;

/// <summary>
/// <c>tokens create --name NAME</c>: makes a Public API token for the workspace and prints it once. It writes to the
/// database directly, so it works whether or not a server is running on the same data directory.
/// </summary>
internal static class TokensCommand
{
    public static Command Create(Option<string> data)
    {
        var name = new Option<string>("--name") { Description = "What the token is for (shown in the token list).", Required = true };
        var create = new Command("create", "Create a Public API token and print it (it is shown only once).");
        create.Options.Add(name);
        create.SetAction((result, cancellationToken) => CreateAsync(result.GetValue(data)!, result.GetValue(name)!, cancellationToken));

        var tokens = new Command("tokens", "Manage Public API tokens.");
        tokens.Subcommands.Add(create);
        return tokens;
    }

    private static async Task<int> CreateAsync(string dataDirectory, string name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            await Console.Error.WriteLineAsync("--name must not be empty.");
            return 2;
        }

        Directory.CreateDirectory(dataDirectory);
        var options = new DbContextOptionsBuilder<JunctionDbContext>()
            .UseSqlite($"Data Source={Path.Combine(Path.GetFullPath(dataDirectory), "junction.db")}")
            .Options;
        await using var db = new JunctionDbContext(options);
        var workspace = await WorkspaceBootstrap.EnsureReadyAsync(db, TimeProvider.System, cancellationToken);
        var (_, secret) = await ApiTokens.CreateAsync(db, workspace.Id, name.Trim(), TimeProvider.System, cancellationToken);
        Console.WriteLine(secret);
        return 0;
    }
}
