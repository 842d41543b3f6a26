using Microsoft.Data.Sqlite;

namespace Junction.Protocols.Observation;

/// <summary>The schema view's reads and its flag changes.</summary>
internal sealed partial class SchemaStore
{
    /// <summary>
    /// Every stored event of a source with its properties. Volumes are sums of UTC day rows: the last 1, 7 and 30 days
    /// are today, today and the 6 days before, today and the 29 days before.
    /// </summary>
    public async Task<IReadOnlyList<ObservedEvent>> ListAsync(string sourceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        var properties = new Dictionary<(string Type, string Name), List<ObservedProperty>>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT type, name, path, types, first_seen, last_seen, blocked FROM schema_properties
                WHERE source_id = $source ORDER BY type, name, path
                """;
            command.Parameters.AddWithValue("$source", sourceId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = (reader.GetString(0), reader.GetString(1));
                if (!properties.TryGetValue(key, out var list))
                {
                    properties[key] = list = [];
                }

                list.Add(new ObservedProperty(
                    reader.GetString(2), SchemaPaths.Names((JsonTypes)reader.GetInt64(3)), FromMs(reader.GetInt64(4)), FromMs(reader.GetInt64(5)), reader.GetInt64(6) != 0));
            }
        }

        var today = now.ToUnixTimeSeconds() / 86400;
        var events = new List<ObservedEvent>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT e.type, e.name, e.first_seen, e.last_seen, e.blocked, e.archived,
                       COALESCE(SUM(CASE WHEN d.day >= $d1 THEN d.total END), 0),
                       COALESCE(SUM(CASE WHEN d.day >= $d7 THEN d.total END), 0),
                       COALESCE(SUM(CASE WHEN d.day >= $d30 THEN d.total END), 0),
                       COALESCE(SUM(CASE WHEN d.day >= $d30 THEN d.blocked END), 0)
                FROM schema_events e
                LEFT JOIN schema_event_days d ON d.source_id = e.source_id AND d.type = e.type AND d.name = e.name
                WHERE e.source_id = $source
                GROUP BY e.type, e.name
                """;
            command.Parameters.AddWithValue("$source", sourceId);
            command.Parameters.AddWithValue("$d1", today);
            command.Parameters.AddWithValue("$d7", today - 6);
            command.Parameters.AddWithValue("$d30", today - 29);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var type = reader.GetString(0);
                var name = reader.GetString(1);
                events.Add(new ObservedEvent(
                    sourceId, type, name, FromMs(reader.GetInt64(2)), FromMs(reader.GetInt64(3)),
                    reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9),
                    reader.GetInt64(4) != 0, reader.GetInt64(5) != 0,
                    properties.TryGetValue((type, name), out var list) ? list : []));
            }
        }

        return events;
    }

    /// <summary>Blocked events per reason of a source since <paramref name="since"/> (whole hours).</summary>
    public async Task<IReadOnlyDictionary<string, long>> BlockedByReasonAsync(string sourceId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT reason, SUM(count) FROM blocked_hours WHERE source_id = $source AND hour >= $hour GROUP BY reason ORDER BY reason";
        command.Parameters.AddWithValue("$source", sourceId);
        command.Parameters.AddWithValue("$hour", since.ToUnixTimeSeconds() / 3600);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>Every blocked event and property of every source, for the processor's in-memory flags.</summary>
    public SchemaFlagRows LoadFlags()
    {
        using var connection = Open();
        var events = new List<(string, string, string)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT source_id, type, name FROM schema_events WHERE blocked <> 0";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                events.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var properties = new List<(string, string, string, string)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT source_id, type, name, path FROM schema_properties WHERE blocked <> 0";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                properties.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }

        return new SchemaFlagRows(events, properties);
    }

    /// <summary>Sets an event's blocked and/or archived flag; false when the source has no such event.</summary>
    public async Task<bool> SetEventFlagsAsync(string sourceId, string type, string name, bool? blocked, bool? archived, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE schema_events SET blocked = COALESCE($blocked, blocked), archived = COALESCE($archived, archived)
            WHERE source_id = $source AND type = $type AND name = $name
            """;
        command.Parameters.AddWithValue("$source", sourceId);
        command.Parameters.AddWithValue("$type", type);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$blocked", blocked is { } b ? (b ? 1 : 0) : DBNull.Value);
        command.Parameters.AddWithValue("$archived", archived is { } a ? (a ? 1 : 0) : DBNull.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Sets a property path's blocked flag; false when the event has no such path.</summary>
    public async Task<bool> SetPropertyBlockedAsync(string sourceId, string type, string name, string path, bool blocked, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE schema_properties SET blocked = $blocked
            WHERE source_id = $source AND type = $type AND name = $name AND path = $path
            """;
        command.Parameters.AddWithValue("$source", sourceId);
        command.Parameters.AddWithValue("$type", type);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$path", path);
        command.Parameters.AddWithValue("$blocked", blocked ? 1 : 0);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Reads one count (tests and diagnostics).</summary>
    internal async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, value));
        }

        return await command.ExecuteScalarAsync(cancellationToken) is long result ? result : 0;
    }
}
