namespace Junction.Workspace.Accounts;

/// <summary>Settings of accounts and sessions (configuration section <c>Accounts</c>).</summary>
internal sealed class AccountsOptions
{
    public const string Section = "Accounts";

    /// <summary>Wrong passwords in a row after which an account is locked.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a session lasts without use; each use extends it (sliding expiry).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a password reset link works.</summary>
    public TimeSpan PasswordResetLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Form posts that check a password or send an email (sign in, forgot and reset password, setup, invite
    /// acceptance) allowed per client IP address per minute; more are answered 429.
    /// </summary>
    public int FormPostsPerMinute { get; set; } = 10;

    /// <summary>
    /// The address people reach Junction at (<c>https://junction.example.com</c>), used in the links sent by email and
    /// printed by <c>serve</c>. Without it, the first address the server listens on is used.
    /// </summary>
    public string? PublicUrl { get; set; }
}
