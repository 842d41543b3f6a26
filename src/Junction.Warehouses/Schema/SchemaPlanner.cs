using static Junction.Warehouses.Schema.WarehouseColumns;

namespace Junction.Warehouses.Schema;

/// <summary>
/// Plans one load of one source: from the rows of many events (in staging order) and the tables the warehouse has,
/// the tables and columns to create, the columns to widen, the rows per table (deduplicated by <c>id</c>, or merged by
/// <c>id</c> for <c>users</c> and <c>accounts</c>) and the values that cannot be loaded. A new column takes the type of
/// its first value; a later value that does not fit widens it (integer → float → text) or, when nothing can hold it,
/// is discarded with a reason. A load never fails because of one value.
/// </summary>
internal sealed partial class SchemaPlanner
{
    /// <summary>The reason for values and rows that need a table or column while the schema is frozen.</summary>
    public const string FrozenReason = "schema frozen";

    /// <summary>The reason for a row that has no <c>id</c>.</summary>
    public const string NoIdReason = "row has no id";

    /// <summary>The <see cref="Discard.Column"/> of a discard about a whole row.</summary>
    public const string WholeRow = "*";

    private const int LeftOut = -1;
    private const int Discarded = -2;

    private readonly string _schema;
    private readonly IReadOnlyDictionary<string, TableSchema> _existing;
    private readonly PlannerOptions _options;
    private readonly object _loadedAt;
    private readonly string _columnLimitReason;
    private readonly Dictionary<string, TablePlan> _tables = new(StringComparer.Ordinal);
    private readonly List<Discard> _discards = [];
    private int[] _positions = new int[64];

    private SchemaPlanner(string schema, IReadOnlyDictionary<string, TableSchema> existing, PlannerOptions options)
    {
        _schema = schema;
        _existing = existing;
        _options = options;
        _loadedAt = options.LoadedAt.ToUniversalTime();
        _columnLimitReason = $"column limit ({options.ColumnLimit}) reached";
    }

    /// <summary>Plans a load of <paramref name="rows"/> into <paramref name="schema"/>, whose tables are <paramref name="existing"/>.</summary>
    public static LoadPlan Plan(string schema, IReadOnlyDictionary<string, TableSchema> existing, IEnumerable<EventRow> rows, PlannerOptions options)
    {
        var planner = new SchemaPlanner(schema, existing, options);
        foreach (var row in rows)
        {
            planner.Add(row);
        }

        return planner.Build();
    }

    private void Add(EventRow row)
    {
        if (!_options.Selection.TableEnabled(row.Table))
        {
            return;
        }

        if (!row.Values.TryGetValue(Id, out var idValue) || idValue is not string id)
        {
            _discards.Add(new Discard(row.Table, WholeRow, string.Empty, NoIdReason, row.EventId, row.ReceivedAt));
            return;
        }

        if (!_tables.TryGetValue(row.Table, out var table))
        {
            var schemaTable = _existing.GetValueOrDefault(row.Table);
            if (schemaTable is null && _options.SchemaFrozen)
            {
                _discards.Add(new Discard(row.Table, WholeRow, string.Empty, FrozenReason, row.EventId, row.ReceivedAt));
                return;
            }

            table = new TablePlan(row.Table, row.Upsert, schemaTable, _options);
            _tables.Add(row.Table, table);
        }

        var rowIndex = -1;
        if (table.Upsert)
        {
            if (table.RowById.TryGetValue(id, out var found))
            {
                rowIndex = found;
            }
        }
        else if (!table.Seen.Add(id))
        {
            return;
        }

        if (row.Discards is { } discards)
        {
            _discards.AddRange(discards);
        }

        var values = row.Values;
        if (_positions.Length < values.Count)
        {
            _positions = new int[Math.Max(values.Count, _positions.Length * 2)];
        }

        table.EnsureRecent(values.Count);
        var recentKeys = table.RecentKeys;
        var recentPositions = table.RecentPositions;
        for (var i = 0; i < values.Count; i++)
        {
            var value = values.GetAt(i);
            if (ReferenceEquals(recentKeys[i], value.Key))
            {
                _positions[i] = recentPositions[i];
                continue;
            }

            var position = Position(table, row, value);
            _positions[i] = position;
            if (position != Discarded)
            {
                recentKeys[i] = value.Key;
                recentPositions[i] = position;
            }
        }

        object?[] target;
        if (rowIndex < 0)
        {
            target = new object?[table.Columns.Count];
            if (table.Upsert)
            {
                table.RowById.Add(id, table.Rows.Count);
            }

            table.Rows.Add(target);
        }
        else
        {
            target = table.Rows[rowIndex];
            if (target.Length < table.Columns.Count)
            {
                Array.Resize(ref target, table.Columns.Count);
                table.Rows[rowIndex] = target;
            }
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (_positions[i] >= 0)
            {
                var column = table.Columns[_positions[i]];
                if (Fit(table, column, values.GetAt(i).Value, row) is { } fitted)
                {
                    target[column.Index] = fitted;
                }
            }
        }

        if (table.UuidTsColumn is { } uuidTs)
        {
            target[uuidTs.Index] = _loadedAt;
        }
    }

