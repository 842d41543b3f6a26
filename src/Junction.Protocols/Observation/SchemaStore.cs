using Junction.Workspace.Data;
using Microsoft.Data.Sqlite;

namespace Junction.Protocols.Observation;

/// <summary>The blocked events and properties of every source, as the processor reads them.</summary>
internal sealed record SchemaFlagRows(IReadOnlyList<(string SourceId, string Type, string Name)> BlockedEvents, IReadOnlyList<(string SourceId, string Type, string Name, string Path)> BlockedProperties);

/// <summary>
/// The schema view's store, in SQLite (<c>protocols.db</c> in the data directory, WAL, shared with the violations):
/// one row per event of a source (first and last seen, blocked and archived flags), its counts per UTC day (every event
/// as it arrived, and those blocked), one row per property path (types seen as bits, first and last seen, blocked flag,
/// how many times the processor removed it), and blocked events per source, reason and hour. Written only by
/// <see cref="Processing.ProtocolsFlusher"/> and the flag changes; times are Unix milliseconds, days Unix days, hours Unix hours.
/// </summary>
internal sealed partial class SchemaStore
{
    /// <summary>Day rows and blocked hours are kept this long (the schema view's longest window is 30 days).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(35);
    private readonly RecordsDatabase _database;

    public SchemaStore(string path)
    {
        _database = new RecordsDatabase(path, """
            CREATE TABLE IF NOT EXISTS schema_events (
                source_id TEXT NOT NULL, type TEXT NOT NULL, name TEXT NOT NULL,
                first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
                blocked INTEGER NOT NULL DEFAULT 0, archived INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (source_id, type, name)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS schema_event_days (
                source_id TEXT NOT NULL, type TEXT NOT NULL, name TEXT NOT NULL, day INTEGER NOT NULL,
                total INTEGER NOT NULL, blocked INTEGER NOT NULL,
                PRIMARY KEY (source_id, type, name, day)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS schema_properties (
                source_id TEXT NOT NULL, type TEXT NOT NULL, name TEXT NOT NULL, path TEXT NOT NULL,
                types INTEGER NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
                blocked INTEGER NOT NULL DEFAULT 0, removed INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (source_id, type, name, path)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS blocked_hours (
                source_id TEXT NOT NULL, reason TEXT NOT NULL, hour INTEGER NOT NULL, count INTEGER NOT NULL,
                PRIMARY KEY (source_id, hour, reason)) WITHOUT ROWID;
            """);
    }

    /// <summary>
    /// Adds a drained batch in one transaction. An event new to a source that already has
    /// <paramref name="maxEventsPerSource"/> events, and a path new to an event that already has
    /// <paramref name="maxPathsPerEvent"/> paths, are left out (Segment's limits: data still flows, it is not shown).
    /// </summary>
    public async Task WriteAsync(ObservationBatch batch, int maxEventsPerSource, int maxPathsPerEvent, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var writer = new BatchWriter(connection, transaction);
        var eventsPerSource = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var observation in batch.Events)
        {
            if (!await writer.TouchEventAsync(observation, eventsPerSource, maxEventsPerSource, cancellationToken))
            {
                continue;
            }

            foreach (var day in observation.Days)
            {
                await writer.AddDayAsync(observation, day, cancellationToken);
            }

            long? paths = null;
            foreach (var path in observation.Paths)
            {
                if (await writer.TouchPathAsync(observation, path, cancellationToken))
                {
                    continue;
                }

                paths ??= await writer.CountPathsAsync(observation, cancellationToken);
                if (paths < maxPathsPerEvent)
                {
                    await writer.InsertPathAsync(observation, path, cancellationToken);
                    paths++;
                }
            }

            foreach (var (path, count) in observation.Removed)
            {
                await writer.AddRemovedAsync(observation, path, count, cancellationToken);
            }
        }

