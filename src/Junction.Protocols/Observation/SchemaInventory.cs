using Junction.Protocols.Processing;

namespace Junction.Protocols.Observation;

/// <summary>
/// The schema view over <see cref="SchemaStore"/>: reads flush what the processor counted a moment ago first, and
/// every change of a block reloads the processor's in-memory <see cref="SchemaFlags"/> at once. Flags can be set only
/// on events and property paths that have been seen (the <c>Try</c> methods say whether they were).
/// </summary>
internal sealed class SchemaInventory(SchemaStore store, SchemaFlags flags, ProtocolsFlusher flusher, TimeProvider time) : ISchemaInventory
{
    public async Task<IReadOnlyList<ObservedEvent>> ListAsync(string sourceId, CancellationToken cancellationToken)
    {
        await flusher.FlushAsync(cancellationToken);
        return await store.ListAsync(sourceId, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>Blocked events of a source per reason over the last 30 days.</summary>
    public async Task<IReadOnlyDictionary<string, long>> BlockedByReasonAsync(string sourceId, CancellationToken cancellationToken)
    {
        await flusher.FlushAsync(cancellationToken);
        return await store.BlockedByReasonAsync(sourceId, time.GetUtcNow() - TimeSpan.FromDays(30), cancellationToken);
    }

    public Task SetEventBlockedAsync(string sourceId, string type, string name, bool blocked, CancellationToken cancellationToken) =>
        TrySetEventFlagsAsync(sourceId, type, name, blocked, null, cancellationToken);

    public Task SetEventArchivedAsync(string sourceId, string type, string name, bool archived, CancellationToken cancellationToken) =>
        TrySetEventFlagsAsync(sourceId, type, name, null, archived, cancellationToken);

    public Task SetPropertyBlockedAsync(string sourceId, string type, string name, string path, bool blocked, CancellationToken cancellationToken) =>
        TrySetPropertyBlockedAsync(sourceId, type, name, path, blocked, cancellationToken);

    /// <summary>Sets an event's flags (null leaves one as it is); false when the source has not sent that event.</summary>
    public async Task<bool> TrySetEventFlagsAsync(string sourceId, string type, string name, bool? blocked, bool? archived, CancellationToken cancellationToken)
    {
        await flusher.FlushAsync(cancellationToken);
        var found = await store.SetEventFlagsAsync(sourceId, type, name, blocked, archived, cancellationToken);
        if (found && blocked is not null)
        {
            flags.Reload();
        }

        return found;
    }

    /// <summary>Blocks or allows a property path; false when the event has no such path.</summary>
    public async Task<bool> TrySetPropertyBlockedAsync(string sourceId, string type, string name, string path, bool blocked, CancellationToken cancellationToken)
    {
        await flusher.FlushAsync(cancellationToken);
        var found = await store.SetPropertyBlockedAsync(sourceId, type, name, path, blocked, cancellationToken);
        if (found)
        {
            flags.Reload();
        }

        return found;
    }
}
