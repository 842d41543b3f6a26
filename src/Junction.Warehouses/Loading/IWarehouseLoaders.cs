using System.Text.Json.Nodes;

namespace Junction.Warehouses.Loading;

/// <summary>Makes the loader for a kind of warehouse (<c>duckdb</c>, <c>postgres</c>) from its settings (secrets decrypted, paths resolved).</summary>
internal interface IWarehouseLoaders
{
    /// <summary>The loader for these settings; throws <see cref="ArgumentException"/> for an unknown kind.</summary>
    IWarehouseLoader Create(string kind, JsonObject settings);
}