    /// <summary>
    /// The column index of a value, adding the column when it may be added; <see cref="LeftOut"/> when selective sync
    /// leaves the column out, <see cref="Discarded"/> when the value was discarded (which happens again for every row).
    /// </summary>
    private int Position(TablePlan table, EventRow row, KeyValuePair<string, object> value)
    {
        var (name, content) = value;
        if (table.Disabled is { } disabled && disabled.Contains(name) && !IsRequired(name))
        {
            return LeftOut;
        }

        if (table.ByName.TryGetValue(name, out var column))
        {
            return column.Index;
        }

        var reason = _options.SchemaFrozen ? FrozenReason
            : table.Columns.Count >= _options.ColumnLimit && !IsRequired(name) ? _columnLimitReason
            : null;
        if (reason is not null)
        {
            _discards.Add(new Discard(table.Name, name, WarehouseValues.ToText(content), reason, row.EventId, row.ReceivedAt));
            return Discarded;
        }

        return table.AddColumn(name, WarehouseValues.TypeOf(content)).Index;
    }

    /// <summary>The value as its column holds it, widening the column when that lets it fit; null (and a discard) when nothing does.</summary>
    private object? Fit(TablePlan table, ColumnPlan column, object value, EventRow row)
    {
        switch (column.Type)
        {
            case ColumnType.Text:
                return value as string ?? WarehouseValues.ToText(value);
            case ColumnType.Boolean when value is bool:
            case ColumnType.Timestamp when value is DateTimeOffset:
            case ColumnType.Integer when value is long:
            case ColumnType.Float when value is double:
                return value;
            case ColumnType.Float when value is long integer:
                return (double)integer;
            case ColumnType.Timestamp when value is string text && WarehouseValues.TryParseLoose(text, out var time):
                return time;
            case ColumnType.Integer when value is double:
                return Widen(table, column, ColumnType.Float) ? value : Reject(table, column, value, row, widenable: true);
            case ColumnType.Integer or ColumnType.Float when value is string or DateTimeOffset:
                return Widen(table, column, ColumnType.Text) ? WarehouseValues.ToText(value) : Reject(table, column, value, row, widenable: true);
            default:
                return Reject(table, column, value, row, widenable: false);
        }
    }

    private bool Widen(TablePlan table, ColumnPlan column, ColumnType to)
    {
        if (_options.SchemaFrozen)
        {
            return false;
        }

        foreach (var row in table.Rows)
        {
            if (column.Index < row.Length && row[column.Index] is { } value)
            {
                row[column.Index] = to == ColumnType.Float && value is long integer ? (double)integer : WarehouseValues.ToText(value);
            }
        }

        column.Type = to;
        return true;
    }

    private object? Reject(TablePlan table, ColumnPlan column, object value, EventRow row, bool widenable)
    {
        var reason = $"{WarehouseValues.NameOf(column.Type)} column, got {WarehouseValues.KindOf(value)}";
        if (widenable && _options.SchemaFrozen)
        {
            reason += " (" + FrozenReason + ")";
        }

        _discards.Add(new Discard(table.Name, column.Name, WarehouseValues.ToText(value), reason, row.EventId, row.ReceivedAt));
        return null;
    }

    private LoadPlan Build()
    {
        var changes = new List<SchemaChange>();
        var loads = new List<TableLoad>(_tables.Count);
        var names = new List<string>(_tables.Keys);
        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var table = _tables[name];
            if (table.Rows.Count == 0)
            {
                continue;
            }

            var ordered = new List<ColumnPlan>(table.Columns);
            ordered.Sort((x, y) => Compare(x.Name, y.Name));
            var columns = new LoadColumn[ordered.Count];
            for (var i = 0; i < ordered.Count; i++)
            {
                columns[i] = new LoadColumn(ordered[i].Name, ordered[i].Type);
            }

            if (!table.Exists)
            {
                changes.Add(new CreateTable(_schema, name, columns, table.Upsert));
            }
            else
            {
                foreach (var column in ordered)
                {
                    if (column.ExistingType is not { } was)
                    {
                        changes.Add(new AddColumn(_schema, name, new LoadColumn(column.Name, column.Type)));
                    }
                    else if (was != column.Type)
                    {
                        changes.Add(new WidenColumn(_schema, name, column.Name, was, column.Type));
                    }
                }
            }

            loads.Add(new TableLoad(name, table.Upsert, columns, Arrange(table.Rows, ordered)));
        }

        if (_options.IncludeSchemaCreation && _existing.Count == 0 && (changes.Count > 0 || _discards.Count > 0))
        {
            changes.Insert(0, new CreateSchema(_schema));
        }

        return new LoadPlan(_schema, changes, loads, _discards);
    }

    /// <summary>
    /// Puts each row's values in the order of <paramref name="ordered"/>, one value per column: in place for rows that
    /// already have every column (most of them), in a new array for rows made before the table gained columns.
    /// </summary>
    private static List<object?[]> Arrange(List<object?[]> rows, List<ColumnPlan> ordered)
    {
        var count = ordered.Count;
        var identity = true;
        for (var i = 0; i < count && identity; i++)
        {
            identity = ordered[i].Index == i;
        }

        var scratch = identity ? [] : new object?[count];
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row.Length == count)
            {
                if (!identity)
                {
                    Array.Copy(row, scratch, count);
                    for (var i = 0; i < count; i++)
                    {
                        row[i] = scratch[ordered[i].Index];
                    }
                }

                continue;
            }

            var arranged = new object?[count];
            for (var i = 0; i < count; i++)
            {
                var from = ordered[i].Index;
                if (from < row.Length)
                {
                    arranged[i] = row[from];
                }
            }

            rows[r] = arranged;
        }

        return rows;
    }
}
