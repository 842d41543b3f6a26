using System.Globalization;
using System.Text;
using Junction.Warehouses.Schema;

namespace Junction.Warehouses.Loading;

/// <summary>
/// The SQL both loaders write, with what differs between DuckDB and PostgreSQL (type names, the text form of a
/// widened float) given by a <see cref="SqlDialect"/>. Every identifier is quoted, so that any table or column name
/// (a reserved word such as <c>select</c>, mixed case, a double quote) means exactly itself.
/// </summary>
internal static class WarehouseSql
{
    /// <summary>The table of values that could not be loaded, one per schema.</summary>
    public const string DiscardsTable = "junction_discards";

    /// <summary>The name prefix of the staging tables a load writes before inserting into the real tables.</summary>
    public const string StagingPrefix = "junction_staging_";

    /// <summary>The base tables of the schema given as parameter <c>$1</c>, by name (the same query in DuckDB and PostgreSQL).</summary>
    public const string TablesOfSchema =
        "SELECT table_name FROM information_schema.tables " +
        "WHERE table_catalog = current_database() AND table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name";

    /// <summary>Table name, column name and data type of every column of the base tables of schema <c>$1</c>, in table order.</summary>
    public const string ColumnsOfSchema =
        "SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c " +
        "JOIN information_schema.tables t ON t.table_catalog = c.table_catalog AND t.table_schema = c.table_schema AND t.table_name = c.table_name " +
        "WHERE c.table_catalog = current_database() AND c.table_schema = $1 AND t.table_type = 'BASE TABLE' " +
        "ORDER BY c.table_name, c.ordinal_position";

    /// <summary>The columns of <see cref="DiscardsTable"/>, in order.</summary>
    public static IReadOnlyList<LoadColumn> DiscardColumns { get; } =
    [
        new("table_name", ColumnType.Text),
        new("column_name", ColumnType.Text),
        new("value", ColumnType.Text),
        new("reason", ColumnType.Text),
        new("event_id", ColumnType.Text),
        new("received_at", ColumnType.Timestamp),
        new("uuid_ts", ColumnType.Timestamp),
    ];

    /// <summary>A quoted identifier: <c>"name"</c>, with double quotes inside doubled.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// A schema as SQL: quoted and, when <paramref name="catalog"/> is given, qualified with it. DuckDB needs the catalog
    /// (the database file's name): it refuses <c>a.b</c> as ambiguous when <c>a</c> names both the file and a schema in
    /// it, as a source named like the file would.
    /// </summary>
    public static string SchemaRef(string? catalog, string schema) => catalog is null ? Quote(schema) : Quote(catalog) + "." + Quote(schema);

    /// <summary>A table of a schema given as SQL (<see cref="SchemaRef"/>).</summary>
    public static string Table(string schemaRef, string table) => schemaRef + "." + Quote(table);

    /// <summary>Whether a table is Junction's own bookkeeping rather than a table of events.</summary>
    public static bool IsStaging(string table) => table.StartsWith(StagingPrefix, StringComparison.Ordinal);

    /// <summary>The name of the staging table of the <paramref name="index"/>th table of a load.</summary>
    public static string StagingName(int index) => StagingPrefix + index.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>"a", "b", "c"</c>.</summary>
    public static string ColumnList(IReadOnlyList<LoadColumn> columns, string? alias = null)
    {
        var prefix = alias is null ? "" : alias + ".";
        return string.Join(", ", columns.Select(c => prefix + Quote(c.Name)));
    }

    /// <summary><c>"a" BIGINT, "b" VARCHAR</c>.</summary>
    public static string ColumnDefinitions(IReadOnlyList<LoadColumn> columns, SqlDialect dialect) =>
        string.Join(", ", columns.Select(c => Quote(c.Name) + " " + dialect.TypeName(c.Type)));

    /// <summary>
    /// <c>CREATE TABLE IF NOT EXISTS</c> with the columns; an upsert table gets <c>id</c> as its primary key (and the
    /// column is added when the plan does not list it).
    /// </summary>
    public static string CreateTable(string schemaRef, CreateTable change, SqlDialect dialect)
    {
        var columns = change.Columns;
        if (change.Upsert && !columns.Any(c => c.Name == WarehouseColumns.Id))
        {
            columns = [new LoadColumn(WarehouseColumns.Id, ColumnType.Text), .. columns];
        }

        var sql = new StringBuilder()
            .Append("CREATE TABLE IF NOT EXISTS ").Append(Table(schemaRef, change.Table))
            .Append(" (").Append(ColumnDefinitions(columns, dialect));
        if (change.Upsert)
        {
            sql.Append(", PRIMARY KEY (").Append(Quote(WarehouseColumns.Id)).Append(')');
        }

        return sql.Append(')').ToString();
    }

