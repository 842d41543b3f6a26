namespace Junction.Workspace.Invites;

/// <summary>Settings of invites (configuration section <c>Invites</c>).</summary>
internal sealed class InvitesOptions
{
    public const string Section = "Invites";

    /// <summary>How long an invite link works after it is sent (or sent again).</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(7);
}
