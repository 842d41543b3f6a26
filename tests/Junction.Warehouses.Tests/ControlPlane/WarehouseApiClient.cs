using Junction.Testing;
using Junction.Warehouses.Loading;
using Junction.Warehouses.Syncing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Warehouses.Tests.ControlPlane;

/// <summary>
/// What the warehouses control-plane tests add to <see cref="PublicApiJson"/> and <see cref="RoleTokens"/>: a whole
/// server with fake loaders and a fake sync history, warehouses made through the API, and tokens holding a role on
/// chosen warehouses.
/// </summary>
internal static class WarehouseApiClient
{
    /// <summary>Starts a server whose warehouses are reached through <paramref name="loaders"/> and whose syncs are <paramref name="syncs"/>.</summary>
    public static Task<JunctionTestServer> StartAsync(FakeWarehouseLoaders loaders, FakeWarehouseSyncs syncs) =>
        JunctionTestServer.StartAsync(configure: builder => Use(builder, loaders, syncs));

    public static void Use(WebApplicationBuilder builder, FakeWarehouseLoaders loaders, FakeWarehouseSyncs syncs)
    {
        builder.Services.AddSingleton<IWarehouseLoaders>(loaders);
        builder.Services.AddSingleton<IWarehouseSyncs>(syncs);
    }

    /// <summary>Creates a warehouse through the API and answers its id.</summary>
    public static async Task<string> CreateWarehouseAsync(this HttpClient client, string metadataId = "duckdb", string settings = "{}", string? name = null)
    {
        var named = name is null ? "" : $",\"name\":\"{name}\"";
        var data = await client.PostJsonAsync("warehouses", $$"""{"metadataId":"{{metadataId}}","settings":{{settings}}{{named}}}""").DataAsync(201);
        return data.GetProperty("warehouse").GetProperty("id").GetString()!;
    }

    /// <summary>
    /// A client for the default workspace whose token holds <paramref name="roleId"/> on <paramref name="warehouseIds"/>
    /// (or on the whole workspace when none are given), plus Source Admin on <paramref name="adminOfSources"/>.
    /// </summary>
    public static Task<HttpClient> ClientWithWarehouseRoleAsync(
        this JunctionTestServer server, string roleId, IReadOnlyList<string>? warehouseIds = null, IReadOnlyList<string>? adminOfSources = null) =>
        server.CreateApiClientWithPermissionsAsync(adminOfSources is { Count: > 0 }
            ? [(roleId, "WAREHOUSE", warehouseIds), ("source-admin", "SOURCE", adminOfSources)]
            : [(roleId, "WAREHOUSE", warehouseIds)]);
}
