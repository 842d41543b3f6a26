using System.Security.Cryptography;
using System.Text;
using Junction.Workspace.Access;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;

namespace Junction.Workspace.PublicApi;

/// <summary>
/// Public API tokens: <c>jct_</c> followed by 32 random bytes in base64url. Only a SHA-256 hash is stored; a slow
/// password hash is not needed because the secret itself has 256 bits of entropy.
/// </summary>
internal static class ApiTokens
{
    public const string Prefix = "jct_";

    public static string NewSecret() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>
    /// Creates a token for a workspace and answers its secret, which is shown once and never stored. Without
    /// <paramref name="permissions"/> the token is a Workspace Owner's (as the command line makes them).
    /// </summary>
    public static async Task<(ApiTokenEntity Token, string Secret)> CreateAsync(
        JunctionDbContext db,
        string workspaceId,
        string description,
        TimeProvider time,
        CancellationToken cancellationToken,
        IReadOnlyList<PermissionEntity>? permissions = null)
    {
        var created = Add(db, workspaceId, description, time, permissions);
        await db.SaveChangesAsync(cancellationToken);
        return created;
    }

    /// <summary>
    /// Adds a token and its permissions to <paramref name="db"/> without saving, so that the caller saves it together
    /// with whatever goes with it (an audit entry), and answers its secret.
    /// </summary>
    public static (ApiTokenEntity Token, string Secret) Add(
        JunctionDbContext db,
        string workspaceId,
        string description,
        TimeProvider time,
        IReadOnlyList<PermissionEntity>? permissions = null)
    {
        var secret = NewSecret();
        var token = new ApiTokenEntity
        {
            Id = Ids.New("tok"),
            WorkspaceId = workspaceId,
            Description = description,
            SecretHash = Hash(secret),
            CreatedAt = time.GetUtcNow(),
        };
        db.ApiTokens.Add(token);
        foreach (var permission in permissions ?? [OwnerPermission(workspaceId, time)])
        {
            permission.PrincipalKind = PrincipalKind.Token;
            permission.PrincipalId = token.Id;
            db.Permissions.Add(permission);
        }

        return (token, secret);
    }

    private static PermissionEntity OwnerPermission(string workspaceId, TimeProvider time)
    {
        var id = Ids.New("perm");
        return new PermissionEntity
        {
            Id = id,
            WorkspaceId = workspaceId,
            PrincipalId = "",
            RoleId = Roles.WorkspaceOwnerId,
            CreatedAt = time.GetUtcNow(),
            Resources = [new PermissionResourceEntity { PermissionId = id, Type = "WORKSPACE", ResourceId = workspaceId }],
        };
    }

    /// <summary>Finds the token a secret belongs to.</summary>
    public static Task<ApiTokenEntity?> FindAsync(JunctionDbContext db, string secret, CancellationToken cancellationToken)
    {
        var hash = Hash(secret);
        return db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.SecretHash == hash, cancellationToken);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
