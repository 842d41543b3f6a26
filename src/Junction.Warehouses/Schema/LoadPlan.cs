namespace Junction.Warehouses.Schema;

/// <summary>A table's columns as the warehouse has them (names are final, already snake_cased and escaped).</summary>
internal sealed record TableSchema(string Name, IReadOnlyDictionary<string, ColumnType> Columns);

/// <summary>One change to a source's schema in the warehouse. Every change is idempotent: applying it twice is harmless.</summary>
internal abstract record SchemaChange(string Schema);

/// <summary>Creates the schema (if missing).</summary>
internal sealed record CreateSchema(string Schema) : SchemaChange(Schema);

/// <summary>Creates a table (if missing) with these columns; <paramref name="Upsert"/> tables (users, accounts) are keyed on <c>id</c>.</summary>
internal sealed record CreateTable(string Schema, string Table, IReadOnlyList<LoadColumn> Columns, bool Upsert) : SchemaChange(Schema);

/// <summary>Adds a column (if missing).</summary>
internal sealed record AddColumn(string Schema, string Table, LoadColumn Column) : SchemaChange(Schema);

/// <summary>Widens a column's type (Integer → Float, Integer or Float → Text).</summary>
internal sealed record WidenColumn(string Schema, string Table, string Column, ColumnType From, ColumnType To) : SchemaChange(Schema);

/// <summary>A column of a load.</summary>
internal readonly record struct LoadColumn(string Name, ColumnType Type);

/// <summary>
/// The rows for one table in one load. Every row has one value per column, in <see cref="Columns"/> order, each null
/// or of the column type's CLR type (<see cref="ColumnType"/>). Rows of event tables are unique by <c>id</c>; rows of
/// <see cref="Upsert"/> tables are unique by <c>id</c> and carry the latest known value of each column (null where
/// this load knows none, which keeps what the table has).
/// </summary>
internal sealed record TableLoad(string Table, bool Upsert, IReadOnlyList<LoadColumn> Columns, IReadOnlyList<object?[]> Rows);

/// <summary>A value that could not be loaded into its column, kept in the schema's <c>junction_discards</c> table.</summary>
internal sealed record Discard(string Table, string Column, string Value, string Reason, string EventId, DateTimeOffset ReceivedAt);

/// <summary>
/// What one load of one source does: the schema changes to apply first, then the rows per table and the discarded
/// values, written in one transaction.
/// </summary>
internal sealed record LoadPlan(string Schema, IReadOnlyList<SchemaChange> Changes, IReadOnlyList<TableLoad> Tables, IReadOnlyList<Discard> Discards);
