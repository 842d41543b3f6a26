using System.Text.Json.Nodes;
using Junction.Testing;

namespace Junction.Warehouses.Tests.Golden;

/// <summary>
/// The golden test: a fixed corpus of Spec events (every call type, nested objects, arrays, unicode, reserved words and
/// reserved column names as property names, type changes across events) sent through the Tracking API and synced must
/// leave exactly the schema, tables, columns, types and rows written down in <c>expected.txt</c>: the same file for
/// every warehouse, because Junction gives DuckDB and PostgreSQL the same layout.
/// </summary>
public abstract class GoldenTests
{
    private protected abstract Task<(string Kind, JsonObject Settings)> WarehouseAsync(string dataDirectory);

    [Fact]
    public async Task TheCorpusLoadsIntoExactlyTheExpectedTablesColumnsTypesAndRows()
    {
        using var data = new TempDirectory();
        var (kind, settings) = await WarehouseAsync(data.Path);
        await using var scenario = await WarehouseScenario.StartAsync(kind, settings, dataDirectory: data.Path);
        await scenario.SendBatchAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Golden", "corpus.json")));

        var sync = await scenario.SyncAsync();
        var dump = await scenario.DumpAsync();

        var expected = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Golden", "expected.txt"));
        Assert.True(expected == dump, $"The warehouse holds something else than Golden/expected.txt. It holds:\n{dump}");
        Assert.Contains(sync.Notices, n => n.Level == "WARNING" && n.Message.Contains("junction_discards", StringComparison.Ordinal));
    }
}

public sealed class DuckDbGoldenTests : GoldenTests
{
    private protected override Task<(string Kind, JsonObject Settings)> WarehouseAsync(string dataDirectory) =>
        Task.FromResult(("duckdb", new JsonObject()));
}

public sealed class PostgresGoldenTests : GoldenTests
{
    private protected override async Task<(string Kind, JsonObject Settings)> WarehouseAsync(string dataDirectory)
    {
        var postgres = await Postgres.SharedAsync();
        var database = await postgres.CreateDatabaseAsync();
        return ("postgres", new JsonObject
        {
            ["host"] = postgres.Host,
            ["port"] = postgres.Port,
            ["database"] = database,
            ["user"] = postgres.User,
            ["password"] = "unused",
            ["sslMode"] = "disable",
        });
    }
}
