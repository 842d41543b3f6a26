using Junction.Web.Account;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Junction.Web;

internal static class WebExtensions
{
    /// <summary>
    /// The web app: Razor components (pages are rendered on the server; interactive server rendering is registered
    /// for the pages that need it) and MudBlazor. Static web assets (MudBlazor's CSS and JavaScript, the framework's
    /// scripts) are served from the manifests the build writes, so the app runs from its build output as it does
    /// from a published folder.
    /// </summary>
    public static WebApplicationBuilder AddJunctionWeb(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddMudServices();
        builder.Services.AddScoped<Shared.Scoped>();
        return builder;
    }

    /// <summary>The pages, their static assets and the sign-out endpoint. Run after <c>UseAccounts</c> (antiforgery).</summary>
    public static WebApplication MapJunctionWeb(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapSignOut();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
