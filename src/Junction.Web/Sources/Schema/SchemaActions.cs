using Junction.Protocols.Observation;
using Junction.Web.Shared;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Junction.Workspace.Sources;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Web.Sources.Schema;

/// <summary>
/// The schema view's changes as the page makes them: the rule of the schema routes (Source Admin on the source, checked
/// with the source as it is now, since the inventory takes no principal), the change through
/// <see cref="SchemaInventory"/>, and the same audit entries the routes record. Reads check Source Read-only first.
/// </summary>
internal static class SchemaActions
{
    /// <summary>Not found, forbidden, or null when <paramref name="principal"/> has <paramref name="needed"/> access to the source now.</summary>
    public static Problem? Check(Principal principal, AccessLevel needed, ISourceLookup sources, string sourceId) =>
        SourceAccess.Check(principal, needed, sources.FindById(sourceId), needed == AccessLevel.Write ? "Changing the schema of" : "Reading the schema of");

    /// <summary>Blocks or allows, archives or restores an event (null leaves a flag as it is).</summary>
    public static async Task<Problem?> SetEventAsync(
        Scoped scoped, Principal principal, string sourceId, string type, string name, bool? blocked, bool? archived)
    {
        return await scoped.RunAsync<IServiceProvider, Problem?>(async services =>
        {
            var sources = services.GetRequiredService<ISourceLookup>();
            if (Check(principal, AccessLevel.Write, sources, sourceId) is { } denied)
            {
                return denied;
            }

            var inventory = services.GetRequiredService<SchemaInventory>();
            if (!await inventory.TrySetEventFlagsAsync(sourceId, type, name, blocked, archived, CancellationToken.None))
            {
                return Problem.NotFound("Event in the source's schema");
            }

            var source = sources.FindById(sourceId)!;
            var audit = services.GetRequiredService<AuditTrail>();
            var actor = Actor.Of(principal);
            if (blocked is { } b)
            {
                audit.Record(source.WorkspaceId, actor, b ? "Schema Event Blocked" : "Schema Event Allowed", AuditResourceTypes.Source, source.Id,
                    source.Name ?? source.Slug, after: new { type, name, blocked = b });
            }

            if (archived is { } a)
            {
                audit.Record(source.WorkspaceId, actor, a ? "Schema Event Archived" : "Schema Event Unarchived", AuditResourceTypes.Source, source.Id,
                    source.Name ?? source.Slug, after: new { type, name, archived = a });
            }

            await services.GetRequiredService<JunctionDbContext>().SaveChangesAsync();
            return null;
        });
    }

    /// <summary>Blocks or allows one property path of an event.</summary>
    public static async Task<Problem?> SetPropertyAsync(
        Scoped scoped, Principal principal, string sourceId, string type, string name, string path, bool blocked)
    {
        return await scoped.RunAsync<IServiceProvider, Problem?>(async services =>
        {
            var sources = services.GetRequiredService<ISourceLookup>();
            if (Check(principal, AccessLevel.Write, sources, sourceId) is { } denied)
            {
                return denied;
            }

            if (!await services.GetRequiredService<SchemaInventory>().TrySetPropertyBlockedAsync(sourceId, type, name, path, blocked, CancellationToken.None))
            {
                return Problem.NotFound("Property in the source's schema");
            }

            var source = sources.FindById(sourceId)!;
            services.GetRequiredService<AuditTrail>().Record(source.WorkspaceId, Actor.Of(principal), blocked ? "Schema Property Blocked" : "Schema Property Allowed",
                AuditResourceTypes.Source, source.Id, source.Name ?? source.Slug, after: new { type, name, path, blocked });
            await services.GetRequiredService<JunctionDbContext>().SaveChangesAsync();
            return null;
        });
    }
}
