using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Junction.Testing;
using Junction.Warehouses.Loading;
using Junction.Warehouses.Schema;

namespace Junction.Warehouses.Tests.Loading;

/// <summary>The conformance suite on a DuckDB file in a directory that does not exist yet, and what only DuckDB does.</summary>
public sealed class DuckDbWarehouseLoaderTests : WarehouseLoaderConformance, IDisposable
{
    private readonly TempDirectory _directory = new();

    private string FilePath => Path.Combine(_directory.Path, "warehouses", "junction.duckdb");

    private protected override IWarehouseLoader Loader => Loaders.Create("duckdb", new JsonObject { ["path"] = FilePath });

    private protected override string TextIntoIntegerError => "Could not convert string 'not a number' to INT64";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task ASchemaNamedLikeTheFileLoadsAndReadsBack()
    {
        // DuckDB names the file's catalog after the file: "shop.duckdb" is catalog "shop", as is the schema of a source "shop".
        var loader = Loaders.Create("duckdb", new JsonObject { ["path"] = Path.Combine(_directory.Path, "shop.duckdb") });
        await using var connection = await loader.ConnectAsync(Token);
        LoadColumn[] columns = [new("id", ColumnType.Text), new("received_at", ColumnType.Timestamp), new("event", ColumnType.Text)];
        await connection.ApplyAsync([new CreateSchema("shop"), new CreateTable("shop", "tracks", columns, Upsert: false), new AddColumn("shop", "tracks", new("n", ColumnType.Integer))], Token);

        var written = await connection.LoadAsync("shop", [new TableLoad("tracks", false, columns, [["m-1", T0, "order_completed"]])],
            [new Discard("tracks", "n", "x", "integer column, got string", "m-1", T0)], T0.AddDays(-7), Token);

        Assert.Equal(1, written["tracks"]);
        Assert.Equal([("junction_discards", 1L), ("tracks", 1L)], (await connection.ListTablesAsync("shop", Token)).Select(t => (t.Name, t.Rows)));
        Assert.Equal("m-1", (await connection.PreviewAsync("shop", "tracks", 10, Token)).Rows.Single()[0]);
    }

    [Fact]
    public async Task ConnectingCreatesTheFileAndItsDirectory()
    {
        await using (await Loader.ConnectAsync(Token))
        {
        }

        Assert.True(File.Exists(FilePath));
    }

    [Fact]
    public async Task AConnectionTestOfAPathWhoseDirectoryCannotBeCreatedFailsWithTheReason()
    {
        var blocker = Path.Combine(_directory.Path, "a-file");
        await File.WriteAllTextAsync(blocker, "not a directory", Token);
        var loader = Loaders.Create("duckdb", new JsonObject { ["path"] = Path.Combine(blocker, "warehouses", "junction.duckdb") });

        var check = await loader.CheckAsync(Token);

        Assert.False(check.Connected);
        Assert.StartsWith($"Cannot create the directory {Path.Combine(blocker, "warehouses")} for the DuckDB file:", check.Problem, StringComparison.Ordinal);
        var failure = await Assert.ThrowsAsync<WarehouseException>(() => loader.ConnectAsync(Token));
        Assert.Equal(check.Problem, failure.Message);
    }

    [Fact]
    public async Task APathThatIsMissingOrNotFullIsRefused()
    {
        var missing = await Loaders.Create("duckdb", []).CheckAsync(Token);
        var relative = await Loaders.Create("duckdb", new JsonObject { ["path"] = "warehouse.duckdb" }).CheckAsync(Token);

        Assert.Equal("The DuckDB warehouse has no path: set it to the full path of the database file.", missing.Problem);
        Assert.Equal("The DuckDB path warehouse.duckdb is not a full path.", relative.Problem);
    }

    [Fact]
    public async Task AConnectionTestLeavesNoFileWhereThereWasNone()
    {
        Assert.Equal(ConnectionCheck.Ok, await Loader.CheckAsync(Token));

        Assert.False(File.Exists(FilePath));
    }

    [Fact]
    public async Task BetweenSyncsAnotherProcessCanReadTheFileAndWhileItDoesConnectingSaysSo()
    {
        await using (var connection = await Loader.ConnectAsync(Token))
        {
            await connection.ApplyAsync([new CreateSchema(Schema), new CreateTable(Schema, "tracks", [new("id", ColumnType.Text)], Upsert: false)], Token);
        }

        await using (var reader = await DuckDbOtherProcess.OpenAsync(FilePath, readOnly: true))
        {
            Assert.Equal("opened 1 tables", reader.Report);

            var failure = await Assert.ThrowsAsync<WarehouseException>(() => Loader.ConnectAsync(Token));
            Assert.StartsWith($"Another process holds the DuckDB file {FilePath}", failure.Message, StringComparison.Ordinal);
            Assert.Contains($"open it read-only (duckdb -readonly {FilePath}) and close it again", failure.Message, StringComparison.Ordinal);
            Assert.Contains("Conflicting lock is held", failure.Message, StringComparison.Ordinal);
            var check = await Loader.CheckAsync(Token);
            Assert.Equal(failure.Message, check.Problem);
        }

        await using (var connection = await Loader.ConnectAsync(Token))
        {
            Assert.Equal([new TableSummary("tracks", 0)], await connection.ListTablesAsync(Schema, Token));
        }
    }

    [Fact]
    public async Task WhileASyncHoldsTheFileAnotherProcessCannotOpenIt()
    {
        await using var connection = await Loader.ConnectAsync(Token);
        await connection.ApplyAsync([new CreateSchema(Schema)], Token);

        await using var other = await DuckDbOtherProcess.OpenAsync(FilePath, readOnly: true);

        Assert.StartsWith("failed: ", other.Report, StringComparison.Ordinal);
        Assert.Contains("Could not set lock on file", other.Report, StringComparison.Ordinal);
    }

    private protected override Task<IReadOnlyList<string>> ServerReservedWordsAsync()
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category = 'reserved'";
        using var reader = command.ExecuteReader();
        var words = new List<string>();
        while (reader.Read())
        {
            words.Add(reader.GetString(0));
        }

        return Task.FromResult<IReadOnlyList<string>>(words);
    }
}
