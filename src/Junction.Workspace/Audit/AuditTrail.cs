using System.Text.Json;
using Junction.Workspace.Access;
using Junction.Workspace.Data;

namespace Junction.Workspace.Audit;

/// <summary>Who a change is attributed to in the audit trail.</summary>
internal sealed record Actor(ActorKind Kind, string Id, string Name)
{
    public static readonly Actor System = new(ActorKind.System, "system", "Junction");

    public static Actor Of(Principal principal) => new(
        principal.Type == PrincipalType.User ? ActorKind.User : ActorKind.Token, principal.Id, principal.DisplayName);
}

/// <summary>
/// Records changes in the audit trail. An entry is added to the same <see cref="JunctionDbContext"/> as the change, so
/// both are saved by one <c>SaveChanges</c>: there is never a change without its entry or an entry without its change.
/// Callers pass what the resource looked like before and after as plain objects that never hold a secret (write
/// keys, tokens, passwords and credentials are left out or masked by the caller).
/// </summary>
internal sealed class AuditTrail(JunctionDbContext db, TimeProvider time)
{
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(90);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Record(
        string workspaceId, Actor actor, string type, string resourceType, string resourceId, string resourceName,
        object? before = null, object? after = null)
    {
        db.AuditEvents.Add(new AuditEventEntity
        {
            Id = Ids.New("aud"),
            WorkspaceId = workspaceId,
            Timestamp = time.GetUtcNow(),
            Type = type,
            ActorKind = actor.Kind,
            ActorId = actor.Id,
            ActorName = actor.Name,
            ResourceType = resourceType,
            ResourceId = resourceId,
            ResourceName = resourceName,
            BeforeJson = before is null ? null : JsonSerializer.Serialize(before, Json),
            AfterJson = after is null ? null : JsonSerializer.Serialize(after, Json),
        });
    }
}
