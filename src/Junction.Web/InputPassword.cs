using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Rendering;

namespace Junction.Web;

/// <summary>
/// A password field bound like <see cref="InputText"/> whose value is never written back into the page, so that a
/// form shown again after an error does not carry the password in its HTML. Public because Razor finds only public
/// components.
/// </summary>
public sealed class InputPassword : InputText
{
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "input");
        builder.AddMultipleAttributes(1, AdditionalAttributes);
        builder.AddAttribute(2, "type", "password");
        if (!string.IsNullOrEmpty(NameAttributeValue))
        {
            builder.AddAttribute(3, "name", NameAttributeValue);
        }

        if (!string.IsNullOrEmpty(CssClass))
        {
            builder.AddAttribute(4, "class", CssClass);
        }

        builder.AddAttribute(5, "value", "");
        builder.AddAttribute(6, "onchange", EventCallback.Factory.CreateBinder<string?>(this, value => CurrentValueAsString = value, ""));
        builder.SetUpdatesAttributeName("value");
        builder.CloseElement();
    }
}
