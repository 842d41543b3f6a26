using Junction.Destinations.Framework;
using Microsoft.Data.Sqlite;

namespace Junction.Destinations.Delivery.Journal;

/// <summary>One stored step of an event's trace at one destination.</summary>
/// <remarks>
/// <para><c>Payload</c>: The mapped payload (queued, aborted and expired steps), whole or its start.</para>
/// <para><c>PayloadTruncated</c>: Whether <c>Payload</c> is only the start of a larger payload.</para>
/// </remarks>
internal sealed record TraceStep(
    long Id,
    string DestinationId,
    string SourceId,
    string MessageId,
    string? SubscriptionId,
    DeliveryState State,
    DateTimeOffset At,
    string? Reason,
    int Attempt,
    int Status,
    string? Response,
    double? LatencyMs,
    string? Payload,
    bool PayloadTruncated);

internal sealed partial class JournalStore
{
    private const string StepColumns =
        "id, destination_id, source_id, message_id, subscription_id, state, at, reason, attempt, status, response, latency_ms, payload, payload_chars";

    /// <summary>The steps of one messageId, optionally only of one source or one destination, in the order they happened.</summary>
    public async Task<List<TraceStep>> StepsOfMessageAsync(
        string messageId, string? sourceId, string? destinationId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {StepColumns} FROM steps
            WHERE message_id = $message
              AND ($source IS NULL OR source_id = $source)
              AND ($destination IS NULL OR destination_id = $destination)
            ORDER BY at, seq, id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$message", messageId);
        command.Parameters.AddWithValue("$source", (object?)sourceId ?? DBNull.Value);
        command.Parameters.AddWithValue("$destination", (object?)destinationId ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        return await ReadStepsAsync(command, cancellationToken);
    }

    /// <summary>The latest steps at a destination, newest first.</summary>
    public async Task<List<TraceStep>> RecentStepsAsync(string destinationId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {StepColumns} FROM steps WHERE destination_id = $destination ORDER BY id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$destination", destinationId);
        command.Parameters.AddWithValue("$limit", limit);
        return await ReadStepsAsync(command, cancellationToken);
    }

    /// <summary>How many trace steps are stored.</summary>
    public async Task<long> CountStepsAsync(CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM steps";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<List<TraceStep>> ReadStepsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var steps = new List<TraceStep>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            steps.Add(ReadStep(reader));
        }

        return steps;
    }

    private static TraceStep ReadStep(SqliteDataReader reader)
    {
        var payload = reader.IsDBNull(12) ? null : reader.GetString(12);
        var payloadChars = reader.IsDBNull(13) ? 0 : reader.GetInt64(13);
        return new TraceStep(
            reader.GetInt64(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            (DeliveryState)reader.GetInt32(5),
            FromMs(reader.GetInt64(6)),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.GetInt32(8),
            reader.GetInt32(9),
            reader.IsDBNull(10) ? null : reader.GetString(10),
            reader.IsDBNull(11) ? null : reader.GetDouble(11),
            payload,
            payload is not null && payloadChars > payload.Length);
    }

    /// <summary>
    /// Deletes trace steps older than <paramref name="stepsBefore"/> and beyond the newest <paramref name="maxSteps"/>,
    /// dead letters older than <paramref name="deadLettersBefore"/> and metrics older than <paramref name="metricsBefore"/>.
    /// Steps are deleted by id ranges in chunks, so the writer is never held up for long.
    /// </summary>
    public async Task<long> CleanupAsync(
        DateTimeOffset stepsBefore, long maxSteps, DateTimeOffset deadLettersBefore, DateTimeOffset metricsBefore, CancellationToken cancellationToken)
    {
        await using var connection = Open();

        // Step ids grow with time, so the first id at or after the cut-off bounds everything older.
        long cut;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT coalesce(
                    (SELECT id FROM steps WHERE at >= $before ORDER BY id LIMIT 1),
                    (SELECT max(id) + 1 FROM steps), 0),
                    coalesce((SELECT max(id) FROM steps), 0)
                """;
            command.Parameters.AddWithValue("$before", Ms(stepsBefore));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            cut = Math.Max(reader.GetInt64(0), reader.GetInt64(1) - maxSteps + 1);
        }

        long deleted = 0;
        const long Chunk = 50_000;
        long low;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT coalesce(min(id), 0) FROM steps";
            low = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "DELETE FROM steps WHERE id < $upTo";
            var upTo = command.Parameters.Add("$upTo", SqliteType.Integer);
            while (low < cut)
            {
                low = Math.Min(low + Chunk, cut);
                upTo.Value = low;
                deleted += await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                DELETE FROM dead_letters WHERE at < $deadLetters;
                DELETE FROM metrics_minute WHERE minute < $minute;
                DELETE FROM metrics_reason WHERE minute < $minute;
                DELETE FROM metrics_latency WHERE minute < $minute;
                """;
            command.Parameters.AddWithValue("$deadLetters", Ms(deadLettersBefore));
            command.Parameters.AddWithValue("$minute", DeliveryMetricsCounter.Minute(metricsBefore));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return deleted;
    }
}
