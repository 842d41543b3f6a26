using System.Globalization;
using System.Text.Json;
using Junction.Workspace.Data;
using Microsoft.Data.Sqlite;

namespace Junction.Warehouses.Syncing;

/// <summary>
/// The sync history in SQLite (<c>warehouse-syncs.db</c> in the data directory, WAL): one row per sync of one source
/// into one warehouse, written when the sync starts (status Running) and again when it ends. Syncs that were running
/// when Junction stopped are marked failed when it starts again (their work is retried by the next sync). Rows older
/// than the retention are deleted. Times are Unix milliseconds.
/// </summary>
internal sealed class SyncHistory
{
    private readonly RecordsDatabase _database;

    public SyncHistory(string path)
    {
        _database = new RecordsDatabase(path, """
            CREATE TABLE IF NOT EXISTS syncs (
                id TEXT PRIMARY KEY, warehouse_id TEXT NOT NULL, source_id TEXT NOT NULL, trigger TEXT NOT NULL,
                start INTEGER NOT NULL, end INTEGER, status INTEGER NOT NULL, rows INTEGER NOT NULL,
                rows_by_table TEXT NOT NULL, notices TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS syncs_warehouse ON syncs (warehouse_id, start);
            CREATE INDEX IF NOT EXISTS syncs_source ON syncs (warehouse_id, source_id, start);
            """);
    }

    /// <summary>Marks syncs left running by a stopped process as failed, with a notice saying so.</summary>
    public void FailInterrupted(DateTimeOffset now)
    {
        var notices = JsonSerializer.Serialize(new[] { new NoticeRow("ERROR", "Junction stopped during this sync; what it had not committed is loaded by the next sync.", now.ToUnixTimeMilliseconds()) });
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE syncs SET status = $failed, end = $now, notices = $notices WHERE status = $running";
        command.Parameters.AddWithValue("$failed", (int)SyncStatus.Failure);
        command.Parameters.AddWithValue("$running", (int)SyncStatus.Running);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$notices", notices);
        command.ExecuteNonQuery();
    }

    /// <summary>Inserts or replaces a sync's row.</summary>
    public void Save(SyncRecord sync)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR REPLACE INTO syncs (id, warehouse_id, source_id, trigger, start, end, status, rows, rows_by_table, notices)
            VALUES ($id, $warehouse, $source, $trigger, $start, $end, $status, $rows, $tables, $notices)
            """;
        command.Parameters.AddWithValue("$id", sync.Id);
        command.Parameters.AddWithValue("$warehouse", sync.WarehouseId);
        command.Parameters.AddWithValue("$source", sync.SourceId);
        command.Parameters.AddWithValue("$trigger", sync.Trigger);
        command.Parameters.AddWithValue("$start", sync.Start.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$end", sync.End is { } end ? end.ToUnixTimeMilliseconds() : DBNull.Value);
        command.Parameters.AddWithValue("$status", (int)sync.Status);
        command.Parameters.AddWithValue("$rows", sync.Rows);
        command.Parameters.AddWithValue("$tables", JsonSerializer.Serialize(sync.RowsByTable));
        command.Parameters.AddWithValue("$notices", JsonSerializer.Serialize(sync.Notices.Select(n => new NoticeRow(n.Level, n.Message, n.CreatedAt.ToUnixTimeMilliseconds()))));
        command.ExecuteNonQuery();
    }

    /// <summary>Syncs of a warehouse (optionally one source), newest first.</summary>
    public IReadOnlyList<SyncRecord> List(string warehouseId, string? sourceId, int offset, int count)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT id, warehouse_id, source_id, trigger, start, end, status, rows, rows_by_table, notices FROM syncs
            WHERE warehouse_id = $warehouse {(sourceId is null ? "" : "AND source_id = $source")}
            ORDER BY start DESC, id DESC LIMIT $count OFFSET $offset
            """;
        command.Parameters.AddWithValue("$warehouse", warehouseId);
        if (sourceId is not null)
        {
            command.Parameters.AddWithValue("$source", sourceId);
        }

        command.Parameters.AddWithValue("$count", count);
        command.Parameters.AddWithValue("$offset", offset);
        using var reader = command.ExecuteReader();
        var syncs = new List<SyncRecord>();
        while (reader.Read())
        {
            var notices = JsonSerializer.Deserialize<NoticeRow[]>(reader.GetString(9)) ?? [];
            syncs.Add(new SyncRecord(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                (SyncStatus)reader.GetInt32(6),
                reader.GetInt64(7),
                JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(8)) ?? [],
                [.. notices.Select(n => new SyncNotice(n.Level, n.Message, DateTimeOffset.FromUnixTimeMilliseconds(n.At)))]));
        }

        return syncs;
    }

    /// <summary>How many syncs <see cref="List"/> can return.</summary>
    public int Count(string warehouseId, string? sourceId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM syncs WHERE warehouse_id = $warehouse {(sourceId is null ? "" : "AND source_id = $source")}";
        command.Parameters.AddWithValue("$warehouse", warehouseId);
        if (sourceId is not null)
        {
            command.Parameters.AddWithValue("$source", sourceId);
        }

        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Deletes the history of syncs that started before <paramref name="before"/>, and of warehouses that no longer exist.</summary>
    public void DeleteOld(DateTimeOffset before, IReadOnlyCollection<string> warehouseIds)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        var ids = string.Join(",", warehouseIds.Select((_, i) => "$w" + i.ToString(CultureInfo.InvariantCulture)));
        command.CommandText = $"DELETE FROM syncs WHERE start < $before OR warehouse_id NOT IN ({ids})";
        command.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
        var n = 0;
        foreach (var id in warehouseIds)
        {
            command.Parameters.AddWithValue("$w" + n++.ToString(CultureInfo.InvariantCulture), id);
        }

        command.ExecuteNonQuery();
    }

    private SqliteConnection Open() => _database.Open();

    private sealed record NoticeRow(string Level, string Message, long At);
}
