using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Junction.EventLog;

/// <summary>
/// Event logs kept one per key, each opened on first use with the options its key gives: the destinations' delivery
/// queues (one per destination) and the warehouses' staging (one per warehouse and source). Closing a key's log
/// forgets it; the owner decides what happens to its files.
/// </summary>
internal sealed class KeyedLogs<TKey>(Func<TKey, FileEventLogOptions> options, TimeProvider time, ILogger logger) : IAsyncDisposable
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Lazy<FileEventLog>> _logs = new();
    private int _disposed;

    /// <summary>Whether the logs have been disposed (the process is stopping).</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>The log of a key, opened on first use.</summary>
    public IEventLog Open(TKey key)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return _logs.GetOrAdd(key, k => new Lazy<FileEventLog>(() => FileEventLog.Open(options(k), time, logger))).Value;
    }

    /// <summary>Closes and forgets the open logs whose keys match.</summary>
    public async ValueTask CloseAsync(Func<TKey, bool> which)
    {
        foreach (var key in _logs.Keys.Where(which).ToList())
        {
            if (_logs.TryRemove(key, out var log) && log.IsValueCreated)
            {
                await log.Value.DisposeAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var log in _logs.Values)
        {
            if (log.IsValueCreated)
            {
                await log.Value.DisposeAsync();
            }
        }

        _logs.Clear();
    }
}
