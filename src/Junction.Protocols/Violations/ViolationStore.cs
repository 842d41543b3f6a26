using Junction.Workspace.Data;
using Microsoft.Data.Sqlite;

namespace Junction.Protocols.Violations;

/// <summary>Violations of one key over a window: how many, when the last one happened and its description.</summary>
internal sealed record ViolationSummary(string Type, string Name, string ViolationType, string Field, long Count, DateTimeOffset LastSeen, string Description);

/// <summary>
/// Violations in SQLite (<c>protocols.db</c> in the data directory, shared with the schema view): counts per source,
/// event, violation type, field and hour (with the newest description), and the newest sample events per source,
/// event, violation type and field. Written only by <see cref="Processing.ProtocolsFlusher"/>; kept
/// <see cref="Retention"/>.
/// </summary>
internal sealed class ViolationStore
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(31);

    /// <summary>Sample events longer than this are cut (an event is at most 32 KB when it arrives; transformations may grow it).</summary>
    public const int MaxSampleChars = 64 * 1024;

    private readonly RecordsDatabase _database;

    public ViolationStore(string path)
    {
        _database = new RecordsDatabase(path, """
            CREATE TABLE IF NOT EXISTS violation_hours (
                source_id TEXT NOT NULL, type TEXT NOT NULL, name TEXT NOT NULL, violation_type TEXT NOT NULL, field TEXT NOT NULL,
                hour INTEGER NOT NULL, count INTEGER NOT NULL, last_seen INTEGER NOT NULL, description TEXT NOT NULL,
                PRIMARY KEY (source_id, hour, type, name, violation_type, field)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS violation_samples (
                id INTEGER PRIMARY KEY,
                source_id TEXT NOT NULL, type TEXT NOT NULL, name TEXT NOT NULL, violation_type TEXT NOT NULL, field TEXT NOT NULL,
                at INTEGER NOT NULL, description TEXT NOT NULL, message_id TEXT, event TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS violation_samples_key ON violation_samples (source_id, type, name, violation_type, field, id);
            """);
    }

    /// <summary>Adds a drained batch in one transaction, keeping the newest <paramref name="keepSamples"/> samples per key.</summary>
    public async Task WriteAsync(ViolationBatch batch, int keepSamples, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var count = connection.CreateCommand())
        {
            count.Transaction = transaction;
            count.CommandText = """
                INSERT INTO violation_hours (source_id, type, name, violation_type, field, hour, count, last_seen, description)
                VALUES ($source, $type, $name, $vtype, $field, $hour, $count, $last, $description)
                ON CONFLICT (source_id, hour, type, name, violation_type, field) DO UPDATE SET
                    count = count + excluded.count,
                    description = CASE WHEN excluded.last_seen >= last_seen THEN excluded.description ELSE description END,
                    last_seen = max(last_seen, excluded.last_seen)
                """;
            var p = Parameters(count, "$source", "$type", "$name", "$vtype", "$field", "$hour", "$count", "$last", "$description");
            foreach (var row in batch.Counts)
            {
                SetKey(p, row.Key);
                p[5].Value = row.Hour;
                p[6].Value = row.Count;
                p[7].Value = row.LastSeen.ToUnixTimeMilliseconds();
                p[8].Value = row.Description;
                await count.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        if (batch.Samples.Count > 0)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO violation_samples (source_id, type, name, violation_type, field, at, description, message_id, event)
                VALUES ($source, $type, $name, $vtype, $field, $at, $description, $message, $event)
                """;
            var p = Parameters(insert, "$source", "$type", "$name", "$vtype", "$field", "$at", "$description", "$message", "$event");
            foreach (var sample in batch.Samples.OrderBy(s => s.At))
            {
                SetKey(p, sample.Key);
                p[5].Value = sample.At.ToUnixTimeMilliseconds();
                p[6].Value = sample.Description;
                p[7].Value = (object?)sample.MessageId ?? DBNull.Value;
                p[8].Value = sample.Event.Length > MaxSampleChars ? sample.Event[..MaxSampleChars] : sample.Event;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var trim = connection.CreateCommand();
            trim.Transaction = transaction;
            trim.CommandText = """
                DELETE FROM violation_samples
                WHERE source_id = $source AND type = $type AND name = $name AND violation_type = $vtype AND field = $field
                  AND id NOT IN (
                    SELECT id FROM violation_samples
                    WHERE source_id = $source AND type = $type AND name = $name AND violation_type = $vtype AND field = $field
                    ORDER BY id DESC LIMIT $keep)
                """;
            var t = Parameters(trim, "$source", "$type", "$name", "$vtype", "$field", "$keep");
            foreach (var key in batch.Samples.Select(s => s.Key).Distinct())
            {
                SetKey(t, key);
                t[5].Value = keepSamples;
                await trim.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Deletes counts and samples older than <see cref="Retention"/>.</summary>
    public async Task PruneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM violation_hours WHERE hour < $hour;
            DELETE FROM violation_samples WHERE at < $at;
            """;
        var before = now - Retention;
        command.Parameters.AddWithValue("$hour", before.ToUnixTimeSeconds() / 3600);
        command.Parameters.AddWithValue("$at", before.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Violations of a source from the hour of <paramref name="since"/> on, per event, type and field, most recent first.</summary>
    public async Task<IReadOnlyList<ViolationSummary>> SummaryAsync(string sourceId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT type, name, violation_type, field, SUM(count), MAX(last_seen),
                   (SELECT h2.description FROM violation_hours h2
                    WHERE h2.source_id = h.source_id AND h2.type = h.type AND h2.name = h.name
                      AND h2.violation_type = h.violation_type AND h2.field = h.field AND h2.hour >= $hour
                    ORDER BY h2.last_seen DESC LIMIT 1)
            FROM violation_hours h
            WHERE source_id = $source AND hour >= $hour
            GROUP BY type, name, violation_type, field
            ORDER BY MAX(last_seen) DESC
            """;
        command.Parameters.AddWithValue("$source", sourceId);
        command.Parameters.AddWithValue("$hour", since.ToUnixTimeSeconds() / 3600);
        var rows = new List<ViolationSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ViolationSummary(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), reader.GetString(6)));
        }

        return rows;
    }

    /// <summary>The newest samples of a source, optionally of one event type and name, newest first.</summary>
    public async Task<IReadOnlyList<ViolationSample>> SamplesAsync(string sourceId, string? type, string? name, int limit, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT type, name, violation_type, field, at, description, message_id, event FROM violation_samples
            WHERE source_id = $source AND ($type IS NULL OR type = $type) AND ($name IS NULL OR name = $name)
            ORDER BY id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$source", sourceId);
        command.Parameters.AddWithValue("$type", (object?)type ?? DBNull.Value);
        command.Parameters.AddWithValue("$name", (object?)name ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        var samples = new List<ViolationSample>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            samples.Add(new ViolationSample(
                new ViolationKey(sourceId, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                reader.GetString(5),
                await reader.IsDBNullAsync(6, cancellationToken) ? null : reader.GetString(6),
                reader.GetString(7)));
        }

        return samples;
    }

    private static SqliteParameter[] Parameters(SqliteCommand command, params string[] names) =>
        names.Select(name => command.Parameters.Add(new SqliteParameter(name, DBNull.Value))).ToArray();

    private static void SetKey(SqliteParameter[] p, ViolationKey key)
    {
        p[0].Value = key.SourceId;
        p[1].Value = key.Type;
        p[2].Value = key.Name;
        p[3].Value = key.ViolationType;
        p[4].Value = key.Field;
    }

    private SqliteConnection Open() => _database.Open();
}
