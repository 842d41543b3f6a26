using Junction.Destinations.Framework;
using Junction.Workspace.Data;
using Microsoft.Data.Sqlite;

namespace Junction.Destinations.Delivery.Journal;

/// <summary>A reported step with the order it was reported in, which breaks ties between steps of the same instant.</summary>
internal readonly record struct JournalEntry(DeliveryStep Step, long Sequence);

/// <summary>
/// The delivery journal in SQLite (<c>delivery.db</c> in the data directory, WAL): trace steps, dead letters and
/// per-minute metrics. One writer (<see cref="StepWriter"/>, owned by <see cref="DeliveryJournal"/>) appends steps in
/// batches; queries and clean-up use their own pooled connections, which WAL lets read while the writer writes.
/// Times are stored as Unix milliseconds, minutes as Unix minutes.
/// </summary>
internal sealed partial class JournalStore
{
    private readonly RecordsDatabase _database;

    public JournalStore(string path)
    {
        Path = path;
        _database = new RecordsDatabase(path, """
            CREATE TABLE IF NOT EXISTS steps (
                id INTEGER PRIMARY KEY,
                destination_id TEXT NOT NULL, source_id TEXT NOT NULL, message_id TEXT NOT NULL, subscription_id TEXT,
                state INTEGER NOT NULL, at INTEGER NOT NULL, seq INTEGER NOT NULL, reason TEXT,
                attempt INTEGER NOT NULL, status INTEGER NOT NULL, response TEXT, latency_ms REAL,
                payload TEXT, payload_chars INTEGER);
            CREATE INDEX IF NOT EXISTS steps_message ON steps (message_id);
            CREATE INDEX IF NOT EXISTS steps_destination ON steps (destination_id, id);
            CREATE TABLE IF NOT EXISTS dead_letters (
                id INTEGER PRIMARY KEY,
                destination_id TEXT NOT NULL, source_id TEXT NOT NULL, subscription_id TEXT, message_id TEXT NOT NULL,
                state INTEGER NOT NULL, at INTEGER NOT NULL, reason TEXT, status INTEGER NOT NULL, response TEXT,
                record BLOB, resent_at INTEGER);
            CREATE INDEX IF NOT EXISTS dead_letters_destination ON dead_letters (destination_id, id);
            CREATE TABLE IF NOT EXISTS metrics_minute (
                destination_id TEXT NOT NULL, minute INTEGER NOT NULL,
                delivered INTEGER NOT NULL, retried INTEGER NOT NULL, aborted INTEGER NOT NULL,
                expired INTEGER NOT NULL, filtered INTEGER NOT NULL,
                PRIMARY KEY (destination_id, minute)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS metrics_reason (
                destination_id TEXT NOT NULL, minute INTEGER NOT NULL, state INTEGER NOT NULL, code TEXT NOT NULL,
                count INTEGER NOT NULL,
                PRIMARY KEY (destination_id, minute, state, code)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS metrics_latency (
                destination_id TEXT NOT NULL, minute INTEGER NOT NULL, bucket INTEGER NOT NULL, count INTEGER NOT NULL,
                PRIMARY KEY (destination_id, minute, bucket)) WITHOUT ROWID;
            """);
    }

    public string Path { get; }

    /// <summary>Opens the single connection that appends steps; only <see cref="DeliveryJournal"/>'s writer loop uses it.</summary>
    public StepWriter OpenWriter(int maxPayloadChars, int maxResponseChars)
    {
        var connection = Open();
        using var pragma = connection.CreateCommand();

        // A larger page cache keeps the indexes' hot pages in memory between batches.
        pragma.CommandText = "PRAGMA cache_size=-65536;";
        pragma.ExecuteNonQuery();
        return new StepWriter(connection, maxPayloadChars, maxResponseChars);
    }

    private SqliteConnection Open() => _database.Open();

    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>Appends steps, and the dead letters among them, with prepared statements in one transaction per batch.</summary>
    internal sealed class StepWriter : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _step;
        private readonly SqliteCommand _deadLetter;
        private readonly int _maxPayloadChars;
        private readonly int _maxResponseChars;

