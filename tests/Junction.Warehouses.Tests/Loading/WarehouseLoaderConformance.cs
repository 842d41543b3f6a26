using System.Diagnostics;
using Junction.Warehouses.Loading;
using Junction.Warehouses.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Junction.Warehouses.Tests.Loading;

/// <summary>
/// What every warehouse loader must do, whatever the warehouse. Each implementation runs this suite through a short
/// class that says how to make its loader; each test works in a schema of its own.
/// </summary>
public abstract class WarehouseLoaderConformance
{
    private protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, 250, TimeSpan.Zero);

    private protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 8, 30, 0, 125, TimeSpan.Zero));

    /// <summary>A schema name no other test uses.</summary>
    private protected string Schema { get; } = "s_" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>The loader of the warehouse under test.</summary>
    private protected abstract IWarehouseLoader Loader { get; }

    /// <summary>Part of the warehouse's own error for a text value inserted into a bigint column.</summary>
    private protected abstract string TextIntoIntegerError { get; }

    /// <summary>The words the live server reports as reserved.</summary>
    private protected abstract Task<IReadOnlyList<string>> ServerReservedWordsAsync();

    private protected WarehouseLoaders Loaders => new(Time, NullLogger<WarehouseLoaders>.Instance);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static LoadColumn[] EventColumns =>
    [
        new("id", ColumnType.Text),
        new("received_at", ColumnType.Timestamp),
        new("event", ColumnType.Text),
        new("count", ColumnType.Integer),
    ];

    [Fact]
    public async Task DescribingASchemaThatDoesNotExistAnswersNoTables()
    {
        await using var connection = await Loader.ConnectAsync(Token);

        Assert.Empty(await connection.DescribeAsync(Schema, Token));
    }

    [Fact]
    public async Task ApplyingTheSameChangesTwiceCreatesTheSchemaTablesAndColumnsOnce()
    {
        await using var connection = await Loader.ConnectAsync(Token);
        SchemaChange[] changes =
        [
            new CreateSchema(Schema),
            new CreateTable(Schema, "tracks", [new("id", ColumnType.Text), new("received_at", ColumnType.Timestamp)], Upsert: false),
            new AddColumn(Schema, "tracks", new("event", ColumnType.Text)),
            new AddColumn(Schema, "tracks", new("count", ColumnType.Integer)),
            new CreateTable(Schema, "users", [new("id", ColumnType.Text), new("email", ColumnType.Text)], Upsert: true),
        ];

        await connection.ApplyAsync(changes, Token);
        await connection.ApplyAsync(changes, Token);

        var tables = await connection.DescribeAsync(Schema, Token);
        Assert.Equal(["tracks", "users"], tables.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(
            [("id", ColumnType.Text), ("received_at", ColumnType.Timestamp), ("event", ColumnType.Text), ("count", ColumnType.Integer)],
            tables["tracks"].Columns.Select(c => (c.Key, c.Value)));
        Assert.Equal([("id", ColumnType.Text), ("email", ColumnType.Text)], tables["users"].Columns.Select(c => (c.Key, c.Value)));
    }

    [Fact]
    public async Task EveryColumnTypeRoundTripsWithItsValuesIntact()
    {
        await using var connection = await Loader.ConnectAsync(Token);
        LoadColumn[] columns =
        [
            new("id", ColumnType.Text), new("received_at", ColumnType.Timestamp), new("flag", ColumnType.Boolean),
            new("big", ColumnType.Integer), new("ratio", ColumnType.Float), new("at", ColumnType.Timestamp), new("label", ColumnType.Text),
        ];
        await CreateAsync(connection, "types", columns);

        await connection.LoadAsync(
            Schema,
            [new TableLoad("types", false, columns,
            [
                ["a", T0, true, long.MaxValue, 0.1, new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero), "Ünïcödé ✓ 🚀 日本語 \"quoted\" 'single'"],
                ["b", T0.AddSeconds(-1), false, long.MinValue, -1.5e300, new DateTimeOffset(1999, 12, 31, 23, 59, 59, 999, TimeSpan.FromHours(2)), ""],
                ["c", T0.AddSeconds(-2), null, null, null, null, null],
            ])],
            [],
            T0.AddDays(-1),
            Token);

        var preview = await connection.PreviewAsync(Schema, "types", 10, Token);
        Assert.Equal(["id", "received_at", "flag", "big", "ratio", "at", "label"], preview.Columns);
        Assert.Equal(
            [
                ["a", "2026-03-01T12:00:00.250Z", "true", "9223372036854775807", "0.1", "2024-05-06T07:08:09.123Z", "Ünïcödé ✓ 🚀 日本語 \"quoted\" 'single'"],
                ["b", "2026-03-01T11:59:59.250Z", "false", "-9223372036854775808", "-1.5E+300", "1999-12-31T21:59:59.999Z", ""],
                ["c", "2026-03-01T11:59:58.250Z", null, null, null, null, null],
            ],
            preview.Rows);
        var described = (await connection.DescribeAsync(Schema, Token))["types"].Columns;
        Assert.Equal(columns.Select(c => (c.Name, c.Type)), described.Select(c => (c.Key, c.Value)));
    }

    [Fact]
    public async Task WideningAnIntegerColumnToFloatKeepsItsValues()
    {
        await using var connection = await Loader.ConnectAsync(Token);
        await CreateAsync(connection, "tracks", EventColumns);
        await connection.LoadAsync(Schema, [Events("tracks", ("a", T0, 42L), ("b", T0, -7L))], [], T0, Token);

        WidenColumn widen = new(Schema, "tracks", "count", ColumnType.Integer, ColumnType.Float);
        await connection.ApplyAsync([widen, widen], Token);
        LoadColumn[] widened = [.. EventColumns[..3], new("count", ColumnType.Float)];
        await connection.LoadAsync(Schema, [new TableLoad("tracks", false, widened, [["c", T0, "e", 2.5]])], [], T0, Token);

        Assert.Equal(ColumnType.Float, (await connection.DescribeAsync(Schema, Token))["tracks"].Columns["count"]);
        Assert.Equal(["-7", "2.5", "42"], await ValuesAsync(connection, "tracks", "count"));
    }

    [Fact]
    public async Task WideningNumbersToTextWritesThemAsJunctionWritesNumbersInText()
    {
        await using var connection = await Loader.ConnectAsync(Token);
        LoadColumn[] columns = [new("id", ColumnType.Text), new("received_at", ColumnType.Timestamp), new("n", ColumnType.Integer), new("f", ColumnType.Float)];
        await CreateAsync(connection, "pages", columns);
        await connection.LoadAsync(
            Schema,
            [new TableLoad("pages", false, columns,
            [
                ["a", T0, 42L, 1.5], ["b", T0, -7L, 123.0], ["c", T0, null, 0.25], ["d", T0, long.MaxValue, 12345678901234568.0],
                ["e", T0, 0L, 1e20], ["f", T0, 1L, -1.5e-7],
            ])],
            [],
            T0,
            Token);

        SchemaChange[] changes =
        [
            new WidenColumn(Schema, "pages", "n", ColumnType.Integer, ColumnType.Text),
            new WidenColumn(Schema, "pages", "f", ColumnType.Float, ColumnType.Text),
        ];
        await connection.ApplyAsync(changes, Token);
        await connection.ApplyAsync(changes, Token);

        var described = (await connection.DescribeAsync(Schema, Token))["pages"].Columns;
        Assert.Equal(ColumnType.Text, described["n"]);
        Assert.Equal(ColumnType.Text, described["f"]);
        var preview = await connection.PreviewAsync(Schema, "pages", 10, Token);
        string?[][] expected =
        [
            ["a", "42", "1.5"], ["b", "-7", "123"], ["c", null, "0.25"], ["d", "9223372036854775807", "12345678901234568"],
            ["e", "0", "1E+20"], ["f", "1", "-1.5E-07"],
        ];
        Assert.Equal(expected, preview.Rows.Select(r => new[] { r[0], r[2], r[3] }).OrderBy(r => r[0], StringComparer.Ordinal));

        // As Junction writes a float into a text column.
        Assert.All(
            new[] { 1.5, 123.0, 0.25, 12345678901234568.0, 1e20, -1.5e-7 },
            value => Assert.Contains(value.ToString(System.Globalization.CultureInfo.InvariantCulture), expected.Select(r => r[2])));
    }

    [Fact]
    public async Task ASecondLoadOfTheSameIdsInsertsNothing()
    {
        await using var connection = await Loader.ConnectAsync(Token);
        await CreateAsync(connection, "tracks", EventColumns);
        var load = Events("tracks", ("a", T0, 1L), ("b", T0.AddMinutes(1), 2L), ("c", T0.AddMinutes(2), 3L));

        var first = await connection.LoadAsync(Schema, [load], [], T0.AddHours(-24), Token);
        var second = await connection.LoadAsync(Schema, [load], [], T0.AddHours(-24), Token);
        var third = await connection.LoadAsync(Schema, [Events("tracks", ("c", T0.AddMinutes(2), 3L), ("d", T0.AddMinutes(3), 4L))], [], T0.AddHours(-24), Token);

        Assert.Equal(3, first["tracks"]);
        Assert.Equal(0, second["tracks"]);
        Assert.Equal(1, third["tracks"]);
        Assert.Equal(["a", "b", "c", "d"], await ValuesAsync(connection, "tracks", "id"));
    }

    [Fact]
    public async Task RowsReceivedBeforeTheDedupeWindowAreNotLookedAt()
    {
        await using var connection = await Loader.ConnectAsync(Token);
        await CreateAsync(connection, "tracks", EventColumns);
        await connection.LoadAsync(Schema, [Events("tracks", ("old", T0.AddDays(-3), 1L), ("recent", T0.AddHours(-1), 2L))], [], T0.AddDays(-30), Token);

        var written = await connection.LoadAsync(Schema, [Events("tracks", ("old", T0, 1L), ("recent", T0, 2L))], [], T0.AddDays(-1), Token);

        Assert.Equal(1, written["tracks"]);
        Assert.Equal(["old", "old", "recent"], await ValuesAsync(connection, "tracks", "id"));
    }

    [Fact]
    public async Task AFailingLoadRollsBackEveryTableAndThrowsTheWarehousesError()
    {
        await using var connection = await Loader.ConnectAsync(Token);
        await CreateAsync(connection, "tracks", EventColumns);
        await CreateAsync(connection, "pages", EventColumns);
        LoadColumn[] wrongType = [.. EventColumns[..3], new("count", ColumnType.Text)];

        var failure = await Assert.ThrowsAsync<WarehouseException>(() => connection.LoadAsync(
            Schema,
            [Events("tracks", ("a", T0, 1L)), new TableLoad("pages", false, wrongType, [["p", T0, "e", "not a number"]])],
            [new Discard("tracks", "price", "abc", "not a number", "a", T0)],
            T0,
            Token));

        Assert.Contains(TextIntoIntegerError, failure.Message, StringComparison.Ordinal);
        var tables = await connection.ListTablesAsync(Schema, Token);
        Assert.Equal([new TableSummary("pages", 0), new TableSummary("tracks", 0)], tables);

        // The connection is usable again after the rollback.
        Assert.Equal(1, (await connection.LoadAsync(Schema, [Events("tracks", ("a", T0, 1L))], [], T0, Token))["tracks"]);
    }

    [Fact]
    public async Task AValueOfTheWrongTypeForItsColumnIsRefusedBeforeAnythingIsWritten()
    {
        await using var connection = await Loader.ConnectAsync(Token);
        await CreateAsync(connection, "tracks", EventColumns);

        var failure = await Assert.ThrowsAsync<WarehouseException>(() => connection.LoadAsync(
            Schema,
            [new TableLoad("tracks", false, EventColumns, [["a", T0, "e", 1L], ["b", T0, "e", "two"]])],
            [],
            T0,
            Token));

        Assert.Contains("Column count of table tracks is Integer but a row has a String value", failure.Message, StringComparison.Ordinal);
        Assert.Empty(await ValuesAsync(connection, "tracks", "id"));
    }

    [Fact]
    public async Task AnUpsertInsertsThenUpdatesKeepingWhatTheUpdateLeavesNull()
    {
        await using var connection = await Loader.ConnectAsync(Token);
        LoadColumn[] columns =
        [
            new("id", ColumnType.Text), new("received_at", ColumnType.Timestamp), new("name", ColumnType.Text),
            new("age", ColumnType.Integer), new("plan", ColumnType.Text),
        ];
        await connection.ApplyAsync([new CreateSchema(Schema), new CreateTable(Schema, "users", columns, Upsert: true)], Token);

        var first = await connection.LoadAsync(
            Schema, [new TableLoad("users", true, columns, [["u1", T0, "Ann", 30L, "free"], ["u2", T0, "Bob", null, null]])], [], T0, Token);
        var second = await connection.LoadAsync(
            Schema, [new TableLoad("users", true, columns, [["u1", T0.AddHours(1), null, 31L, null], ["u3", T0.AddHours(1), "Cy", null, "pro"]])], [], T0, Token);

        Assert.Equal(2, first["users"]);
        Assert.Equal(2, second["users"]);
        var rows = (await connection.PreviewAsync(Schema, "users", 10, Token)).Rows.OrderBy(r => r[0], StringComparer.Ordinal);
        Assert.Equal(
            [
                ["u1", "2026-03-01T13:00:00.250Z", "Ann", "31", "free"],
                ["u2", "2026-03-01T12:00:00.250Z", "Bob", null, null],
                ["u3", "2026-03-01T13:00:00.250Z", "Cy", null, "pro"],
            ],
            rows);
    }

    [Fact]
    public async Task DiscardsAreKeptOncePerEventTableAndColumnEvenWhenLoadedTwice()
    {
        await using var connection = await Loader.ConnectAsync(Token);
        await connection.ApplyAsync([new CreateSchema(Schema)], Token);
        Discard[] discards =
        [
            new("tracks", "price", "abc", "a string in a float column", "e1", T0),
            new("tracks", "price", "abc", "a string in a float column", "e1", T0),
            new("tracks", "size", "XL", "a string in an integer column", "e1", T0),
            new("order_completed", "price", "abc", "a string in a float column", "e1", T0),
            new("tracks", "price", "def", "a string in a float column", "e2", T0.AddSeconds(1)),
        ];

        await connection.LoadAsync(Schema, [], discards, T0, Token);
        Time.Advance(TimeSpan.FromMinutes(5));
        await connection.LoadAsync(Schema, [], discards, T0, Token);

        var preview = await connection.PreviewAsync(Schema, "junction_discards", 10, Token);
        Assert.Equal(["table_name", "column_name", "value", "reason", "event_id", "received_at", "uuid_ts"], preview.Columns);
        Assert.Equal(
            [
                ["order_completed", "price", "abc", "a string in a float column", "e1", "2026-03-01T12:00:00.250Z", "2026-03-02T08:30:00.125Z"],
                ["tracks", "price", "abc", "a string in a float column", "e1", "2026-03-01T12:00:00.250Z", "2026-03-02T08:30:00.125Z"],
                ["tracks", "price", "def", "a string in a float column", "e2", "2026-03-01T12:00:01.250Z", "2026-03-02T08:30:00.125Z"],
                ["tracks", "size", "XL", "a string in an integer column", "e1", "2026-03-01T12:00:00.250Z", "2026-03-02T08:30:00.125Z"],
            ],
            preview.Rows.OrderBy(r => r[0], StringComparer.Ordinal).ThenBy(r => r[1], StringComparer.Ordinal).ThenBy(r => r[4], StringComparer.Ordinal));
        Assert.Empty(await connection.DescribeAsync(Schema, Token));
    }

    [Fact]
    public async Task ListingTablesGivesEachTablesExactRowCountWithTheDiscards()
    {
        await using var connection = await Loader.ConnectAsync(Token);
        await CreateAsync(connection, "tracks", EventColumns);
        await CreateAsync(connection, "pages", EventColumns);
        await CreateAsync(connection, "empty", EventColumns);
        await connection.LoadAsync(
            Schema,
            [Events("tracks", ("a", T0, 1L), ("b", T0, 2L), ("c", T0, 3L)), Events("pages", ("p", T0, 1L))],
            [new Discard("tracks", "price", "abc", "a string in a float column", "a", T0)],
            T0,
            Token);

        var tables = await connection.ListTablesAsync(Schema, Token);

        Assert.Equal(
            [new TableSummary("empty", 0), new TableSummary("junction_discards", 1), new TableSummary("pages", 1), new TableSummary("tracks", 3)],
            tables);
        Assert.Empty(await connection.ListTablesAsync("s_no_such_schema", Token));
    }

    [Fact]
    public async Task APreviewShowsTheNewestRowsFirst()
    {
        await using var connection = await Loader.ConnectAsync(Token);
        await CreateAsync(connection, "tracks", EventColumns);
        await connection.LoadAsync(
            Schema, [Events("tracks", ("first", T0, 1L), ("third", T0.AddMinutes(2), 3L), ("second", T0.AddMinutes(1), 2L))], [], T0, Token);

        var preview = await connection.PreviewAsync(Schema, "tracks", 2, Token);

        Assert.Equal(["id", "received_at", "event", "count"], preview.Columns);
        Assert.Equal(["third", "second"], preview.Rows.Select(r => r[0]));
        await Assert.ThrowsAsync<WarehouseException>(() => connection.PreviewAsync(Schema, "no_such_table", 2, Token));
    }

    [Fact]
    public async Task ReservedWordsQuotesAndCapitalsInNamesMeanThemselves()
    {
        await using var connection = await Loader.ConnectAsync(Token);
        LoadColumn[] columns =
        [
            new("id", ColumnType.Text), new("received_at", ColumnType.Timestamp), new("select", ColumnType.Text),
            new("from", ColumnType.Integer), new("we\"ird", ColumnType.Text), new("Mixed Case", ColumnType.Boolean),
        ];
        SchemaChange[] changes =
        [
            new CreateSchema(Schema),
            new CreateTable(Schema, "order", columns[..4], Upsert: false),
            new AddColumn(Schema, "order", columns[4]),
            new AddColumn(Schema, "order", columns[5]),
            new CreateTable(Schema, "user", [new("id", ColumnType.Text), new("select", ColumnType.Text)], Upsert: true),
        ];
        await connection.ApplyAsync(changes, Token);
        await connection.ApplyAsync(changes, Token);

        await connection.LoadAsync(
            Schema,
            [
                new TableLoad("order", false, columns, [["a", T0, "s", 1L, "w", true]]),
                new TableLoad("user", true, [new("id", ColumnType.Text), new("select", ColumnType.Text)], [["u", "x"]]),
            ],
            [],
            T0,
            Token);
        await connection.LoadAsync(Schema, [new TableLoad("user", true, [new("id", ColumnType.Text), new("select", ColumnType.Text)], [["u", "y"]])], [], T0, Token);

        var described = await connection.DescribeAsync(Schema, Token);
        Assert.Equal(columns.Select(c => (c.Name, c.Type)), described["order"].Columns.Select(c => (c.Key, c.Value)));
        var preview = await connection.PreviewAsync(Schema, "order", 5, Token);
        Assert.Equal(columns.Select(c => c.Name), preview.Columns);
        Assert.Equal([["a", "2026-03-01T12:00:00.250Z", "s", "1", "w", "true"]], preview.Rows);
        Assert.Equal([["u", "y"]], (await connection.PreviewAsync(Schema, "user", 5, Token)).Rows);
    }

    [Fact]
    public async Task ALargeLoadArrivesWhole()
    {
        await using var connection = await Loader.ConnectAsync(Token);
        var (columns, rows) = WideEvents(50_000);
        await CreateAsync(connection, "wide", columns);

        var stopwatch = Stopwatch.StartNew();
        var written = await connection.LoadAsync(Schema, [new TableLoad("wide", false, columns, rows)], [], T0.AddDays(-1), Token);
        stopwatch.Stop();

        Assert.Equal(rows.Count, written["wide"]);
        Assert.Equal([new TableSummary("wide", rows.Count)], await connection.ListTablesAsync(Schema, Token));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{rows.Count} rows of {columns.Length} columns in {stopwatch.ElapsedMilliseconds} ms ({rows.Count / stopwatch.Elapsed.TotalSeconds:0} rows/s)");
    }

    [Fact]
    public async Task AConnectionTestOfAWorkingWarehouseSucceeds()
    {
        Assert.Equal(ConnectionCheck.Ok, await Loader.CheckAsync(Token));
    }

    [Fact]
    public async Task EveryWordTheServerReservesIsAReservedWordForNames()
    {
        var reserved = await ServerReservedWordsAsync();

        Assert.NotEmpty(reserved);
        Assert.All(reserved, word => Assert.True(ReservedWords.All.Contains(word), $"{word} is reserved by the server but not in ReservedWords.All"));
    }

    /// <summary>Rows of a table of ~20 columns shaped like a track event, for the large-load test and the benchmark.</summary>
    private protected static (LoadColumn[] Columns, List<object?[]> Rows) WideEvents(int count)
    {
        LoadColumn[] columns =
        [
            new("id", ColumnType.Text), new("received_at", ColumnType.Timestamp), new("uuid_ts", ColumnType.Timestamp),
            new("sent_at", ColumnType.Timestamp), new("timestamp", ColumnType.Timestamp), new("original_timestamp", ColumnType.Timestamp),
            new("anonymous_id", ColumnType.Text), new("user_id", ColumnType.Text), new("event", ColumnType.Text), new("event_text", ColumnType.Text),
            new("context_ip", ColumnType.Text), new("context_library_name", ColumnType.Text), new("context_library_version", ColumnType.Text),
            new("context_page_url", ColumnType.Text), new("context_user_agent", ColumnType.Text), new("price", ColumnType.Float),
            new("quantity", ColumnType.Integer), new("currency", ColumnType.Text), new("in_stock", ColumnType.Boolean), new("sku", ColumnType.Text),
        ];
        var rows = new List<object?[]>(count);
        for (var i = 0; i < count; i++)
        {
            var at = T0.AddMilliseconds(i);
            rows.Add(
            [
                $"msg-{i:D10}", at, at, at, at, at, $"anon-{i % 5000}", i % 3 == 0 ? null : $"user-{i % 2000}", "order_completed", "Order Completed",
                "203.0.113.7", "analytics.js", "2.11.1", $"https://shop.example/p/{i % 300}",
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0 Safari/537.36",
                19.99 + (i % 10), (long)(i % 7), "EUR", i % 2 == 0, $"SKU-{i % 1000}",
            ]);
        }

        return (columns, rows);
    }

    private async Task CreateAsync(IWarehouseConnection connection, string table, LoadColumn[] columns) =>
        await connection.ApplyAsync([new CreateSchema(Schema), new CreateTable(Schema, table, columns, Upsert: false)], Token);

    private static TableLoad Events(string table, params (string Id, DateTimeOffset ReceivedAt, long Count)[] events) =>
        new(table, false, EventColumns, [.. events.Select(e => new object?[] { e.Id, e.ReceivedAt, "Order Completed", e.Count })]);

    /// <summary>One column's values as display text, sorted (nulls first).</summary>
    private async Task<string?[]> ValuesAsync(IWarehouseConnection connection, string table, string column)
    {
        var preview = await connection.PreviewAsync(Schema, table, 1000, Token);
        var index = preview.Columns.ToList().IndexOf(column);
        return [.. preview.Rows.Select(r => r[index]).Order(StringComparer.Ordinal)];
    }
}
