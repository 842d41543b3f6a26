using static Junction.Core.Tests.Mapping.MappingKit;

namespace Junction.Core.Tests.Mapping;

public sealed class ShapeDirectiveTests
{
    [Fact]
    public void ArrayPathShapesEachItemWithPathsRelativeToTheItem()
    {
        Assert.Equal(Json("""[{"item_id":"a"}]"""), Field("""{"@arrayPath": ["$.properties.products", {"item_id": {"@path": "$.id"}}]}"""));
    }

    [Fact]
    public void ArrayPathLeavesMissingItemFieldsOutAndKeepsItemOrder()
    {
        var @event = """{"properties": {"products": [{"id": "a", "price": 2}, {"id": "b"}]}}""";

        Assert.Equal(
            Json("""[{"id":"a","price":2,"kind":"product"},{"id":"b","kind":"product"}]"""),
            Field("""{"@arrayPath": ["$.properties.products", {"id": {"@path": "$.id"}, "price": {"@path": "$.price"}, "kind": "product"}]}""", @event));
    }

    [Fact]
    public void ArrayPathTurnsASingleObjectIntoAOneItemArray()
    {
        Assert.Equal(Json("""[{"mail":"X@Y.com"}]"""), Field("""{"@arrayPath": ["$.traits", {"mail": {"@path": "$.email"}}]}"""));
    }

    [Fact]
    public void ArrayPathWithoutAShapeOrOnAScalarReturnsTheRootUnchanged()
    {
        Assert.Equal(Json("""[{"id":"a","price":2}]"""), Field("""{"@arrayPath": ["$.properties.products"]}"""));
        Assert.Equal(Json("""[{"id":"a","price":2}]"""), Field("""{"@arrayPath": ["$.properties.products", {}]}"""));
        Assert.Equal("\"Big-Sale\"", Field("""{"@arrayPath": ["$.properties.tag", {"x": {"@path": "$.y"}}]}"""));
        Assert.Null(Field("""{"@arrayPath": ["$.properties.missing", {"x": {"@path": "$.y"}}]}"""));
    }

    [Fact]
    public void ArrayPathAcceptsADirectiveAsRootAndADirectiveAsShape()
    {
        Assert.Equal(Json("""["a"]"""), Field("""{"@arrayPath": [{"@path": "$.properties.products"}, {"@path": "$.id"}]}"""));
    }

    [Fact]
    public void ArrayPathRefusesAnythingButAPathAndAnObjectShape()
    {
        Assert.StartsWith("/v/@arrayPath: @arrayPath takes an array", Assert.Single(Errors("""{"v": {"@arrayPath": "$.properties.products"}}""")), StringComparison.Ordinal);
        Assert.StartsWith("/v/@arrayPath/0: The first item of @arrayPath", Assert.Single(Errors("""{"v": {"@arrayPath": [5]}}""")), StringComparison.Ordinal);
        Assert.StartsWith("/v/@arrayPath/1: The item shape of @arrayPath", Assert.Single(Errors("""{"v": {"@arrayPath": ["$.a", "$.b"]}}""")), StringComparison.Ordinal);
        Assert.Equal("/v/@arrayPath/1/id/@paht: @paht is not a directive. The directives are @path, @template, @literal, @if, @case, @replace, @arrayPath, @flatten, @json, @merge, @transform, @excludeWhenNull.",
            Assert.Single(Errors("""{"v": {"@arrayPath": ["$.a", {"id": {"@paht": "$.id"}}]}}""")));
    }

    [Fact]
    public void FlattenJoinsNestedKeysWithTheSeparator()
    {
        Assert.Equal(
            Json("""{"total":12.5,"products_0_id":"a","products_0_price":2,"tag":"Big-Sale"}"""),
            Field("""{"@flatten": {"value": {"@path": "$.properties"}, "separator": "_"}}""", """{"properties": {"total": 12.5, "products": [{"id": "a", "price": 2}], "tag": "Big-Sale"}}"""));
    }

