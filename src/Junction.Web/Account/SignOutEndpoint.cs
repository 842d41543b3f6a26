using Junction.Workspace.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Web.Account;

/// <summary><c>POST /sign-out</c>: ends this browser's session (a form post with an antiforgery token).</summary>
internal static class SignOutEndpoint
{
    public static IEndpointRouteBuilder MapSignOut(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Sessions.SignOutPath, (Func<HttpContext, Task<IResult>>)SignOutAsync)
            .WithMetadata(new RequireAntiforgeryTokenAttribute());
        return endpoints;
    }

    private static async Task<IResult> SignOutAsync(HttpContext http)
    {
        if (http.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
        {
            return Results.Text("The form could not be checked (its antiforgery token is missing or old). Reload the page and try again.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        await Sessions.SignOutAsync(http);
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var returnUrl = form[Sessions.ReturnUrlParameter].ToString();
        return Results.LocalRedirect(LocalUrls.IsLocal(returnUrl) ? returnUrl : Sessions.SignInPath);
    }
}
