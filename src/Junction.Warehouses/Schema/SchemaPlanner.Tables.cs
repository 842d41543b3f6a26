using static Junction.Warehouses.Schema.WarehouseColumns;

namespace Junction.Warehouses.Schema;

/// <content>What the planner knows of each table and column while it reads the rows of a load.</content>
internal sealed partial class SchemaPlanner
{
    /// <summary>
    /// One table of the load: its columns (those the warehouse has, then those this load adds), its rows so far (each
    /// as long as the column list was when it was made) and what deduplicates them.
    /// </summary>
    private sealed class TablePlan
    {
        public TablePlan(string name, bool upsert, TableSchema? existing, PlannerOptions options)
        {
            Name = name;
            Upsert = upsert;
            Exists = existing is not null;
            Disabled = options.Selection.DisabledColumns.GetValueOrDefault(name);
            if (existing is not null)
            {
                foreach (var (column, type) in existing.Columns)
                {
                    Add(column, type, type);
                }
            }

            if (!Exists || !options.SchemaFrozen)
            {
                Required(Id, ColumnType.Text);
                Required(ReceivedAt, ColumnType.Timestamp);
                Required(UuidTs, ColumnType.Timestamp);
            }

            UuidTsColumn = ByName.GetValueOrDefault(UuidTs);
        }

        public string Name { get; }

        public bool Upsert { get; }

        /// <summary>Whether the warehouse has the table already.</summary>
        public bool Exists { get; }

        /// <summary>The columns selective sync turned off, or null.</summary>
        public IReadOnlySet<string>? Disabled { get; }

        /// <summary>The table's <c>uuid_ts</c> column, or null when a frozen table lacks it.</summary>
        public ColumnPlan? UuidTsColumn { get; }

        public List<ColumnPlan> Columns { get; } = [];

        public Dictionary<string, ColumnPlan> ByName { get; } = new(StringComparer.Ordinal);

        public List<object?[]> Rows { get; } = [];

        /// <summary>The ids of an event table's rows: the first row with an id wins.</summary>
        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);

        /// <summary>The row of each id of an upsert table.</summary>
        public Dictionary<string, int> RowById { get; } = new(StringComparer.Ordinal);

        /// <summary>
        /// The keys of the table's latest rows by place, and their column positions: rows of one table mostly repeat
        /// the same names (the same string instances, from the name caches) in the same order, so a key found at its
        /// place needs no lookup.
        /// </summary>
        public string?[] RecentKeys { get; private set; } = new string?[32];

        /// <summary>The column position of each of <see cref="RecentKeys"/>.</summary>
        public int[] RecentPositions { get; private set; } = new int[32];

        public void EnsureRecent(int count)
        {
            if (RecentKeys.Length < count)
            {
                var size = Math.Max(count, RecentKeys.Length * 2);
                var keys = RecentKeys;
                var positions = RecentPositions;
                Array.Resize(ref keys, size);
                Array.Resize(ref positions, size);
                RecentKeys = keys;
                RecentPositions = positions;
            }
        }

        public ColumnPlan AddColumn(string name, ColumnType type) => Add(name, type, null);

        private void Required(string name, ColumnType type)
        {
            if (!ByName.ContainsKey(name))
            {
                AddColumn(name, type);
            }
        }

        private ColumnPlan Add(string name, ColumnType type, ColumnType? existingType)
        {
            var column = new ColumnPlan(name, Columns.Count, type, existingType);
            Columns.Add(column);
            ByName.Add(name, column);
            return column;
        }
    }

    /// <summary>A column of a table in the load: its place in the rows, its type now, and its type in the warehouse (null when this load adds it).</summary>
    private sealed class ColumnPlan(string name, int index, ColumnType type, ColumnType? existingType)
    {
        public string Name { get; } = name;

        public int Index { get; } = index;

        public ColumnType Type { get; set; } = type;

        public ColumnType? ExistingType { get; } = existingType;
    }
}
