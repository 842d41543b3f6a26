namespace Junction.Warehouses.Schema;

/// <summary>
/// One row that one event gives one table, before planning: its columns (final names) and values in the order the
/// event had them, only non-null values, each a <see cref="bool"/>, <see cref="long"/>, <see cref="double"/>,
/// <see cref="DateTimeOffset"/> or <see cref="string"/> (<see cref="WarehouseValues"/>).
/// </summary>
/// <param name="Table">The table (final name).</param>
/// <param name="Upsert">True for <c>users</c> and <c>accounts</c>, whose rows are merged by <c>id</c>.</param>
/// <param name="EventId">The event's <c>messageId</c> (for discards; an upsert row's <c>id</c> is the user or group id).</param>
/// <param name="ReceivedAt">When the event was received (for discards).</param>
/// <param name="Values">Column → value.</param>
/// <param name="Discards">Values of this row that have no column (a name with no letter or digit), or null when none.</param>
internal sealed record EventRow(
    string Table,
    bool Upsert,
    string EventId,
    DateTimeOffset ReceivedAt,
    OrderedDictionary<string, object> Values,
    IReadOnlyList<Discard>? Discards = null);