    /// <summary><c>ALTER TABLE … ADD COLUMN IF NOT EXISTS</c>.</summary>
    public static string AddColumn(string schemaRef, AddColumn change, SqlDialect dialect) =>
        $"ALTER TABLE {Table(schemaRef, change.Table)} ADD COLUMN IF NOT EXISTS {Quote(change.Column.Name)} {dialect.TypeName(change.Column.Type)}";

    /// <summary><c>ALTER TABLE … ALTER COLUMN … TYPE … USING</c>, converting the values the column holds.</summary>
    public static string WidenColumn(string schemaRef, WidenColumn change, SqlDialect dialect) =>
        $"ALTER TABLE {Table(schemaRef, change.Table)} ALTER COLUMN {Quote(change.Column)} TYPE {dialect.TypeName(change.To)} " +
        $"USING {dialect.Convert(Quote(change.Column), change.From, change.To)}";

    /// <summary>
    /// Whether a column of type <paramref name="current"/> already holds what <paramref name="wanted"/> would: the same
    /// type, or a wider one (text holds anything, a float holds integers).
    /// </summary>
    public static bool Covers(ColumnType current, ColumnType wanted) =>
        current == wanted || current == ColumnType.Text || (current == ColumnType.Float && wanted == ColumnType.Integer);

    /// <summary>
    /// Inserts the staged rows whose <c>id</c> is not in the target among the rows received at or after
    /// <paramref name="since"/> (an SQL expression); without a <c>received_at</c> column, among all its rows.
    /// </summary>
    public static string InsertNew(string schemaRef, string table, string staging, IReadOnlyList<LoadColumn> columns, string since)
    {
        var id = Quote(WarehouseColumns.Id);
        var window = columns.Any(c => c.Name == WarehouseColumns.ReceivedAt)
            ? $" AND t.{Quote(WarehouseColumns.ReceivedAt)} >= {since}"
            : "";
        return $"INSERT INTO {Table(schemaRef, table)} ({ColumnList(columns)}) SELECT {ColumnList(columns, "s")} FROM {staging} s " +
            $"WHERE NOT EXISTS (SELECT 1 FROM {Table(schemaRef, table)} t WHERE t.{id} = s.{id}{window})";
    }

    /// <summary>Inserts the staged rows, or updates the row with the same <c>id</c>: non-null values replace, nulls keep.</summary>
    public static string Upsert(string schemaRef, string table, string staging, IReadOnlyList<LoadColumn> columns)
    {
        var sql = new StringBuilder()
            .Append("INSERT INTO ").Append(Table(schemaRef, table)).Append(" AS t (").Append(ColumnList(columns)).Append(") ")
            .Append("SELECT ").Append(ColumnList(columns, "s")).Append(" FROM ").Append(staging).Append(" s ")
            .Append("ON CONFLICT (").Append(Quote(WarehouseColumns.Id)).Append(')');
        var updates = columns.Where(c => c.Name != WarehouseColumns.Id).ToList();
        if (updates.Count == 0)
        {
            return sql.Append(" DO NOTHING").ToString();
        }

        sql.Append(" DO UPDATE SET ");
        for (var i = 0; i < updates.Count; i++)
        {
            var name = Quote(updates[i].Name);
            sql.Append(i == 0 ? "" : ", ").Append(name).Append(" = COALESCE(excluded.").Append(name).Append(", t.").Append(name).Append(')');
        }

        return sql.ToString();
    }

    /// <summary>One statement answering (index, <c>count(*)</c>) for each of the tables, the index being its place in the list.</summary>
    public static string CountRows(string schemaRef, IReadOnlyList<string> tables) =>
        string.Join(" UNION ALL ", tables.Select((name, i) => $"SELECT {i.ToString(CultureInfo.InvariantCulture)}, count(*) FROM {Table(schemaRef, name)}"));

