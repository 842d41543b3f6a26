using Junction.Destinations.Framework;
using Microsoft.Data.Sqlite;

namespace Junction.Destinations.Delivery.Journal;

internal sealed partial class JournalStore
{
    /// <summary>Adds drained counts to the per-minute tables in one transaction (upserts that add).</summary>
    public async Task AddMetricsAsync(IReadOnlyList<MinuteMetrics> drained, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var minute = connection.CreateCommand();
        minute.Transaction = transaction;
        minute.CommandText = """
            INSERT INTO metrics_minute (destination_id, minute, delivered, retried, aborted, expired, filtered)
            VALUES ($destination, $minute, $delivered, $retried, $aborted, $expired, $filtered)
            ON CONFLICT (destination_id, minute) DO UPDATE SET
                delivered = delivered + excluded.delivered, retried = retried + excluded.retried,
                aborted = aborted + excluded.aborted, expired = expired + excluded.expired,
                filtered = filtered + excluded.filtered
            """;
        await using var reason = connection.CreateCommand();
        reason.Transaction = transaction;
        reason.CommandText = """
            INSERT INTO metrics_reason (destination_id, minute, state, code, count) VALUES ($destination, $minute, $state, $code, $count)
            ON CONFLICT (destination_id, minute, state, code) DO UPDATE SET count = count + excluded.count
            """;
        await using var latency = connection.CreateCommand();
        latency.Transaction = transaction;
        latency.CommandText = """
            INSERT INTO metrics_latency (destination_id, minute, bucket, count) VALUES ($destination, $minute, $bucket, $count)
            ON CONFLICT (destination_id, minute, bucket) DO UPDATE SET count = count + excluded.count
            """;
        foreach (var m in drained)
        {
            minute.Parameters.Clear();
            minute.Parameters.AddWithValue("$destination", m.Key.DestinationId);
            minute.Parameters.AddWithValue("$minute", m.Key.Minute);
            minute.Parameters.AddWithValue("$delivered", m.Delivered);
            minute.Parameters.AddWithValue("$retried", m.Retried);
            minute.Parameters.AddWithValue("$aborted", m.Aborted);
            minute.Parameters.AddWithValue("$expired", m.Expired);
            minute.Parameters.AddWithValue("$filtered", m.Filtered);
            await minute.ExecuteNonQueryAsync(cancellationToken);

            foreach (var (key, count) in m.Reasons)
            {
                reason.Parameters.Clear();
                reason.Parameters.AddWithValue("$destination", m.Key.DestinationId);
                reason.Parameters.AddWithValue("$minute", m.Key.Minute);
                reason.Parameters.AddWithValue("$state", (int)key.State);
                reason.Parameters.AddWithValue("$code", key.Code);
                reason.Parameters.AddWithValue("$count", count);
                await reason.ExecuteNonQueryAsync(cancellationToken);
            }

            for (var bucket = 0; bucket < m.Latency.Length; bucket++)
            {
                if (m.Latency[bucket] == 0)
                {
                    continue;
                }

                latency.Parameters.Clear();
                latency.Parameters.AddWithValue("$destination", m.Key.DestinationId);
                latency.Parameters.AddWithValue("$minute", m.Key.Minute);
                latency.Parameters.AddWithValue("$bucket", bucket);
                latency.Parameters.AddWithValue("$count", m.Latency[bucket]);
                await latency.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The stored metrics of a destination for the minutes in [<paramref name="startMinute"/>, <paramref name="endMinute"/>).</summary>
    public async Task<List<MinuteMetrics>> ReadMetricsAsync(
        string destinationId, long startMinute, long endMinute, CancellationToken cancellationToken)
    {
        var byMinute = new Dictionary<long, (long[] Counts, Dictionary<ReasonKey, long> Reasons, long[] Latency)>();
        (long[] Counts, Dictionary<ReasonKey, long> Reasons, long[] Latency) At(long minute)
        {
            if (!byMinute.TryGetValue(minute, out var entry))
            {
                entry = (new long[5], [], new long[LatencyHistogram.BucketCount]);
                byMinute[minute] = entry;
            }

            return entry;
        }

        await using var connection = Open();
        await using (var command = Range(connection, "SELECT minute, delivered, retried, aborted, expired, filtered FROM metrics_minute"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var counts = At(reader.GetInt64(0)).Counts;
                for (var i = 0; i < 5; i++)
                {
                    counts[i] += reader.GetInt64(i + 1);
                }
            }
        }

        await using (var command = Range(connection, "SELECT minute, state, code, count FROM metrics_reason"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var reasons = At(reader.GetInt64(0)).Reasons;
                var key = new ReasonKey((DeliveryState)reader.GetInt32(1), reader.GetString(2));
                reasons[key] = reasons.GetValueOrDefault(key) + reader.GetInt64(3);
            }
        }

        await using (var command = Range(connection, "SELECT minute, bucket, count FROM metrics_latency"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var bucket = reader.GetInt32(1);
                if (bucket is >= 0 and < LatencyHistogram.BucketCount)
                {
                    At(reader.GetInt64(0)).Latency[bucket] += reader.GetInt64(2);
                }
            }
        }

        return byMinute.OrderBy(e => e.Key)
            .Select(e => new MinuteMetrics(
                new MetricsKey(destinationId, e.Key),
                e.Value.Counts[0], e.Value.Counts[1], e.Value.Counts[2], e.Value.Counts[3], e.Value.Counts[4],
                e.Value.Reasons, e.Value.Latency))
            .ToList();

        SqliteCommand Range(SqliteConnection c, string select)
        {
            var command = c.CreateCommand();
            command.CommandText = select + " WHERE destination_id = $destination AND minute >= $start AND minute < $end";
            command.Parameters.AddWithValue("$destination", destinationId);
            command.Parameters.AddWithValue("$start", startMinute);
            command.Parameters.AddWithValue("$end", endMinute);
            return command;
        }
    }
}
