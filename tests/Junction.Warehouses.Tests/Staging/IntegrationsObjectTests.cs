using System.Text.Json;
using Junction.Warehouses.Staging;

namespace Junction.Warehouses.Tests.Staging;

public sealed class IntegrationsObjectTests
{
    [Theory]
    [InlineData("""{}""", true)]
    [InlineData("""{"All": true}""", true)]
    [InlineData("""{"All": false}""", false)]
    [InlineData("""{"All": false, "Warehouses": true}""", true)]
    [InlineData("""{"All": false, "Warehouses": {"all": true}}""", true)]
    [InlineData("""{"Warehouses": false}""", false)]
    [InlineData("""{"Warehouses": {"all": false}}""", false)]
    [InlineData("""{"Warehouses": {"warehouseIds": ["wh-1", "wh-2"]}}""", true)]
    [InlineData("""{"Warehouses": {"warehouseIds": ["wh-2"]}}""", false)]
    [InlineData("""{"Warehouses": {"warehouseIds": []}}""", false)]
    [InlineData("""{"warehouses": false}""", true)]
    [InlineData("""{"Mixpanel": false}""", true)]
    public void TheWarehousesEntryDecidesAndAllFalseKeepsEventsOutWithoutOne(string integrations, bool staged)
    {
        using var document = JsonDocument.Parse(integrations);

        Assert.Equal(staged, WarehouseStagingFanout.AllowsWarehouse(document.RootElement, "wh-1"));
    }

    [Fact]
    public void WithoutAnIntegrationsObjectEveryWarehouseGetsTheEvent()
    {
        Assert.True(WarehouseStagingFanout.AllowsWarehouse(default, "wh-1"));
    }
}