        foreach (var blocked in batch.Blocked)
        {
            await writer.AddBlockedAsync(blocked, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Deletes day rows and blocked hours older than <see cref="Retention"/>.</summary>
    public async Task PruneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM schema_event_days WHERE day < $day;
            DELETE FROM blocked_hours WHERE hour < $hour;
            """;
        var before = now - Retention;
        command.Parameters.AddWithValue("$day", before.ToUnixTimeSeconds() / 86400);
        command.Parameters.AddWithValue("$hour", before.ToUnixTimeSeconds() / 3600);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private SqliteConnection Open() => _database.Open();

    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>The prepared statements of one batch write.</summary>
    private sealed class BatchWriter : IAsyncDisposable
    {
        private readonly SqliteCommand _touchEvent;
        private readonly SqliteCommand _countEvents;
        private readonly SqliteCommand _insertEvent;
        private readonly SqliteCommand _addDay;
        private readonly SqliteCommand _touchPath;
        private readonly SqliteCommand _countPaths;
        private readonly SqliteCommand _insertPath;
        private readonly SqliteCommand _addRemoved;
        private readonly SqliteCommand _addBlocked;

        public BatchWriter(SqliteConnection connection, SqliteTransaction transaction)
        {
            _touchEvent = Command(connection, transaction, """
                UPDATE schema_events SET first_seen = min(first_seen, COALESCE($first, first_seen)), last_seen = max(last_seen, COALESCE($last, last_seen))
                WHERE source_id = $source AND type = $type AND name = $name
                """, "$source", "$type", "$name", "$first", "$last");
            _countEvents = Command(connection, transaction, "SELECT COUNT(*) FROM schema_events WHERE source_id = $source", "$source");
            _insertEvent = Command(connection, transaction, """
                INSERT INTO schema_events (source_id, type, name, first_seen, last_seen) VALUES ($source, $type, $name, $first, $last)
                """, "$source", "$type", "$name", "$first", "$last");
            _addDay = Command(connection, transaction, """
                INSERT INTO schema_event_days (source_id, type, name, day, total, blocked) VALUES ($source, $type, $name, $day, $total, $blocked)
                ON CONFLICT (source_id, type, name, day) DO UPDATE SET total = total + excluded.total, blocked = blocked + excluded.blocked
                """, "$source", "$type", "$name", "$day", "$total", "$blocked");
            _touchPath = Command(connection, transaction, """
                UPDATE schema_properties SET types = types | $types, first_seen = min(first_seen, $first), last_seen = max(last_seen, $last)
                WHERE source_id = $source AND type = $type AND name = $name AND path = $path
                """, "$source", "$type", "$name", "$path", "$types", "$first", "$last");
            _countPaths = Command(connection, transaction, """
                SELECT COUNT(*) FROM schema_properties WHERE source_id = $source AND type = $type AND name = $name
                """, "$source", "$type", "$name");
            _insertPath = Command(connection, transaction, """
                INSERT INTO schema_properties (source_id, type, name, path, types, first_seen, last_seen)
                VALUES ($source, $type, $name, $path, $types, $first, $last)
                """, "$source", "$type", "$name", "$path", "$types", "$first", "$last");
            _addRemoved = Command(connection, transaction, """
                UPDATE schema_properties SET removed = removed + $count
                WHERE source_id = $source AND type = $type AND name = $name AND path = $path
                """, "$source", "$type", "$name", "$path", "$count");
            _addBlocked = Command(connection, transaction, """
                INSERT INTO blocked_hours (source_id, reason, hour, count) VALUES ($source, $reason, $hour, $count)
                ON CONFLICT (source_id, hour, reason) DO UPDATE SET count = count + excluded.count
                """, "$source", "$reason", "$hour", "$count");
        }

        /// <summary>Updates the event's first and last seen, adding it when new and under the limit; false when it is not stored.</summary>
        public async Task<bool> TouchEventAsync(EventObservation o, Dictionary<string, long> eventsPerSource, int max, CancellationToken cancellationToken)
        {
            // Arrivals and observations of one event can fall on either side of a drain: an observation may hold only
            // blocked counts (dated by their day), only sampled paths (dated by them), or only removals (no date).
            DateTimeOffset? first = o.FirstSeen
                ?? (o.Days.Count > 0 ? DateTimeOffset.FromUnixTimeSeconds(o.Days.Min(d => d.Day) * 86400) : (DateTimeOffset?)null)
                ?? (o.Paths.Count > 0 ? o.Paths.Min(p => p.FirstSeen) : (DateTimeOffset?)null);
            var last = o.LastSeen ?? (o.Paths.Count > 0 ? o.Paths.Max(p => p.LastSeen) : first);
            object firstValue = first is { } f ? Ms(f) : DBNull.Value;
            object lastValue = last is { } l ? Ms(l) : DBNull.Value;
            if (await RunAsync(_touchEvent, cancellationToken, o.SourceId, o.Type, o.Name, firstValue, lastValue) > 0)
            {
                return true;
            }

            if (first is null)
            {
                return false;
            }

            if (!eventsPerSource.TryGetValue(o.SourceId, out var count))
            {
                _countEvents.Parameters[0].Value = o.SourceId;
                count = (long)(await _countEvents.ExecuteScalarAsync(cancellationToken))!;
            }

            if (count >= max)
            {
                eventsPerSource[o.SourceId] = count;
                return false;
            }

            await RunAsync(_insertEvent, cancellationToken, o.SourceId, o.Type, o.Name, firstValue, lastValue);
            eventsPerSource[o.SourceId] = count + 1;
            return true;
        }

        public Task AddDayAsync(EventObservation o, DayCount day, CancellationToken cancellationToken) =>
            RunAsync(_addDay, cancellationToken, o.SourceId, o.Type, o.Name, day.Day, day.Total, day.Blocked);

        /// <summary>Updates a known path; false when the event has no such path yet.</summary>
        public async Task<bool> TouchPathAsync(EventObservation o, PathObservation path, CancellationToken cancellationToken) =>
            await RunAsync(_touchPath, cancellationToken, o.SourceId, o.Type, o.Name, path.Path, (long)path.Types, Ms(path.FirstSeen), Ms(path.LastSeen)) > 0;

        public async Task<long> CountPathsAsync(EventObservation o, CancellationToken cancellationToken)
        {
            _countPaths.Parameters[0].Value = o.SourceId;
            _countPaths.Parameters[1].Value = o.Type;
            _countPaths.Parameters[2].Value = o.Name;
            return (long)(await _countPaths.ExecuteScalarAsync(cancellationToken))!;
        }

        public Task InsertPathAsync(EventObservation o, PathObservation path, CancellationToken cancellationToken) =>
            RunAsync(_insertPath, cancellationToken, o.SourceId, o.Type, o.Name, path.Path, (long)path.Types, Ms(path.FirstSeen), Ms(path.LastSeen));

        public Task AddRemovedAsync(EventObservation o, string path, long count, CancellationToken cancellationToken) =>
            RunAsync(_addRemoved, cancellationToken, o.SourceId, o.Type, o.Name, path, count);

        public Task AddBlockedAsync(BlockedCount blocked, CancellationToken cancellationToken) =>
            RunAsync(_addBlocked, cancellationToken, blocked.SourceId, blocked.Reason, blocked.Hour, blocked.Count);

        public async ValueTask DisposeAsync()
        {
            foreach (var command in (SqliteCommand[])[_touchEvent, _countEvents, _insertEvent, _addDay, _touchPath, _countPaths, _insertPath, _addRemoved, _addBlocked])
            {
                await command.DisposeAsync();
            }
        }

        private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
            }

            return command;
        }

        private static Task<int> RunAsync(SqliteCommand command, CancellationToken cancellationToken, params object[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i];
            }

            return command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
