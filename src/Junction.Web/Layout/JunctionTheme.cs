using MudBlazor;

namespace Junction.Web.Layout;

/// <summary>The MudBlazor theme of the web app.</summary>
internal static class JunctionTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3b5bdb",

            // Secondary is used for quiet text and accents; a slate grey rather than MudBlazor's pink.
            Secondary = "#5c6b8a",
            AppbarBackground = "#1f2a44",
            Background = "#f4f6fb",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Inter", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"] },
        },
    };
}