    [Fact]
    public void FlattenKeepsArraysWhenAskedAndDropsEmptyObjects()
    {
        var @event = """{"properties": {"tags": ["a", "b"], "address": {"city": "Paris", "geo": {}}, "none": null}}""";

        Assert.Equal(
            Json("""{"tags":["a","b"],"address.city":"Paris","none":null}"""),
            Field("""{"@flatten": {"value": {"@path": "$.properties"}, "separator": ".", "omitArrays": true}}""", @event));
    }

    [Fact]
    public void FlattenOfAPlainValueUsesAnEmptyKeyAndOfAMissingValueGivesAnEmptyObject()
    {
        Assert.Equal(Json("""{"":"Big-Sale"}"""), Field("""{"@flatten": {"value": {"@path": "$.properties.tag"}, "separator": "."}}"""));
        Assert.Equal("{}", Field("""{"@flatten": {"value": {"@path": "$.missing"}, "separator": "."}}"""));
    }

    [Fact]
    public void FlattenNeedsASeparator()
    {
        Assert.StartsWith("/v/@flatten: @flatten needs a \"separator\"", Assert.Single(Errors("""{"v": {"@flatten": {"value": {"@path": "$.properties"}}}}""")), StringComparison.Ordinal);
        Assert.StartsWith("/v/@flatten/separator: ", Assert.Single(Errors("""{"v": {"@flatten": {"value": {"@path": "$.properties"}, "separator": ""}}}""")), StringComparison.Ordinal);
    }

    [Fact]
    public void MergeRightLetsLaterObjectsWin()
    {
        Assert.Equal(
            Json("""{"plan":"pro","email":"a@b.com"}"""),
            Field("""{"@merge": {"objects": [{"plan": "free"}, {"@path": "$.traits"}], "direction": "right"}}""", """{"traits": {"plan": "pro", "email": "a@b.com"}}"""));
        Assert.Equal(
            Json("""{"plan":"free","email":"a@b.com"}"""),
            Field("""{"@merge": {"objects": [{"plan": "free"}, {"@path": "$.traits"}], "direction": "right"}}""", """{"traits": {"email": "a@b.com"}}"""));
    }

    [Fact]
    public void MergeLeftLetsEarlierObjectsWin()
    {
        Assert.Equal(
            Json("""{"plan":"free","email":"a@b.com"}"""),
            Field("""{"@merge": {"objects": [{"plan": "free"}, {"@path": "$.traits"}], "direction": "left"}}""", """{"traits": {"plan": "pro", "email": "a@b.com"}}"""));
    }

    [Fact]
    public void MergeIgnoresMissingObjectsAndAMissingMemberRemovesAnEarlierKey()
    {
        Assert.Equal(
            Json("""{"a":1}"""),
            Field("""{"@merge": {"objects": [{"@path": "$.properties"}, {"@path": "$.missing"}, {"b": {"@path": "$.missing"}}], "direction": "right"}}""", """{"properties": {"a": 1, "b": 2}}"""));
    }

    [Fact]
    public void MergeNeedsADirectionAndAnArrayOfObjects()
    {
        Assert.StartsWith("/v/@merge: @merge needs a \"direction\"", Assert.Single(Errors("""{"v": {"@merge": {"objects": []}}}""")), StringComparison.Ordinal);
        Assert.StartsWith("/v/@merge/objects: ", Assert.Single(Errors("""{"v": {"@merge": {"objects": {"a": 1}, "direction": "right"}}}""")), StringComparison.Ordinal);
        Assert.StartsWith("/v/@merge/objects/1: Each entry of @merge", Assert.Single(Errors("""{"v": {"@merge": {"objects": [{}, "x"], "direction": "right"}}}""")), StringComparison.Ordinal);
    }

