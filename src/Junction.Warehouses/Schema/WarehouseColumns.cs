using System.Collections.Frozen;

namespace Junction.Warehouses.Schema;

/// <summary>
/// The columns Junction fills from the event itself rather than from its properties or traits. A property or trait
/// whose column name is one of them (or starts with <c>context_</c>) gets a <c>_</c> prefix, so that it can neither
/// overwrite nor be mistaken for the event's own value. The same names also fix the order of a table's columns:
/// these first, in <see cref="Order"/>, then the <c>context_*</c> columns, then the rest, each group by name.
/// </summary>
internal static class WarehouseColumns
{
    public const string Id = "id";
    public const string ReceivedAt = "received_at";
    public const string UuidTs = "uuid_ts";
    public const string SentAt = "sent_at";
    public const string Timestamp = "timestamp";
    public const string OriginalTimestamp = "original_timestamp";
    public const string AnonymousId = "anonymous_id";
    public const string UserId = "user_id";
    public const string GroupId = "group_id";
    public const string PreviousId = "previous_id";
    public const string Event = "event";
    public const string EventText = "event_text";
    public const string Name = "name";
    public const string Category = "category";
    public const string Uuid = "uuid";
    public const string LoadedAt = "loaded_at";
    public const string ContextPrefix = "context_";

    /// <summary>The reserved columns in the order they come first in a table.</summary>
    public static IReadOnlyList<string> Order { get; } =
    [
        Id, ReceivedAt, UuidTs, SentAt, Timestamp, OriginalTimestamp, AnonymousId, UserId, GroupId, PreviousId, Event,
        EventText, Name, Category, Uuid, LoadedAt,
    ];

    private static readonly FrozenSet<string> ReservedEverywhere = FrozenSet.Create(
        StringComparer.Ordinal,
        Id, ReceivedAt, UuidTs, SentAt, Timestamp, OriginalTimestamp, AnonymousId, UserId, GroupId, PreviousId, Event, EventText, Uuid, LoadedAt);

    private static readonly FrozenDictionary<string, int> Rank =
        Order.Select((name, index) => KeyValuePair.Create(name, index)).ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Whether a property or trait may not use <paramref name="column"/> as is; <paramref name="pageOrScreen"/> adds <c>name</c> and <c>category</c>.</summary>
    public static bool IsReserved(string column, bool pageOrScreen) =>
        ReservedEverywhere.Contains(column)
        || column.StartsWith(ContextPrefix, StringComparison.Ordinal)
        || (pageOrScreen && (column == Name || column == Category));

    /// <summary>Columns that every row of every table has: never left out by selective sync or the column limit.</summary>
    public static bool IsRequired(string column) => column is Id or ReceivedAt or UuidTs;

    /// <summary>Orders column names: reserved columns in <see cref="Order"/>, then <c>context_*</c>, then the rest, by ordinal name.</summary>
    public static int Compare(string x, string y)
    {
        var (groupX, rankX) = Place(x);
        var (groupY, rankY) = Place(y);
        if (groupX != groupY)
        {
            return groupX.CompareTo(groupY);
        }

        return groupX == 0 ? rankX.CompareTo(rankY) : string.CompareOrdinal(x, y);
    }

    private static (int Group, int Rank) Place(string column) =>
        Rank.TryGetValue(column, out var rank) ? (0, rank)
        : column.StartsWith(ContextPrefix, StringComparison.Ordinal) ? (1, 0)
        : (2, 0);
}
