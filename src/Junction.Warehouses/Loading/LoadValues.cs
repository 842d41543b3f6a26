using System.Globalization;
using Junction.Warehouses.Schema;

namespace Junction.Warehouses.Loading;

/// <summary>
/// Reads the values of a load's rows as their column's type, and writes warehouse values as display text. A value of
/// the wrong CLR type for its column is a bug in the plan, refused with a <see cref="WarehouseException"/> naming the
/// table and column before anything is written; the only conversion allowed is an integer into a float column.
/// </summary>
internal static class LoadValues
{
    public static bool AsBoolean(object value, TableLoad table, int column) =>
        value is bool b ? b : throw Mismatch(value, table, column);

    public static long AsInteger(object value, TableLoad table, int column) => value switch
    {
        long l => l,
        int i => i,
        _ => throw Mismatch(value, table, column),
    };

    public static double AsFloat(object value, TableLoad table, int column) => value switch
    {
        double d => d,
        long l => l,
        int i => i,
        float f => f,
        _ => throw Mismatch(value, table, column),
    };

    /// <summary>A timestamp as a UTC <see cref="DateTime"/> (what both warehouses' drivers write as timestamptz).</summary>
    public static DateTime AsTimestamp(object value, TableLoad table, int column) => value switch
    {
        DateTimeOffset o => o.UtcDateTime,
        DateTime d when d.Kind == DateTimeKind.Utc => d,
        _ => throw Mismatch(value, table, column),
    };

    public static string AsText(object value, TableLoad table, int column) =>
        value as string ?? throw Mismatch(value, table, column);

    /// <summary>Checks that every row has one value per column.</summary>
    public static void CheckShape(TableLoad table)
    {
        foreach (var row in table.Rows)
        {
            if (row.Length != table.Columns.Count)
            {
                throw new WarehouseException($"A row for table {table.Table} has {row.Length} values for {table.Columns.Count} columns.");
            }
        }
    }

    /// <summary>A warehouse value as text for display: ISO-8601 UTC timestamps with milliseconds, invariant numbers, <c>true</c>/<c>false</c>.</summary>
    public static string? Display(object? value) => value switch
    {
        null or DBNull => null,
        string s => s,
        bool b => b ? "true" : "false",
        DateTime d => d.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        DateTimeOffset o => o.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static WarehouseException Mismatch(object value, TableLoad table, int column) =>
        new($"Column {table.Columns[column].Name} of table {table.Table} is {table.Columns[column].Type} but a row has a {value.GetType().Name} value.");

    /// <summary>Reads a preview query's rows, every value as display text (<see cref="Display"/>).</summary>
    public static async Task<TablePreview> ReadPreviewAsync(System.Data.Common.DbDataReader reader, CancellationToken cancellationToken)
    {
        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var rows = new List<string?[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = Display(reader.GetValue(i));
            }

            rows.Add(row);
        }

        return new TablePreview(names, rows);
    }
}
