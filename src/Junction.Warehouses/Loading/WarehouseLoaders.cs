using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Junction.Warehouses.Loading;

/// <summary>Makes the loader of a warehouse from its kind (<c>duckdb</c>, <c>postgres</c>) and its settings.</summary>
internal sealed class WarehouseLoaders(TimeProvider time, ILogger<WarehouseLoaders> logger) : IWarehouseLoaders
{
    public IWarehouseLoader Create(string kind, JsonObject settings) => kind switch
    {
        "duckdb" => new DuckDbWarehouseLoader(settings, time, logger),
        "postgres" => new PostgresWarehouseLoader(settings, time, logger),
        _ => throw new ArgumentException($"Unknown kind of warehouse: {kind}.", nameof(kind)),
    };
}
