using Junction.Web.Shared;
using Junction.Workspace;

namespace Junction.Web.Tests.Shared;

public sealed class ProblemTextTests
{
    [Theory]
    [InlineData("invites[1].email: ada@example.test is a member of this workspace already.", "invites[1].email", "ada@example.test is a member of this workspace already.")]
    [InlineData("invites[0].groups: there is no user group \"x\" in this workspace.", "invites[0].groups", "There is no user group \"x\" in this workspace.")]
    [InlineData("label.key must start with a letter.", "label.key", "This must start with a letter.")]
    [InlineData("Enter a name for the workspace.", "name", "Enter a name for the workspace.")]
    [InlineData("User group not found.", null, "User group not found.")]
    [InlineData("Inviting people needs the Workspace Owner role, which the caller does not have.", null, "Inviting people needs the Workspace Owner role, which you do not have.")]
    public void TheFieldPathOfAnApiMessageIsLeftOutOnAForm(string message, string? field, string shown) =>
        Assert.Equal(shown, ProblemText.For(new Problem(ProblemKind.Invalid, message, field)));
}