        public StepWriter(SqliteConnection connection, int maxPayloadChars, int maxResponseChars)
        {
            _connection = connection;
            _maxPayloadChars = maxPayloadChars;
            _maxResponseChars = maxResponseChars;
            _step = connection.CreateCommand();
            _step.CommandText = """
                INSERT INTO steps (destination_id, source_id, message_id, subscription_id, state, at, seq, reason,
                                   attempt, status, response, latency_ms, payload, payload_chars)
                VALUES ($destination, $source, $message, $subscription, $state, $at, $seq, $reason,
                        $attempt, $status, $response, $latency, $payload, $payloadChars)
                """;
            foreach (var name in (string[])["$destination", "$source", "$message", "$subscription", "$state", "$at", "$seq", "$reason", "$attempt", "$status", "$response", "$latency", "$payload", "$payloadChars"])
            {
                _step.Parameters.Add(new SqliteParameter(name, DBNull.Value));
            }

            _deadLetter = connection.CreateCommand();
            _deadLetter.CommandText = """
                INSERT INTO dead_letters (destination_id, source_id, subscription_id, message_id, state, at, reason, status, response, record)
                VALUES ($destination, $source, $subscription, $message, $state, $at, $reason, $status, $response, $record)
                """;
            foreach (var name in (string[])["$destination", "$source", "$subscription", "$message", "$state", "$at", "$reason", "$status", "$response", "$record"])
            {
                _deadLetter.Parameters.Add(new SqliteParameter(name, DBNull.Value));
            }
        }

        public void Write(IReadOnlyList<JournalEntry> entries)
        {
            using var transaction = _connection.BeginTransaction();
            _step.Transaction = transaction;
            _deadLetter.Transaction = transaction;
            var p = _step.Parameters;
            foreach (var (step, sequence) in entries)
            {
                var response = Cap(step.ResponseExcerpt, _maxResponseChars);
                p[0].Value = step.DestinationId;
                p[1].Value = step.SourceId;
                p[2].Value = step.MessageId;
                p[3].Value = (object?)step.SubscriptionId ?? DBNull.Value;
                p[4].Value = (int)step.State;
                p[5].Value = Ms(step.At);
                p[6].Value = sequence;
                p[7].Value = (object?)step.Reason ?? DBNull.Value;
                p[8].Value = step.Attempt;
                p[9].Value = step.Status;
                p[10].Value = (object?)response ?? DBNull.Value;
                p[11].Value = step.Latency is { } latency ? latency.TotalMilliseconds : DBNull.Value;
                if (step.Record is { } record && step.State is DeliveryState.Queued or DeliveryState.Aborted or DeliveryState.Expired)
                {
                    var payload = record.Payload.ToJsonString();
                    p[12].Value = Cap(payload, _maxPayloadChars);
                    p[13].Value = payload.Length;
                }
                else
                {
                    p[12].Value = DBNull.Value;
                    p[13].Value = DBNull.Value;
                }

                _step.ExecuteNonQuery();

                if (step.State is DeliveryState.Aborted or DeliveryState.Expired)
                {
                    var d = _deadLetter.Parameters;
                    d[0].Value = step.DestinationId;
                    d[1].Value = step.SourceId;
                    d[2].Value = (object?)step.SubscriptionId ?? step.Record?.SubscriptionId ?? (object)DBNull.Value;
                    d[3].Value = step.MessageId;
                    d[4].Value = (int)step.State;
                    d[5].Value = Ms(step.At);
                    d[6].Value = (object?)step.Reason ?? DBNull.Value;
                    d[7].Value = step.Status;
                    d[8].Value = (object?)response ?? DBNull.Value;
                    d[9].Value = step.Record is { } kept ? kept.Encode() : DBNull.Value;
                    _deadLetter.ExecuteNonQuery();
                }
            }

            transaction.Commit();
        }

        public void Dispose()
        {
            _step.Dispose();
            _deadLetter.Dispose();
            _connection.Dispose();
        }

        private static string? Cap(string? text, int max) => text is { } t && t.Length > max ? t[..max] : text;
    }
}
