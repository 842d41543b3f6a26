using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Junction.Workspace.Email;

internal static class EmailExtensions
{
    /// <summary>
    /// Outgoing email: <see cref="SmtpEmailSender"/> when <c>Email:Host</c> is set, else the <see cref="Outbox"/> in
    /// <c>&lt;data&gt;/outbox/</c>. The outbox can be read in either case.
    /// </summary>
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        services.AddOptions<EmailOptions>()
            .Bind(configuration.GetSection(EmailOptions.Section))
            .Validate(o => o.Port is >= 1 and <= 65535, "Email:Port must be from 1 to 65535.")
            .Validate(o => Enum.IsDefined(o.Security), "Email:Security must be None, StartTls, SslOnConnect or Auto.")
            .Validate(o => EmailOptions.IsValidFrom(o.From), "Email:From must be an address, or a name and an address like \"Junction <junction@example.com>\".")
            .Validate(o => string.IsNullOrEmpty(o.Username) || o.UsesSmtp, "Email:Username is set but Email:Host is not: set the SMTP server's host name.")
            .ValidateOnStart();
        services.AddSingleton(sp => new Outbox(
            Path.Combine(dataDirectory, Outbox.FolderName),
            sp.GetRequiredService<IOptions<EmailOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<Outbox>>()));
        services.AddSingleton<SmtpEmailSender>();
        services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.UsesSmtp
            ? sp.GetRequiredService<SmtpEmailSender>()
            : sp.GetRequiredService<Outbox>());
        return services;
    }
}
