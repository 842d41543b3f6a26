using System.Text.Json;
using Junction.Warehouses.Schema;
using Junction.Warehouses.Staging;

namespace Junction.Warehouses.Tests.Schema;

public sealed class SchemaPlannerTests
{
    private const string Schema = "my_site";
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 28, 21, 7, 9, 726, TimeSpan.Zero);
    private static readonly DateTimeOffset LoadedAt = new(2026, 11, 28, 22, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, TableSchema> NoTables = [];

    [Fact]
    public void AFirstLoadCreatesTheSchemaAndEachTableWithTheTypesOfItsFirstValues()
    {
        var rows = Events(
            """{"type":"track","messageId":"m1","receivedAt":"2026-11-28T21:07:09.726Z","event":"Order Completed","userId":"u1","properties":{"total":27.5,"items":3,"paid":true,"coupon":"SPRING","placedAt":"2026-11-28T20:00:00Z"},"context":{"ip":"1.2.3.4"}}""");

        var plan = Plan(rows, NoTables, new PlannerOptions { LoadedAt = LoadedAt, IncludeSchemaCreation = true });

        Assert.Equal(Schema, plan.Schema);
        Assert.IsType<CreateSchema>(plan.Changes[0]);
        var created = plan.Changes.OfType<CreateTable>().ToDictionary(c => c.Table);
        Assert.Equal(["order_completed", "tracks"], created.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(
            [
                new("id", ColumnType.Text), new("received_at", ColumnType.Timestamp), new("uuid_ts", ColumnType.Timestamp),
                new("user_id", ColumnType.Text), new("event", ColumnType.Text), new("event_text", ColumnType.Text),
                new("context_ip", ColumnType.Text), new("coupon", ColumnType.Text), new("items", ColumnType.Integer),
                new("paid", ColumnType.Boolean), new("placed_at", ColumnType.Timestamp), new("total", ColumnType.Float),
            ],
            created["order_completed"].Columns);
        Assert.False(created["tracks"].Upsert);
        Assert.Empty(plan.Discards);

        var load = Table(plan, "order_completed");
        Assert.Equal(created["order_completed"].Columns, load.Columns);
        var row = Assert.Single(load.Rows);
        Assert.Equal(["m1", ReceivedAt, LoadedAt, "u1", "order_completed", "Order Completed", "1.2.3.4", "SPRING", 3L, true, new DateTimeOffset(2026, 11, 28, 20, 0, 0, TimeSpan.Zero), 27.5], row);
    }

    [Fact]
    public void TablesAndChangesComeInNameOrder()
    {
        var plan = Plan([Row("b_table", "m1", ("z", 1L), ("a", 1L)), Row("a_table", "m2")], NoTables, new PlannerOptions { LoadedAt = LoadedAt });

        Assert.Equal(["a_table", "b_table"], plan.Tables.Select(t => t.Table));
        Assert.Equal(["a_table", "b_table"], plan.Changes.OfType<CreateTable>().Select(c => c.Table));
        Assert.DoesNotContain(plan.Changes, c => c is CreateSchema);
        Assert.Equal(["id", "received_at", "uuid_ts", "a", "z"], plan.Tables[1].Columns.Select(c => c.Name));
    }

    [Fact]
    public void AnExistingTableGetsOnlyItsMissingColumnsAndTheLoadListsAllItsColumns()
    {
        var existing = Existing(("pages", [("id", ColumnType.Text), ("received_at", ColumnType.Timestamp), ("uuid_ts", ColumnType.Timestamp), ("title", ColumnType.Text), ("old", ColumnType.Integer)]));

        var plan = Plan([Row("pages", "m1", ("title", "Home"), ("url", "https://example.com/"))], existing, new PlannerOptions { LoadedAt = LoadedAt, IncludeSchemaCreation = true });

        Assert.Equal([new AddColumn(Schema, "pages", new LoadColumn("url", ColumnType.Text))], plan.Changes);
        var load = Table(plan, "pages");
        Assert.Equal(["id", "received_at", "uuid_ts", "old", "title", "url"], load.Columns.Select(c => c.Name));
        Assert.Equal(["m1", ReceivedAt, LoadedAt, null, "Home", "https://example.com/"], Assert.Single(load.Rows));
    }

    [Fact]
    public void ANewIntegerColumnThatMeetsAFloatIsCreatedAsFloatWithEarlierValuesConverted()
    {
        var plan = Plan([Row("t", "m1", ("n", 1L)), Row("t", "m2", ("n", 2.5))], NoTables, new PlannerOptions { LoadedAt = LoadedAt });

        Assert.Contains(new LoadColumn("n", ColumnType.Float), Assert.Single(plan.Changes.OfType<CreateTable>()).Columns);
        Assert.Equal([1.0, 2.5], Column(plan, "t", "n"));
        Assert.DoesNotContain(plan.Changes, c => c is WidenColumn);
    }

    [Fact]
    public void AnExistingIntegerColumnIsWidenedToFloatThenToTextByTheValuesThatNeedIt()
    {
        var existing = Existing(("t", [("id", ColumnType.Text), ("received_at", ColumnType.Timestamp), ("uuid_ts", ColumnType.Timestamp), ("n", ColumnType.Integer), ("f", ColumnType.Integer)]));

        var plan = Plan(
            [Row("t", "m1", ("n", 1L), ("f", 1L)), Row("t", "m2", ("n", 2.5), ("f", 2.5)), Row("t", "m3", ("n", "three"))],
            existing,
            new PlannerOptions { LoadedAt = LoadedAt });

        Assert.Equal(
            [new WidenColumn(Schema, "t", "n", ColumnType.Integer, ColumnType.Text), new WidenColumn(Schema, "t", "f", ColumnType.Integer, ColumnType.Float)],
            plan.Changes.OrderByDescending(c => ((WidenColumn)c).Column, StringComparer.Ordinal));
        Assert.Equal(["1", "2.5", "three"], Column(plan, "t", "n"));
        Assert.Equal([1.0, 2.5, null], Column(plan, "t", "f"));
        Assert.Empty(plan.Discards);
    }

    [Fact]
    public void ATextColumnTakesAnyValueAsText()
    {
        var plan = Plan(
            [
                Row("t", "m1", ("v", "first")), Row("t", "m2", ("v", true)), Row("t", "m3", ("v", 12L)), Row("t", "m4", ("v", 0.1)),
                Row("t", "m5", ("v", new DateTimeOffset(2026, 1, 2, 3, 4, 5, 60, TimeSpan.Zero))), Row("t", "m6", ("v", 1e20)),
            ],
            NoTables,
            new PlannerOptions { LoadedAt = LoadedAt });

        Assert.Equal(["first", "true", "12", "0.1", "2026-01-02T03:04:05.060Z", "1e+20"], Column(plan, "t", "v"));
        Assert.Empty(plan.Discards);
    }

    [Fact]
    public void AFloatColumnTakesIntegers()
    {
        var plan = Plan([Row("t", "m1", ("v", 0.5)), Row("t", "m2", ("v", 2L))], NoTables, new PlannerOptions { LoadedAt = LoadedAt });

        Assert.Equal([0.5, 2.0], Column(plan, "t", "v"));
    }

    [Fact]
    public void ATimestampColumnTakesADateTimeStringAndDiscardsOtherValues()
    {
        var plan = Plan(
            [
                Row("t", "m1", ("at", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))), Row("t", "m2", ("at", "2026-01-02")),
                Row("t", "m3", ("at", "2026-01-03 10:00:00")), Row("t", "m4", ("at", "soon")), Row("t", "m5", ("at", 5L)),
            ],
            NoTables,
            new PlannerOptions { LoadedAt = LoadedAt });

        Assert.Equal(
            [
                new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 1, 3, 10, 0, 0, TimeSpan.Zero), null, null,
            ],
            Column(plan, "t", "at"));
        Assert.Equal(
            [("m4", "soon", "timestamp column, got string"), ("m5", "5", "timestamp column, got integer")],
            plan.Discards.Select(d => (d.EventId, d.Value, d.Reason)));
    }

    [Fact]
    public void AValueThatFitsNoColumnIsDiscardedAndTheRowKeepsItsOtherValues()
    {
        var plan = Plan(
            [Row("t", "m1", ("flag", true), ("n", 1L)), Row("t", "m2", ("flag", "yes"), ("n", 2L)), Row("t", "m3", ("flag", false), ("n", true))],
            NoTables,
            new PlannerOptions { LoadedAt = LoadedAt });

        Assert.Equal([true, null, false], Column(plan, "t", "flag"));
        Assert.Equal([1L, 2L, null], Column(plan, "t", "n"));
        Assert.Equal(
            [new Discard("t", "flag", "yes", "boolean column, got string", "m2", ReceivedAt), new Discard("t", "n", "true", "integer column, got boolean", "m3", ReceivedAt)],
            plan.Discards);
    }

    [Fact]
    public void AFrozenSchemaAddsNothingAndDiscardsWhatNeedsAChange()
    {
        var existing = Existing(("t", [("id", ColumnType.Text), ("received_at", ColumnType.Timestamp), ("uuid_ts", ColumnType.Timestamp), ("n", ColumnType.Integer)]));

        var plan = Plan(
            [Row("t", "m1", ("n", 1L), ("extra", "x")), Row("t", "m2", ("n", 1.5)), Row("missing", "m3", ("a", 1L)), Row("missing", "m4")],
            existing,
            new PlannerOptions { LoadedAt = LoadedAt, SchemaFrozen = true, IncludeSchemaCreation = true });

        Assert.Empty(plan.Changes);
        Assert.Equal(["t"], plan.Tables.Select(t => t.Table));
        Assert.Equal(["id", "received_at", "uuid_ts", "n"], plan.Tables[0].Columns.Select(c => c.Name));
        Assert.Equal([1L, null], Column(plan, "t", "n"));
        Assert.Equal(
            [
                ("t", "extra", "x", "schema frozen"), ("t", "n", "1.5", "integer column, got float (schema frozen)"),
                ("missing", "*", "", "schema frozen"), ("missing", "*", "", "schema frozen"),
            ],
            plan.Discards.Select(d => (d.Table, d.Column, d.Value, d.Reason)));
    }

    [Fact]
    public void AFrozenTableWithoutUuidTsIsLoadedWithoutIt()
    {
        var existing = Existing(("t", [("id", ColumnType.Text), ("received_at", ColumnType.Timestamp)]));

        var plan = Plan([Row("t", "m1")], existing, new PlannerOptions { LoadedAt = LoadedAt, SchemaFrozen = true });

        Assert.Equal(["id", "received_at"], plan.Tables[0].Columns.Select(c => c.Name));
        Assert.Empty(plan.Discards);
    }

    [Fact]
    public void AColumnBeyondTheLimitIsNotAddedAndItsValuesAreDiscarded()
    {
        var plan = Plan(
            [Row("t", "m1", ("a", 1L), ("b", 2L)), Row("t", "m2", ("c", 3L), ("a", 4L))],
            NoTables,
            new PlannerOptions { LoadedAt = LoadedAt, ColumnLimit = 5 });

        Assert.Equal(["id", "received_at", "uuid_ts", "a", "b"], plan.Tables[0].Columns.Select(c => c.Name));
        Assert.Equal([1L, 4L], Column(plan, "t", "a"));
        Assert.Equal([new Discard("t", "c", "3", "column limit (5) reached", "m2", ReceivedAt)], plan.Discards);
    }

    [Fact]
    public void SelectiveSyncLeavesOutDisabledTablesAndColumnsButNeverTheRequiredOnes()
    {
        var selection = new SelectiveSync(
            new HashSet<string>(StringComparer.Ordinal) { "off" },
            new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal) { ["t"] = new HashSet<string>(StringComparer.Ordinal) { "secret", "received_at" } });
        var off = Row("off", "m2", ("a", 1L)) with { Discards = [new Discard("off", "$", "1", EventRows.NoNameReason, "m2", ReceivedAt)] };

        var plan = Plan([Row("t", "m1", ("secret", "s"), ("open", "o")), off], NoTables, new PlannerOptions { LoadedAt = LoadedAt, Selection = selection });

        Assert.Equal(["t"], plan.Tables.Select(t => t.Table));
        Assert.Equal(["id", "received_at", "uuid_ts", "open"], plan.Tables[0].Columns.Select(c => c.Name));
        Assert.Equal(["m1", ReceivedAt, LoadedAt, "o"], Assert.Single(plan.Tables[0].Rows));
        Assert.Empty(plan.Discards);
    }

    [Fact]
    public void AnEventTableKeepsTheFirstRowOfEachIdInALoad()
    {
        var first = Row("t", "m1", ("v", "first")) with { Discards = [new Discard("t", "$", "1", EventRows.NoNameReason, "m1", ReceivedAt)] };
        var repeat = Row("t", "m1", ("v", "second"), ("w", "only in the repeat")) with { Discards = [new Discard("t", "#", "2", EventRows.NoNameReason, "m1", ReceivedAt)] };

        var plan = Plan([first, repeat, Row("t", "m2", ("v", "other"))], NoTables, new PlannerOptions { LoadedAt = LoadedAt });

        Assert.Equal(["first", "other"], Column(plan, "t", "v"));
        Assert.DoesNotContain(plan.Tables[0].Columns, c => c.Name == "w");
        Assert.Equal("$", Assert.Single(plan.Discards).Column);
    }

    [Fact]
    public void AnUpsertTableFoldsRowsOfOneIdIntoOneWithTheLatestValues()
    {
        var later = ReceivedAt.AddMinutes(5);
        var plan = Plan(
            [
                Users("u1", ReceivedAt, ("email", "a@example.com"), ("plan", "free")),
                Users("u2", ReceivedAt, ("plan", "team")),
                Users("u1", later, ("plan", "pro"), ("seats", 3L)),
            ],
            NoTables,
            new PlannerOptions { LoadedAt = LoadedAt });

        var create = Assert.Single(plan.Changes.OfType<CreateTable>());
        Assert.True(create.Upsert);
        var load = Table(plan, "users");
        Assert.True(load.Upsert);
        Assert.Equal(["id", "received_at", "uuid_ts", "email", "plan", "seats"], load.Columns.Select(c => c.Name));
        Assert.Equal(
            [
                ["u1", later, LoadedAt, "a@example.com", "pro", 3L],
                ["u2", ReceivedAt, LoadedAt, null, "team", null],
            ],
            load.Rows);
    }

    [Fact]
    public void ARowWithoutAnIdIsDiscardedWhole()
    {
        var values = new OrderedDictionary<string, object> { ["received_at"] = ReceivedAt, ["a"] = 1L };

        var plan = Plan([new EventRow("t", false, "m1", ReceivedAt, values)], NoTables, new PlannerOptions { LoadedAt = LoadedAt });

        Assert.Empty(plan.Tables);
        Assert.Equal([new Discard("t", "*", "", SchemaPlanner.NoIdReason, "m1", ReceivedAt)], plan.Discards);
    }

    [Fact]
    public void ContextColumnsComeAfterTheReservedOnesAndBeforeTheRest()
    {
        var rows = Events(
            """{"type":"page","messageId":"m1","receivedAt":"2026-11-28T21:07:09.726Z","sentAt":"2026-11-28T21:07:09.000Z","timestamp":"2026-11-28T21:07:09.100Z","originalTimestamp":"2026-11-28T21:07:09.000Z","anonymousId":"a1","userId":"u1","name":"Home","category":"Site","properties":{"title":"Welcome","a_first":1},"context":{"page":{"url":"https://example.com/"},"app":{"name":"web"}}}""");

        var plan = Plan(rows, NoTables, new PlannerOptions { LoadedAt = LoadedAt });

        Assert.Equal(
            [
                "id", "received_at", "uuid_ts", "sent_at", "timestamp", "original_timestamp", "anonymous_id", "user_id", "name", "category",
                "context_app_name", "context_page_url", "a_first", "title",
            ],
            Table(plan, "pages").Columns.Select(c => c.Name));
    }

    [Fact]
    public void ManyEventsOfEveryTypePlanIntoSegmentsTables()
    {
        var events = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            events.Add($$$"""{"type":"track","messageId":"t{{{i}}}","receivedAt":"2026-11-28T21:07:09.726Z","event":"{{{(i % 2 == 0 ? "Signed Up" : "Order Completed")}}}","userId":"u{{{i % 5}}}","properties":{"n":{{{i}}} } }""");
            events.Add($$$"""{"type":"identify","messageId":"i{{{i}}}","receivedAt":"2026-11-28T21:07:09.726Z","userId":"u{{{i % 5}}}","traits":{"visits":{{{i}}} } }""");
        }

        events.Add("""{"type":"group","messageId":"g1","receivedAt":"2026-11-28T21:07:09.726Z","userId":"u1","groupId":"g1","traits":{"name":"Initech"}}""");
        events.Add("""{"type":"alias","messageId":"a1","receivedAt":"2026-11-28T21:07:09.726Z","userId":"u1","previousId":"anon"}""");
        events.Add("""{"type":"screen","messageId":"s1","receivedAt":"2026-11-28T21:07:09.726Z","userId":"u1","name":"Home"}""");

        var plan = Plan(Events([.. events]), NoTables, new PlannerOptions { LoadedAt = LoadedAt });

        Assert.Equal(
            [("accounts", 1), ("aliases", 1), ("groups", 1), ("identifies", 50), ("order_completed", 25), ("screens", 1), ("signed_up", 25), ("tracks", 50), ("users", 5)],
            plan.Tables.Select(t => (t.Table, t.Rows.Count)));
        var users = Table(plan, "users");
        var visits = users.Columns.Select(c => c.Name).ToList().IndexOf("visits");
        Assert.Equal([45L, 46L, 47L, 48L, 49L], users.Rows.Select(r => r[visits]));
        Assert.Empty(plan.Discards);
    }

    private static LoadPlan Plan(IEnumerable<EventRow> rows, IReadOnlyDictionary<string, TableSchema> existing, PlannerOptions options) =>
        SchemaPlanner.Plan(Schema, existing, rows, options);

    private static List<EventRow> Events(params string[] events)
    {
        var rows = new List<EventRow>();
        foreach (var json in events)
        {
            using var document = JsonDocument.Parse(json);
            EventRows.Map(document.RootElement, rows);
        }

        return rows;
    }

    private static EventRow Row(string table, string id, params (string Column, object Value)[] values)
    {
        var row = new OrderedDictionary<string, object> { ["id"] = id, ["received_at"] = ReceivedAt };
        foreach (var (column, value) in values)
        {
            row[column] = value;
        }

        return new EventRow(table, false, id, ReceivedAt, row);
    }

    private static EventRow Users(string userId, DateTimeOffset receivedAt, params (string Column, object Value)[] values)
    {
        var row = new OrderedDictionary<string, object> { ["id"] = userId, ["received_at"] = receivedAt };
        foreach (var (column, value) in values)
        {
            row[column] = value;
        }

        return new EventRow("users", true, "event-of-" + userId, receivedAt, row);
    }

    private static Dictionary<string, TableSchema> Existing(params (string Table, (string Column, ColumnType Type)[] Columns)[] tables) =>
        tables.ToDictionary(
            t => t.Table,
            t => new TableSchema(t.Table, t.Columns.ToDictionary(c => c.Column, c => c.Type, StringComparer.Ordinal)),
            StringComparer.Ordinal);

    private static TableLoad Table(LoadPlan plan, string table) => Assert.Single(plan.Tables, t => t.Table == table);

    private static List<object?> Column(LoadPlan plan, string table, string column)
    {
        var load = Table(plan, table);
        var index = load.Columns.Select(c => c.Name).ToList().IndexOf(column);
        Assert.True(index >= 0, $"{table} has no column {column}");
        return load.Rows.Select(r => r[index]).ToList();
    }
}