    /// <summary>The latest rows of a table by <c>received_at</c> when it has one (no order otherwise).</summary>
    public static string Preview(string schemaRef, string table, bool hasReceivedAt, int limit) =>
        $"SELECT * FROM {Table(schemaRef, table)}" +
        (hasReceivedAt ? $" ORDER BY {Quote(WarehouseColumns.ReceivedAt)} DESC" : "") +
        $" LIMIT {Math.Max(0, limit).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Inserts the staged discards not already kept for the same event, table and column.</summary>
    public static string InsertDiscards(string schemaRef, string staging) =>
        $"INSERT INTO {Table(schemaRef, DiscardsTable)} ({ColumnList(DiscardColumns)}) SELECT {ColumnList(DiscardColumns, "s")} FROM {staging} s " +
        $"WHERE NOT EXISTS (SELECT 1 FROM {Table(schemaRef, DiscardsTable)} d " +
        "WHERE d.\"event_id\" = s.\"event_id\" AND d.\"table_name\" = s.\"table_name\" AND d.\"column_name\" = s.\"column_name\")";

    /// <summary>The discards of a load as rows of <see cref="DiscardColumns"/>, once per event, table and column.</summary>
    public static TableLoad DiscardRows(IReadOnlyList<Discard> discards, DateTimeOffset loadedAt)
    {
        var seen = new HashSet<(string, string, string)>();
        var rows = new List<object?[]>(discards.Count);
        foreach (var discard in discards)
        {
            if (seen.Add((discard.EventId, discard.Table, discard.Column)))
            {
                rows.Add([discard.Table, discard.Column, discard.Value, discard.Reason, discard.EventId, discard.ReceivedAt, loadedAt]);
            }
        }

        return new TableLoad(DiscardsTable, Upsert: false, DiscardColumns, rows);
    }

    /// <summary>
    /// The column type of a data type as <c>information_schema.columns</c> names it, in DuckDB or PostgreSQL. Types
    /// Junction does not create (a column someone changed by hand) map to the nearest: other integer types to
    /// <see cref="ColumnType.Integer"/>, other numbers to <see cref="ColumnType.Float"/>, dates to
    /// <see cref="ColumnType.Timestamp"/>, anything else to <see cref="ColumnType.Text"/>.
    /// </summary>
    public static ColumnType TypeOf(string dataType)
    {
        var type = dataType.Trim().ToUpperInvariant();
        return type switch
        {
            "BOOLEAN" => ColumnType.Boolean,
            "BIGINT" or "INTEGER" or "SMALLINT" or "TINYINT" or "HUGEINT" or "UBIGINT" or "UINTEGER" or "USMALLINT" or "UTINYINT" or "UHUGEINT" => ColumnType.Integer,
            "DOUBLE" or "DOUBLE PRECISION" or "REAL" or "FLOAT" or "NUMERIC" => ColumnType.Float,
            _ when type.StartsWith("DECIMAL", StringComparison.Ordinal) || type.StartsWith("NUMERIC", StringComparison.Ordinal) => ColumnType.Float,
            _ when type.StartsWith("TIMESTAMP", StringComparison.Ordinal) || type == "DATE" => ColumnType.Timestamp,
            _ => ColumnType.Text,
        };
    }
}

/// <summary>What differs between the SQL of DuckDB and of PostgreSQL for the statements both loaders share: the type names.</summary>
internal sealed class SqlDialect
{
    private readonly string[] _typeNames;

    private SqlDialect(string[] typeNames) => _typeNames = typeNames;

    /// <summary>DuckDB's types.</summary>
    public static SqlDialect DuckDb { get; } = new(["BOOLEAN", "BIGINT", "DOUBLE", "TIMESTAMPTZ", "VARCHAR"]);

    /// <summary>PostgreSQL's types.</summary>
    public static SqlDialect Postgres { get; } = new(["boolean", "bigint", "double precision", "timestamptz", "text"]);

    /// <summary>The SQL type of a column type.</summary>
    public string TypeName(ColumnType type) => _typeNames[(int)type];

    /// <summary>
    /// An expression converting <paramref name="column"/> (quoted) from one type to another, for <c>ALTER COLUMN … USING</c>.
    /// A float becomes the text Junction writes for a float loaded into a text column (.NET's invariant form), so that
    /// a widened column reads alike before and after: whole numbers as digits (<c>123</c>, not DuckDB's <c>123.0</c>),
    /// others in their shortest exact form with a capital exponent (<c>1.5</c>, <c>1E-05</c>, <c>1E+20</c>).
    /// </summary>
    public string Convert(string column, ColumnType from, ColumnType to)
    {
        if (from == ColumnType.Float && to == ColumnType.Text)
        {
            var integer = TypeName(ColumnType.Integer);
            var text = TypeName(ColumnType.Text);
            return $"CASE WHEN {column} = trunc({column}) AND abs({column}) < 9e18 THEN CAST(CAST({column} AS {integer}) AS {text}) " +
                $"ELSE upper(CAST({column} AS {text})) END";
        }

        return $"CAST({column} AS {TypeName(to)})";
    }
}
