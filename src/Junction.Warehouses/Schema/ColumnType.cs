namespace Junction.Warehouses.Schema;

/// <summary>
/// The column types Junction creates in a warehouse: Segment's set. Values carried for them in rows are
/// <see cref="bool"/>, <see cref="long"/>, <see cref="double"/>, <see cref="DateTimeOffset"/> (UTC) and <see cref="string"/>.
/// Widening goes <see cref="Integer"/> → <see cref="Float"/> → <see cref="Text"/>; nothing else widens.
/// </summary>
internal enum ColumnType
{
    Boolean,
    Integer,
    Float,
    Timestamp,
    Text,
}
