using System.CommandLine;
using Junction.Workspace.Accounts;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;

namespace Junction.Server.Cli;

/// <summary>
/// <c>users create-owner --email E --password P [--name N]</c>: creates an account that is a Workspace Owner of the
/// default workspace, as the setup link does, without a browser (for scripted installs). It writes to the database
/// directly, so it works whether or not a server is running on the same data directory.
/// </summary>
internal static class UsersCommand
{
    public static Command Create(Option<string> data)
    {
        var email = new Option<string>("--email") { Description = "The owner's email, used to sign in.", Required = true };
        var password = new Option<string>("--password")
        {
            Description = $"The owner's password (at least {Passwords.MinLength} characters).",
            Required = true,
        };
        var name = new Option<string?>("--name") { Description = "The owner's name (default: the part of the email before the @)." };
        var createOwner = new Command("create-owner", "Create a Workspace Owner account of the default workspace.");
        createOwner.Options.Add(email);
        createOwner.Options.Add(password);
        createOwner.Options.Add(name);
        createOwner.SetAction((result, cancellationToken) => CreateOwnerAsync(
            result.GetValue(data)!, result.GetValue(email)!, result.GetValue(password)!, result.GetValue(name), cancellationToken));

        var users = new Command("users", "Manage user accounts.");
        users.Subcommands.Add(createOwner);
        return users;
    }

    private static async Task<int> CreateOwnerAsync(string dataDirectory, string email, string password, string? name, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        var options = new DbContextOptionsBuilder<JunctionDbContext>()
            .UseSqlite($"Data Source={Path.Combine(Path.GetFullPath(dataDirectory), "junction.db")}")
            .Options;
        await using var db = new JunctionDbContext(options);
        var workspace = await WorkspaceBootstrap.EnsureReadyAsync(db, TimeProvider.System, cancellationToken);
        var ownerName = string.IsNullOrWhiteSpace(name) ? email.Split('@')[0].Trim() : name;
        var outcome = await FirstOwnerSetup.CreateOwnerAsync(
            db, new AuditTrail(db, TimeProvider.System), TimeProvider.System, email, ownerName, password, cancellationToken);
        if (outcome.Problem is { } problem)
        {
            await Console.Error.WriteLineAsync(problem.Message);
            return 2;
        }

        // A setup link printed earlier by a running server stops working: an account exists now.
        await db.SetupTokens.ExecuteDeleteAsync(cancellationToken);
        Console.WriteLine($"Created {outcome.Value!.Email}, Workspace Owner of \"{workspace.Name}\". Sign in at /sign-in.");
        return 0;
    }
}
