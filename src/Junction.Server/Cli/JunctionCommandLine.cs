using System.CommandLine;
using Junction.Server.Hosting;

namespace Junction.Server.Cli;

/// <summary>
/// The command line: <c>serve</c> (the default) runs everything in one process; <c>tokens create</c> makes a Public
/// API token; <c>users create-owner</c> makes a Workspace Owner account. <c>--data DIR</c> (default <c>./data</c>) is
/// accepted by every verb.
/// </summary>
internal static class JunctionCommandLine
{
    public static RootCommand Create()
    {
        var data = new Option<string>("--data")
        {
            Description = "The directory that holds all embedded state (database, event log, volume).",
            DefaultValueFactory = _ => "./data",
            Recursive = true,
        };
        var urls = new Option<string?>("--urls")
        {
            Description = $"Where to listen, for example \"{JunctionHost.DefaultUrl}\" (several separated by ';').",
        };

        var serve = new Command("serve", "Run the whole platform in this process (the default).");
        serve.Options.Add(urls);
        serve.TreatUnmatchedTokensAsErrors = false;
        serve.SetAction((result, cancellationToken) => ServeCommand.RunAsync(result, data, urls, cancellationToken));

        var root = new RootCommand("Junction: a customer data platform compatible with Segment's APIs and libraries.");
        root.Options.Add(data);
        root.Options.Add(urls);
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((result, cancellationToken) => ServeCommand.RunAsync(result, data, urls, cancellationToken));
        root.Subcommands.Add(serve);
        root.Subcommands.Add(TokensCommand.Create(data));
        root.Subcommands.Add(UsersCommand.Create(data));
        return root;
    }
}
