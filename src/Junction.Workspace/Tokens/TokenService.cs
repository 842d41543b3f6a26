using Junction.Workspace.Access;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Junction.Workspace.PublicApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Junction.Workspace.Tokens;

/// <summary>A Public API token as owners see it: never its secret.</summary>
internal sealed record TokenView(
    string Id,
    string Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    string? CreatedByUserId,
    IReadOnlyList<PermissionView> Permissions);

/// <summary>A token just created, with its secret: the only time the secret is ever available.</summary>
internal sealed record CreatedToken(TokenView Token, string Secret);

/// <summary>
/// Public API tokens, for Workspace Owners (Segment has no Public API routes for them; the web app calls this). A
/// token is created with a description and permissions chosen like a user's (Workspace Owner, or Workspace Member with
/// resource roles), and its access is decided exactly as a user's is. The secret is shown once and stored only as a
/// hash; it never reaches a log or the audit trail.
/// </summary>
internal sealed partial class TokenService(
    JunctionDbContext db,
    PermissionService permissions,
    AuditTrail audit,
    TimeProvider time,
    ILogger<TokenService> logger)
{
    public const int MaxDescriptionLength = 200;

    public async Task<Outcome<IReadOnlyList<TokenView>>> ListAsync(Principal caller, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Listing Public API tokens");
        }

        var tokens = await db.ApiTokens.AsNoTracking()
            .Where(t => t.WorkspaceId == caller.WorkspaceId)
            .OrderBy(t => t.CreatedAt).ThenBy(t => t.Id)
            .ToListAsync(cancellationToken);
        var granted = await permissions.ViewsAsync(caller.WorkspaceId, PrincipalKind.Token, tokens.Select(t => t.Id).ToList(), cancellationToken);
        return Success(tokens.Select(t => View(t, granted.GetValueOrDefault(t.Id) ?? [])).ToList());
    }

    /// <summary>
    /// Creates a token. Without permissions it is a Workspace Member's: it authenticates but sees only what needs no
    /// role (the catalog, the roles).
    /// </summary>
    public async Task<Outcome<CreatedToken>> CreateAsync(
        Principal caller, string description, IReadOnlyList<PermissionInput> grants, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Creating Public API tokens");
        }

        description = description.Trim();
        if (description.Length is 0 or > MaxDescriptionLength)
        {
            return Problem.Invalid($"description must be 1 to {MaxDescriptionLength} characters and not only spaces.", "description");
        }

        var inputs = grants.Count > 0
            ? grants
            : [new PermissionInput(Roles.WorkspaceMemberId, [new ResourceInput(caller.WorkspaceId, PermissionService.WorkspaceType, [])])];
        var built = await permissions.BuildAsync(caller.WorkspaceId, inputs, "permissions", cancellationToken);
        if (built.Problem is { } invalid)
        {
            return invalid;
        }

        var (token, secret) = ApiTokens.Add(db, caller.WorkspaceId, description, time, built.Value);
        token.CreatedByUserId = caller.Type == PrincipalType.User ? caller.Id : null;
        var descriptions = await Labels.LabelService.DescriptionsAsync(db, caller.WorkspaceId, cancellationToken);
        var view = View(token, PermissionService.Views(built.Value!, descriptions));
        audit.Record(caller.WorkspaceId, Actor.Of(caller), "Token Created", AuditResourceTypes.Token, token.Id, token.Description,
            after: new { description = view.Description, permissions = view.Permissions });
        await db.SaveChangesAsync(cancellationToken);
        LogCreated(logger, token.Id, caller.WorkspaceId);
        return new CreatedToken(view, secret);
    }

    /// <summary>Revokes a token: it stops working at once, and its permissions go with it.</summary>
    public async Task<Outcome<TokenView>> RevokeAsync(Principal caller, string tokenId, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Revoking Public API tokens");
        }

        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == tokenId && t.WorkspaceId == caller.WorkspaceId, cancellationToken);
        if (token is null)
        {
            return Problem.NotFound("Token");
        }

        var view = View(token, await permissions.ViewsAsync(caller.WorkspaceId, PrincipalKind.Token, token.Id, cancellationToken));
        await permissions.RemoveAllAsync(caller.WorkspaceId, PrincipalKind.Token, token.Id, cancellationToken);
        db.ApiTokens.Remove(token);
        audit.Record(caller.WorkspaceId, Actor.Of(caller), "Token Revoked", AuditResourceTypes.Token, token.Id, token.Description,
            before: new { description = view.Description, permissions = view.Permissions });
        await db.SaveChangesAsync(cancellationToken);
        LogRevoked(logger, token.Id, caller.WorkspaceId);
        return view;
    }

    private static TokenView View(ApiTokenEntity token, IReadOnlyList<PermissionView> granted) =>
        new(token.Id, token.Description, token.CreatedAt, token.LastUsedAt, token.CreatedByUserId, granted);

    private static Outcome<IReadOnlyList<TokenView>> Success(IReadOnlyList<TokenView> tokens) => new(tokens, null);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created Public API token {TokenId} in workspace {WorkspaceId}.")]
    private static partial void LogCreated(ILogger logger, string tokenId, string workspaceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoked Public API token {TokenId} in workspace {WorkspaceId}.")]
    private static partial void LogRevoked(ILogger logger, string tokenId, string workspaceId);
}
