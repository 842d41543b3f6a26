using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Workspace.Secrets;

internal static class SecretsExtensions
{
    /// <summary>The application name every Junction process shares, so that all of them read each other's protected values.</summary>
    public const string ApplicationName = "Junction";

    /// <summary>
    /// Data Protection with its key ring in <c>Secrets:KeyRingPath</c> (default <c>&lt;data&gt;/keys</c>), and the
    /// <see cref="SecretProtector"/> built on it. This is the process's one Data Protection configuration, which
    /// sign-in cookies use as well.
    /// </summary>
    public static IServiceCollection AddSecrets(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        var configured = configuration["Secrets:KeyRingPath"];
        var keyRing = Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.Combine(dataDirectory, "keys") : configured);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(keyRing);
        }
        else
        {
            // The keys are the secrets' secret: only the account running Junction may read them.
            Directory.CreateDirectory(keyRing, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToFileSystem(new DirectoryInfo(keyRing));
        services.AddSingleton<SecretProtector>();
        return services;
    }
}
