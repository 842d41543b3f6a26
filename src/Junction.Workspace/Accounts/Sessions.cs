using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Junction.Workspace.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Workspace.Accounts;

/// <summary>
/// Browser sessions: one cookie authentication scheme whose ticket carries the user's id and security stamp. Every
/// authenticated request checks the stamp against the database, so changing the password or signing out everywhere
/// (both rotate the stamp) ends every other session at its next request.
/// </summary>
internal static class Sessions
{
    public const string Scheme = "Junction.Session";
    public const string CookieName = "junction.session";
    public const string UserIdClaim = "junction:user-id";
    public const string SecurityStampClaim = "junction:security-stamp";

    public const string SignInPath = "/sign-in";
    public const string SignOutPath = "/sign-out";
    public const string ReturnUrlParameter = "returnUrl";

    /// <summary>The rate-limiting policy on the forms that check a password or send an email.</summary>
    public const string FormsRateLimitPolicy = "account-forms";

    public static ClaimsPrincipal CreatePrincipal(UserEntity user) => new(new ClaimsIdentity(
        [
            new Claim(UserIdClaim, user.Id),
            new Claim(SecurityStampClaim, user.SecurityStamp),
            new Claim(ClaimTypes.Name, user.Name),
            new Claim(ClaimTypes.Email, user.Email),
        ],
        Scheme,
        ClaimTypes.Name,
        ClaimTypes.Role));

    /// <summary>Starts a session for <paramref name="user"/> (a persistent cookie with sliding expiry).</summary>
    public static Task SignInAsync(HttpContext http, UserEntity user) =>
        http.SignInAsync(Scheme, CreatePrincipal(user), new AuthenticationProperties { IsPersistent = true });

    public static Task SignOutAsync(HttpContext http) => http.SignOutAsync(Scheme);

    /// <summary>The signed-in user's id, or null for an anonymous caller.</summary>
    public static string? UserId(ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated == true ? principal.FindFirst(UserIdClaim)?.Value : null;

    /// <summary>
    /// <see cref="CookieAuthenticationEvents.OnValidatePrincipal"/>: a session whose user is gone or whose security
    /// stamp is no longer the user's current one is rejected and its cookie removed.
    /// </summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var userId = context.Principal?.FindFirst(UserIdClaim)?.Value;
        var stamp = context.Principal?.FindFirst(SecurityStampClaim)?.Value;
        string? current = null;
        if (userId is not null && stamp is not null)
        {
            var db = context.HttpContext.RequestServices.GetRequiredService<JunctionDbContext>();
            current = await db.Users.AsNoTracking()
                .Where(u => u.Id == userId)
                .Select(u => u.SecurityStamp)
                .FirstOrDefaultAsync(context.HttpContext.RequestAborted);
        }

        if (current is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(current), Encoding.UTF8.GetBytes(stamp!)))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }
}
