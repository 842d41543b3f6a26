using Microsoft.Data.Sqlite;

namespace Junction.Ingest.Volume;

/// <summary>One stored row: counts of one source, type and name in one time bucket.</summary>
internal sealed record VolumeRow(string SourceId, string EventType, string EventName, DateTimeOffset Bucket, long Accepted, long Rejected, long Duplicates);

/// <summary>
/// Event volume in SQLite (<c>volume.db</c> in the data directory): per-minute rows kept for
/// <see cref="MinuteRetention"/> and per-hour rows kept for <see cref="HourRetention"/>, both added to with upserts.
/// </summary>
internal sealed class VolumeStore
{
    public static readonly TimeSpan MinuteRetention = TimeSpan.FromDays(8);
    public static readonly TimeSpan HourRetention = TimeSpan.FromDays(400);
    private static readonly (string Table, long BucketSeconds)[] Tables = [("volume_minute", 60), ("volume_hour", 3600)];
    private readonly string _connectionString;

    public VolumeStore(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS volume_minute (
                source_id TEXT NOT NULL, event_type TEXT NOT NULL, event_name TEXT NOT NULL, bucket INTEGER NOT NULL,
                accepted INTEGER NOT NULL, rejected INTEGER NOT NULL, duplicates INTEGER NOT NULL,
                PRIMARY KEY (source_id, bucket, event_type, event_name)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS volume_hour (
                source_id TEXT NOT NULL, event_type TEXT NOT NULL, event_name TEXT NOT NULL, bucket INTEGER NOT NULL,
                accepted INTEGER NOT NULL, rejected INTEGER NOT NULL, duplicates INTEGER NOT NULL,
                PRIMARY KEY (source_id, bucket, event_type, event_name)) WITHOUT ROWID;
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>Adds counts (bucketed by minute) to both tables in one transaction.</summary>
    public async Task AddAsync(IReadOnlyList<KeyValuePair<VolumeKey, VolumeCounts>> counts, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (table, bucketSeconds) in Tables)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"""
                INSERT INTO {table} (source_id, event_type, event_name, bucket, accepted, rejected, duplicates)
                VALUES ($source, $type, $name, $bucket, $accepted, $rejected, $duplicates)
                ON CONFLICT (source_id, bucket, event_type, event_name) DO UPDATE SET
                    accepted = accepted + excluded.accepted,
                    rejected = rejected + excluded.rejected,
                    duplicates = duplicates + excluded.duplicates
                """;
            var source = command.Parameters.Add("$source", SqliteType.Text);
            var type = command.Parameters.Add("$type", SqliteType.Text);
            var name = command.Parameters.Add("$name", SqliteType.Text);
            var bucket = command.Parameters.Add("$bucket", SqliteType.Integer);
            var accepted = command.Parameters.Add("$accepted", SqliteType.Integer);
            var rejected = command.Parameters.Add("$rejected", SqliteType.Integer);
            var duplicates = command.Parameters.Add("$duplicates", SqliteType.Integer);
            foreach (var (key, value) in counts)
            {
                source.Value = key.SourceId;
                type.Value = key.EventType;
                name.Value = key.EventName;
                bucket.Value = key.Minute * 60 / bucketSeconds * bucketSeconds;
                accepted.Value = value.Accepted;
                rejected.Value = value.Rejected;
                duplicates.Value = value.Duplicates;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Rows in [start, end) of the given sources, from the minute table when <paramref name="byMinute"/>, else the hour table.</summary>
    public async Task<List<VolumeRow>> QueryAsync(
        IReadOnlyCollection<string> sourceIds, DateTimeOffset start, DateTimeOffset end, bool byMinute, CancellationToken cancellationToken)
    {
        var rows = new List<VolumeRow>();
        if (sourceIds.Count == 0)
        {
            return rows;
        }

        await using var connection = Open();
        await using var command = connection.CreateCommand();
        var names = sourceIds.Select((_, i) => "$s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        command.CommandText = $"""
            SELECT source_id, event_type, event_name, bucket, accepted, rejected, duplicates
            FROM {(byMinute ? "volume_minute" : "volume_hour")}
            WHERE source_id IN ({string.Join(',', names)}) AND bucket >= $start AND bucket < $end
            """;
        var i = 0;
        foreach (var id in sourceIds)
        {
            command.Parameters.AddWithValue(names[i++], id);
        }

        command.Parameters.AddWithValue("$start", start.ToUnixTimeSeconds());
        command.Parameters.AddWithValue("$end", end.ToUnixTimeSeconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new VolumeRow(
                reader.GetString(0), reader.GetString(1), reader.GetString(2),
                DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(3)),
                reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)));
        }

        return rows;
    }

    /// <summary>Deletes rows past their retention.</summary>
    public async Task PruneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM volume_minute WHERE bucket < $minute; DELETE FROM volume_hour WHERE bucket < $hour;";
        command.Parameters.AddWithValue("$minute", (now - MinuteRetention).ToUnixTimeSeconds());
        command.Parameters.AddWithValue("$hour", (now - HourRetention).ToUnixTimeSeconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
