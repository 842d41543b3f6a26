using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Junction.Workspace.Accounts;

internal static class AccountsExtensions
{
    /// <summary>
    /// Accounts and browser sessions: the options, the session cookie (protected with the process's Data Protection
    /// keys, which <c>AddSecrets</c> keeps in the data directory, so that sessions survive a restart), the rate limit on
    /// account forms, and the account, setup and password-reset services.
    /// </summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountsOptions>()
            .Bind(configuration.GetSection(AccountsOptions.Section))
            .Validate(o => o.MaxFailedSignIns is >= 1 and <= 1000, "Accounts:MaxFailedSignIns must be from 1 to 1000.")
            .Validate(o => o.LockoutDuration > TimeSpan.Zero, "Accounts:LockoutDuration must be longer than zero (for example 00:15:00).")
            .Validate(o => o.SessionLifetime >= TimeSpan.FromMinutes(1), "Accounts:SessionLifetime must be at least one minute (for example 7.00:00:00).")
            .Validate(o => o.PasswordResetLifetime >= TimeSpan.FromMinutes(5) && o.PasswordResetLifetime <= TimeSpan.FromDays(1),
                "Accounts:PasswordResetLifetime must be from 5 minutes to 1 day (for example 01:00:00).")
            .Validate(o => o.FormPostsPerMinute >= 1, "Accounts:FormPostsPerMinute must be at least 1.")
            .Validate(o => string.IsNullOrWhiteSpace(o.PublicUrl) || IsWebAddress(o.PublicUrl),
                "Accounts:PublicUrl must be an absolute http or https address, such as https://junction.example.com.")
            .ValidateOnStart();

        services.AddAuthentication(Sessions.Scheme)
            .AddCookie(Sessions.Scheme, cookie =>
            {
                cookie.Cookie.Name = Sessions.CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.SlidingExpiration = true;
                cookie.LoginPath = Sessions.SignInPath;
                cookie.LogoutPath = Sessions.SignOutPath;
                cookie.AccessDeniedPath = Sessions.SignInPath;
                cookie.ReturnUrlParameter = Sessions.ReturnUrlParameter;
                cookie.Events.OnValidatePrincipal = Sessions.ValidateAsync;
            });
        services.AddOptions<CookieAuthenticationOptions>(Sessions.Scheme)
            .Configure<IOptions<AccountsOptions>>((cookie, accounts) => cookie.ExpireTimeSpan = accounts.Value.SessionLifetime);
        services.AddAuthorization();
        services.AddAntiforgery();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Sessions.FormsRateLimitPolicy, FormPostsPartition);
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync(
                    "Too many attempts from your address. Wait a minute, then try again.", cancellationToken);
            };
        });

        services.AddSingleton<PublicLinks>();
        services.AddScoped<AccountService>();
        services.AddScoped<PasswordResetService>();
        services.AddSingleton<PasswordResetRequests>();
        services.AddHostedService<PasswordResetSender>();
        services.AddScoped<FirstOwnerSetup>();
        return services;
    }

    /// <summary>
    /// The middleware of browser requests, in order: the session cookie, authorization of pages, the rate limit on
    /// account forms, antiforgery checks of form posts. The Tracking API (<c>/v1</c>) skips them: it never uses a
    /// session, and it is the hot path.
    /// </summary>
    public static WebApplication UseAccounts(this WebApplication app)
    {
        app.UseWhen(
            context => !context.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase),
            browser =>
            {
                browser.UseAuthentication();
                browser.UseAuthorization();
                browser.UseRateLimiter();
                browser.UseAntiforgery();
            });
        return app;
    }

    /// <summary>Form posts are counted per client IP address; page views are not limited.</summary>
    private static RateLimitPartition<string> FormPostsPartition(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        var permits = context.RequestServices.GetRequiredService<IOptions<AccountsOptions>>().Value.FormPostsPerMinute;
        var address = context.Connection.RemoteIpAddress ?? IPAddress.None;
        return RateLimitPartition.GetFixedWindowLimiter(address.ToString(), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }

    private static bool IsWebAddress(string value) =>
        Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
