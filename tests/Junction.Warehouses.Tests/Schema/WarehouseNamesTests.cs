using System.Text;
using Junction.Warehouses.Schema;

namespace Junction.Warehouses.Tests.Schema;

public sealed class WarehouseNamesTests
{
    [Theory]
    [InlineData("productId", "product_id")]
    [InlineData("ProductId", "product_id")]
    [InlineData("HTTPServer", "http_server")]
    [InlineData("productID", "product_id")]
    [InlineData("Order Completed", "order_completed")]
    [InlineData("order-completed", "order_completed")]
    [InlineData("order_completed", "order_completed")]
    [InlineData("sample___text", "sample_text")]
    [InlineData("$price", "price")]
    [InlineData("   $#$sample   2    Text   ", "sample_2_text")]
    [InlineData("SAMPLE 2 TEXT", "sample_2_text")]
    [InlineData("___$$Base64Encode", "base64_encode")]
    [InlineData("FOO:BAR$BAZ", "foo_bar_baz")]
    [InlineData("something.com", "something_com")]
    [InlineData("v2Name", "v2_name")]
    [InlineData("Ünïcode Straße", "ünïcode_straße")]
    [InlineData("ÄrgerMitÜmlauten", "ärger_mit_ümlauten")]
    [InlineData("注文 完了", "注文_完了")]
    [InlineData("Заказ Оформлен", "заказ_оформлен")]
    [InlineData("$$$", "")]
    [InlineData("", "")]
    public void ANameBecomesSnakeCase(string name, string expected) => Assert.Equal(expected, WarehouseNames.ToSnakeCase(name));

    [Fact]
    public void CombiningMarksStayWithTheirLetter() =>
        Assert.Equal("cafe\u0301_au_lait", WarehouseNames.ToSnakeCase("Cafe\u0301 au lait"));

    [Theory]
    [InlineData("select", "_select")]
    [InlineData("Order", "_order")]
    [InlineData("FROM", "_from")]
    [InlineData("user", "_user")]
    [InlineData("join", "_join")]
    [InlineData("qualify", "_qualify")]
    [InlineData("order_id", "order_id")]
    [InlineData("timestamp", "timestamp")]
    [InlineData("name", "name")]
    [InlineData("3doctors", "_3doctors")]
    [InlineData("2nd Place", "_2nd_place")]
    public void AColumnThatStartsWithADigitOrIsAReservedWordGetsAnUnderscore(string name, string expected) =>
        Assert.Equal(expected, WarehouseNames.Column(name));

    [Theory]
    [InlineData("$")]
    [InlineData("---")]
    [InlineData("   ")]
    [InlineData("")]
    public void ANameWithoutLettersOrDigitsHasNoColumn(string name) => Assert.Null(WarehouseNames.Column(name));

    [Fact]
    public void ALongNameIsCutTo63Bytes()
    {
        var column = WarehouseNames.Column(new string('a', 40) + "_" + new string('b', 40));

        Assert.Equal(new string('a', 40) + "_" + new string('b', 22), column);
        Assert.Equal(63, Encoding.UTF8.GetByteCount(column!));
    }

    [Fact]
    public void ALongUnicodeNameIsCutAtACharacterBoundary()
    {
        var column = WarehouseNames.Column(new string('é', 40));

        Assert.Equal(new string('é', 31), column);
        Assert.Equal(62, Encoding.UTF8.GetByteCount(column!));
    }

    [Fact]
    public void ACutNameDoesNotEndWithAnUnderscore()
    {
        var column = WarehouseNames.Column(new string('a', 62) + " tail");

        Assert.Equal(new string('a', 62), column);
    }

    [Theory]
    [InlineData("Order Completed", "order_completed")]
    [InlineData("select", "_select")]
    [InlineData("Tracks", "_tracks")]
    [InlineData("users", "_users")]
    [InlineData("Identifies", "_identifies")]
    [InlineData("junction_discards", "_junction_discards")]
    [InlineData("1 Click Buy", "_1_click_buy")]
    public void AnEventTableNeverTakesTheNameOfAFixedTableOrAReservedWord(string eventName, string expected) =>
        Assert.Equal(expected, WarehouseNames.Table(eventName));

    [Fact]
    public void AnEventNameWithoutLettersOrDigitsHasNoTable() => Assert.Null(WarehouseNames.Table("!!!"));

    [Theory]
    [InlineData("my-website", "my_website")]
    [InlineData("ios-app-2", "ios_app_2")]
    [InlineData("2024-site", "_2024_site")]
    [InlineData("select", "_select")]
    public void ASchemaIsTheSourceSlugInSnakeCase(string slug, string expected) => Assert.Equal(expected, WarehouseNames.Schema(slug));

    [Theory]
    [InlineData("", "address", "address", "address")]
    [InlineData("address", "streetName", "address_street_name", "address_street_name")]
    [InlineData("", "order", "order", "_order")]
    [InlineData("order", "id", "order_id", "order_id")]
    [InlineData("address", "$", "address", "address")]
    [InlineData("", "$", "", null)]
    public void ANestedPropertyExtendsItsParentsPath(string parent, string key, string path, string? column)
    {
        var name = WarehouseNames.Property(parent, key);

        Assert.Equal(path, name.Path);
        Assert.Equal(column, name.Column);
    }

    [Fact]
    public void ReservedWordsAreLowerCaseSortedAndIncludeBothServersWords()
    {
        var words = ReservedWords.All.Order(StringComparer.Ordinal).ToList();

        Assert.All(words, word => Assert.Equal(word.ToLowerInvariant(), word));
        Assert.Equal(117, words.Count);
        Assert.Contains("authorization", words);
        Assert.Contains("current_user", words);
        Assert.Contains("qualify", words);
        Assert.Contains("pivot_wider", words);
        Assert.DoesNotContain("timestamp", words);
        Assert.DoesNotContain("map", words);
    }
}