    [Fact]
    public void JsonEncodeWritesJavaScriptJsonText()
    {
        Assert.Equal(Json("\"[{\\\"id\\\":\\\"a\\\",\\\"price\\\":2}]\""), Field("""{"@json": {"mode": "encode", "value": {"@path": "$.properties.products"}}}"""));
        Assert.Equal(Json("\"{\\\"a\\\":1.5,\\\"b\\\":\\\"x\\\\ny\\\"}\""), Field("""{"@json": {"mode": "encode", "value": {"a": 1.50, "b": {"@template": "x\ny"}, "c": {"@path": "$.missing"}}}}"""));
        Assert.Null(Field("""{"@json": {"mode": "encode", "value": {"@path": "$.missing"}}}"""));
    }

    [Fact]
    public void JsonDecodeParsesTextAndKeepsTextThatIsNotJson()
    {
        var @event = """{"properties": {"good": "{\"a\":[1,2]}", "bad": "{oops", "number": 5}}""";

        Assert.Equal(Json("""{"a":[1,2]}"""), Field("""{"@json": {"mode": "decode", "value": {"@path": "$.properties.good"}}}""", @event));
        Assert.Equal("\"{oops\"", Field("""{"@json": {"mode": "decode", "value": {"@path": "$.properties.bad"}}}""", @event));
        Assert.Equal("5", Field("""{"@json": {"mode": "decode", "value": {"@path": "$.properties.number"}}}""", @event));
    }

    [Fact]
    public void JsonNeedsAModeAndATruthyValue()
    {
        Assert.StartsWith("/v/@json/mode: @json needs a \"mode\"", Assert.Single(Errors("""{"v": {"@json": {"mode": "pack", "value": {"@path": "$.a"}}}}""")), StringComparison.Ordinal);
        Assert.StartsWith("/v/@json/value: @json needs a \"value\"", Assert.Single(Errors("""{"v": {"@json": {"mode": "encode", "value": false}}}""")), StringComparison.Ordinal);
    }

    [Fact]
    public void LiteralPassesAValueAndStillResolvesDirectivesInside()
    {
        Assert.Equal("true", Field("""{"@literal": true}"""));
        Assert.Equal("\"{{not a template}}\"", Field("""{"@literal": "{{not a template}}"}"""));
        Assert.Equal(Json("""{"id":"u1"}"""), Field("""{"@literal": {"id": {"@path": "$.userId"}}}"""));
    }

    [Fact]
    public void ExcludeWhenNullLeavesOutANullValueAndNullMembersAtEveryDepth()
    {
        var @event = """{"properties": {"a": null, "b": {"c": null, "d": 1}, "list": [{"e": null, "f": 2}, null]}}""";

        Assert.Null(Field("""{"@excludeWhenNull": {"@path": "$.properties.a"}}""", @event));
        Assert.Equal(Json("""{"b":{"d":1},"list":[{"f":2},null]}"""), Field("""{"@excludeWhenNull": {"@path": "$.properties"}}""", @event));
        Assert.Equal("0", Field("""{"@excludeWhenNull": {"@path": "$.properties.zero"}}"""));
    }

    [Fact]
    public void TransformResolvesItsMappingAgainstTheResultOfApply()
    {
        const string Directive = """
            {"@transform": {
              "apply": {"who": {"@if": {"exists": {"@path": "$.userId"}, "then": {"@path": "$.userId"}, "else": {"@path": "$.anonymousId"}}}, "gone": {"@path": "$.missing"}},
              "mapping": {"label": {"@template": "user {{who}}"}, "had": {"@path": "$.gone"}}}}
            """;

        Assert.Equal(Json("""{"label":"user u1"}"""), Field(Directive));
    }

    [Fact]
    public void TransformNeedsAnObjectToApplyAndAMapping()
    {
        Assert.StartsWith("/v/@transform/apply: @transform needs \"apply\"", Assert.Single(Errors("""{"v": {"@transform": {"apply": "x", "mapping": {"a": 1}}}}""")), StringComparison.Ordinal);
        Assert.StartsWith("/v/@transform: @transform needs \"mapping\"", Assert.Single(Errors("""{"v": {"@transform": {"apply": {}}}}""")), StringComparison.Ordinal);
    }
}
