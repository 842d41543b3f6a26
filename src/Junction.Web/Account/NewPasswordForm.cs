using System.ComponentModel.DataAnnotations;
using Junction.Workspace.Accounts;

namespace Junction.Web.Account;

/// <summary>The fields of a form that chooses a password: the password and the same again.</summary>
internal class NewPasswordForm
{
    [Required(ErrorMessage = "Choose a password.")]
    [MinLength(Passwords.MinLength, ErrorMessage = "Use at least 10 characters for the password.")]
    public string Password { get; set; } = "";

    [Required(ErrorMessage = "Type the password again.")]
    [Compare(nameof(Password), ErrorMessage = "The two passwords are not the same.")]
    public string ConfirmPassword { get; set; } = "";

    /// <summary>Forgets the passwords once they are used, so that they are not kept for the rest of the request.</summary>
    public void Clear()
    {
        Password = "";
        ConfirmPassword = "";
    }
}
