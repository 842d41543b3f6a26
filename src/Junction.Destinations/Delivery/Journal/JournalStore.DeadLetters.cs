using System.Text;
using Junction.Destinations.Framework;
using Microsoft.Data.Sqlite;

namespace Junction.Destinations.Delivery.Journal;

/// <summary>Which dead letters a list or a bulk re-send is about.</summary>
internal enum DeadLetterStatus
{
    /// <summary>Not re-sent yet.</summary>
    Pending,

    /// <summary>Already re-sent.</summary>
    Resent,

    /// <summary>Both.</summary>
    Any,
}

/// <summary>A filter over one destination's dead letters; every criterion left null matches everything.</summary>
/// <remarks>
/// <para><c>Text</c>: Found in the messageId or in the tool's response (case-insensitive for ASCII).</para>
/// <para><c>Start</c>: Inclusive.</para>
/// <para><c>End</c>: Exclusive.</para>
/// </remarks>
internal sealed record DeadLetterFilter(
    string DestinationId,
    DeliveryState? State = null,
    int? Status = null,
    string? SubscriptionId = null,
    DateTimeOffset? Start = null,
    DateTimeOffset? End = null,
    string? Text = null,
    DeadLetterStatus Which = DeadLetterStatus.Pending);

/// <summary>An aborted or expired record kept for inspection and re-sending.</summary>
/// <remarks>
/// <para><c>Record</c>: The record as the queue stores it (<see cref="DeliveryRecord.Encode"/>), or null when the step carried none.</para>
/// </remarks>
internal sealed record DeadLetter(
    long Id,
    string DestinationId,
    string SourceId,
    string? SubscriptionId,
    string MessageId,
    DeliveryState State,
    DateTimeOffset At,
    string? Reason,
    int Status,
    string? Response,
    DateTimeOffset? ResentAt,
    byte[]? Record);

internal sealed partial class JournalStore
{
    private const string DeadLetterColumns =
        "id, destination_id, source_id, subscription_id, message_id, state, at, reason, status, response, resent_at, record";

    /// <summary>One page of the dead letters matching a filter, newest first, and how many match in all.</summary>
    public async Task<(List<DeadLetter> Items, int Total)> ListDeadLettersAsync(
        DeadLetterFilter filter, int offset, int count, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        int total;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT count(*) FROM dead_letters WHERE " + Where(command, filter);
            total = (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT {DeadLetterColumns} FROM dead_letters WHERE {Where(command, filter)} ORDER BY id DESC LIMIT $count OFFSET $offset";
            command.Parameters.AddWithValue("$count", count);
            command.Parameters.AddWithValue("$offset", offset);
            return (await ReadDeadLettersAsync(command, cancellationToken), total);
        }
    }

    /// <summary>The dead letters of a destination with the given ids (ids of other destinations are ignored).</summary>
    public async Task<List<DeadLetter>> FindDeadLettersAsync(string destinationId, IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using var connection = Open();
        await using var command = connection.CreateCommand();
        var names = new StringBuilder();
        for (var i = 0; i < ids.Count; i++)
        {
            var name = "$i" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            names.Append(i == 0 ? "" : ",").Append(name);
            command.Parameters.AddWithValue(name, ids[i]);
        }

        command.CommandText = $"SELECT {DeadLetterColumns} FROM dead_letters WHERE destination_id = $destination AND id IN ({names}) ORDER BY id";
        command.Parameters.AddWithValue("$destination", destinationId);
        return await ReadDeadLettersAsync(command, cancellationToken);
    }

    /// <summary>Up to <paramref name="count"/> dead letters matching a filter with ids above <paramref name="afterId"/>, oldest first.</summary>
    public async Task<List<DeadLetter>> NextDeadLettersAsync(DeadLetterFilter filter, long afterId, int count, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {DeadLetterColumns} FROM dead_letters WHERE {Where(command, filter)} AND id > $after ORDER BY id LIMIT $count";
        command.Parameters.AddWithValue("$after", afterId);
        command.Parameters.AddWithValue("$count", count);
        return await ReadDeadLettersAsync(command, cancellationToken);
    }

    /// <summary>Marks dead letters as re-sent at <paramref name="at"/>.</summary>
    public async Task MarkResentAsync(IReadOnlyList<long> ids, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await using var connection = Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE dead_letters SET resent_at = $at WHERE id = $id";
        command.Parameters.AddWithValue("$at", Ms(at));
        var id = command.Parameters.Add("$id", SqliteType.Integer);
        foreach (var value in ids)
        {
            id.Value = value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static string Where(SqliteCommand command, DeadLetterFilter filter)
    {
        var where = new StringBuilder("destination_id = $destination");
        command.Parameters.AddWithValue("$destination", filter.DestinationId);
        if (filter.State is { } state)
        {
            where.Append(" AND state = $state");
            command.Parameters.AddWithValue("$state", (int)state);
        }

        if (filter.Status is { } status)
        {
            where.Append(" AND status = $status");
            command.Parameters.AddWithValue("$status", status);
        }

        if (filter.SubscriptionId is { } subscription)
        {
            where.Append(" AND subscription_id = $subscription");
            command.Parameters.AddWithValue("$subscription", subscription);
        }

        if (filter.Start is { } start)
        {
            where.Append(" AND at >= $start");
            command.Parameters.AddWithValue("$start", Ms(start));
        }

        if (filter.End is { } end)
        {
            where.Append(" AND at < $end");
            command.Parameters.AddWithValue("$end", Ms(end));
        }

        if (!string.IsNullOrEmpty(filter.Text))
        {
            where.Append(@" AND (message_id LIKE $text ESCAPE '\' OR response LIKE $text ESCAPE '\')");
            var escaped = filter.Text.Replace(@"\", @"\\", StringComparison.Ordinal)
                .Replace("%", @"\%", StringComparison.Ordinal)
                .Replace("_", @"\_", StringComparison.Ordinal);
            command.Parameters.AddWithValue("$text", "%" + escaped + "%");
        }

        where.Append(filter.Which switch
        {
            DeadLetterStatus.Pending => " AND resent_at IS NULL",
            DeadLetterStatus.Resent => " AND resent_at IS NOT NULL",
            _ => "",
        });
        return where.ToString();
    }

    private static async Task<List<DeadLetter>> ReadDeadLettersAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var letters = new List<DeadLetter>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            letters.Add(ReadDeadLetter(reader));
        }

        return letters;
    }

    private static DeadLetter ReadDeadLetter(SqliteDataReader reader) =>
        new(
            reader.GetInt64(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.GetString(4),
            (DeliveryState)reader.GetInt32(5),
            FromMs(reader.GetInt64(6)),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.GetInt32(8),
            reader.IsDBNull(9) ? null : reader.GetString(9),
            reader.IsDBNull(10) ? null : FromMs(reader.GetInt64(10)),
            reader.IsDBNull(11) ? null : (byte[])reader.GetValue(11));
}
