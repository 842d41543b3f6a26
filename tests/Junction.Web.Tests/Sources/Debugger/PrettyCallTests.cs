using System.Text;
using System.Text.Json;
using Junction.Events;
using Junction.Web.Sources.Debugger;

namespace Junction.Web.Tests.Sources.Debugger;

/// <summary>The Pretty view's reconstruction of the library call behind an event.</summary>
public sealed class PrettyCallTests
{
    [Fact]
    public void ABrowserTrackIsWrittenAsAnalyticsJsCallsIt() =>
        Assert.Equal(
            """analytics.track("Order Completed", { revenue: 42.5, currency: "EUR" })""",
            Browser("""{"type":"track","event":"Order Completed","properties":{"revenue":42.5,"currency":"EUR"}}"""));

    [Fact]
    public void ABrowserTrackWithoutPropertiesHasOnlyItsName() =>
        Assert.Equal(
            """analytics.track("Signed Up")""",
            Browser("""{"type":"track","event":"Signed Up","properties":{}}"""));

    [Fact]
    public void ABrowserIdentifyHasTheUserIdThenTheTraits() =>
        Assert.Equal(
            """analytics.identify("user-1", { email: "ada@example.com", plan: "pro" })""",
            Browser("""{"type":"identify","userId":"user-1","anonymousId":"a-1","traits":{"email":"ada@example.com","plan":"pro"}}"""));

    [Fact]
    public void AnAnonymousBrowserIdentifyHasOnlyTheTraits() =>
        Assert.Equal(
            """analytics.identify({ plan: "pro" })""",
            Browser("""{"type":"identify","userId":null,"anonymousId":"a-1","traits":{"plan":"pro"}}"""));

    [Fact]
    public void ABrowserPageHasCategoryNameAndTheOtherProperties() =>
        Assert.Equal(
            """analytics.page("Docs", "Install", { path: "/docs/install" })""",
            Browser("""
                {"type":"page","category":"Docs","name":"Install",
                 "properties":{"name":"Install","category":"Docs","path":"/docs/install"}}
                """));

    [Fact]
    public void ABrowserPageWithOnlyANameHasTheNameFirst() =>
        Assert.Equal(
            """analytics.page("Pricing")""",
            Browser("""{"type":"page","name":"Pricing","properties":{"name":"Pricing"}}"""));

    [Fact]
    public void TheSnippetsPageCallShowsThePropertiesAnalyticsJsCollected() =>
        Assert.Equal(
            """
            analytics.page({
              path: "/checkout",
              referrer: "",
              search: "?coupon=spring",
              title: "Checkout",
              url: "http://localhost:5000/checkout?coupon=spring"
            })
            """,
            Browser("""
                {"type":"page","properties":{"path":"/checkout","referrer":"","search":"?coupon=spring","title":"Checkout",
                 "url":"http://localhost:5000/checkout?coupon=spring"}}
                """));

    [Fact]
    public void ABrowserScreenIsWrittenLikeAPage() =>
        Assert.Equal(
            """analytics.screen("Checkout", { step: 2 })""",
            Browser("""{"type":"screen","name":"Checkout","properties":{"step":2}}"""));

    [Fact]
    public void ABrowserGroupHasTheGroupIdThenTheTraits() =>
        Assert.Equal(
            """analytics.group("acme", { name: "Acme Inc", employees: 42 })""",
            Browser("""{"type":"group","groupId":"acme","userId":"u1","traits":{"name":"Acme Inc","employees":42}}"""));

    [Fact]
    public void ABrowserAliasHasTheNewIdThenThePreviousOne() =>
        Assert.Equal(
            """analytics.alias("new-id", "old-id")""",
            Browser("""{"type":"alias","userId":"new-id","previousId":"old-id"}"""));

    [Fact]
    public void AnAnalyticsNextLibraryNameIsABrowserToo() =>
        Assert.Equal(
            """analytics.track("Clicked")""",
            Render("""{"type":"track","event":"Clicked","context":{"library":{"name":"analytics-next","version":"1"}}}"""));

    [Fact]
    public void AServerTrackIsWrittenInTheObjectForm() =>
        Assert.Equal(
            """
            analytics.track({
              userId: "u1",
              event: "Order Completed",
              properties: { revenue: 42.5 }
            })
            """,
            Server("""{"type":"track","userId":"u1","event":"Order Completed","properties":{"revenue":42.5}}"""));

    [Fact]
    public void AServerCallTooLongForOneLineTakesALinePerField() =>
        Assert.Equal(
            """
            analytics.identify({
              userId: "user-1",
              anonymousId: "3f0a2c4e-1d7b-4d8e-9a51-2b6c0e7f9a13",
              traits: { email: "ada@example.com", name: "Ada Lovelace", plan: "pro" }
            })
            """,
            Server("""
                {"type":"identify","userId":"user-1","anonymousId":"3f0a2c4e-1d7b-4d8e-9a51-2b6c0e7f9a13",
                 "traits":{"email":"ada@example.com","name":"Ada Lovelace","plan":"pro"}}
                """));

    [Fact]
    public void EveryServerCallTypeHasItsOwnFields()
    {
        Assert.Equal(
            """analytics.page({ userId: "u1", category: "Docs", name: "Install" })""",
            Server("""{"type":"page","userId":"u1","category":"Docs","name":"Install","properties":{"category":"Docs","name":"Install"}}"""));
        Assert.Equal(
            """analytics.page({ anonymousId: "a1", properties: { path: "/docs" } })""",
            Server("""{"type":"page","anonymousId":"a1","properties":{"path":"/docs"}}"""));
        Assert.Equal(
            """analytics.screen({ anonymousId: "a1", name: "Home" })""",
            Server("""{"type":"screen","anonymousId":"a1","name":"Home"}"""));
        Assert.Equal(
            """analytics.group({ userId: "u1", groupId: "acme", traits: { plan: "team" } })""",
            Server("""{"type":"group","userId":"u1","groupId":"acme","traits":{"plan":"team"}}"""));
        Assert.Equal(
            """analytics.alias({ userId: "new-id", previousId: "old-id" })""",
            Server("""{"type":"alias","userId":"new-id","previousId":"old-id"}"""));
    }

    [Fact]
    public void AnEventWithoutALibraryIsWrittenInTheObjectForm() =>
        Assert.Equal(
            """analytics.track({ userId: "u1", event: "Ping" })""",
            Render("""{"type":"track","userId":"u1","event":"Ping"}"""));

    [Fact]
    public void NestedObjectsAndArraysBreakOnlyWhereTheyDoNotFit() =>
        Assert.Equal(
            """
            analytics.track("Order Completed", {
              orderId: "order-42",
              products: [
                { sku: "SKU-1", name: "Ergonomic keyboard", price: 129.99, quantity: 1 },
                {
                  sku: "SKU-2",
                  name: "USB-C cable",
                  price: 9.5,
                  quantity: 3,
                  tags: ["cable", "usb"]
                }
              ],
              shipping: { method: "express", address: { city: "Berlin", zip: "10115" } },
              coupon: null,
              gift: false,
              empty: {},
              none: []
            })
            """,
            Browser("""
                {"type":"track","event":"Order Completed","properties":{"orderId":"order-42","products":[
                  {"sku":"SKU-1","name":"Ergonomic keyboard","price":129.99,"quantity":1},
                  {"sku":"SKU-2","name":"USB-C cable","price":9.5,"quantity":3,"tags":["cable","usb"]}],
                 "shipping":{"method":"express","address":{"city":"Berlin","zip":"10115"}},
                 "coupon":null,"gift":false,"empty":{},"none":[]}}
                """));

    [Fact]
    public void KeysAreUnquotedOnlyWhenTheyAreIdentifiers() =>
        Assert.Equal(
            """analytics.track("K", { $_: 1, a9: 2, "a b": 3, "1st": 4, "a-b": 5, "": 6 })""",
            Browser("""
                {"type":"track","event":"K","properties":{"$_":1,"a9":2,"a b":3,"1st":4,"a-b":5,"":6}}
                """));

    [Fact]
    public void StringsAreEscapedAsJavaScriptNeedsThem() =>
        Assert.Equal(
            """
            analytics.track("Said \"hi\"", {
              path: "C:\\temp",
              lines: "a\nb\tc",
              bell: "\u0007",
              separator: "x\u2028y",
              trick: "abc\u202edef"
            })
            """,
            Browser("""
                {"type":"track","event":"Said \"hi\"","properties":{"path":"C:\\temp","lines":"a\nb\tc","bell":"\u0007",
                 "separator":"x\u2028y","trick":"abc\u202Edef"}}
                """));

    [Fact]
    public void LettersOfEveryScriptAndEmojiStayReadable() =>
        Assert.Equal(
            """
            analytics.identify("usuário-ß", {
              city: "Zürich",
              名前: "東京",
              größe: 42,
              mood: "🎉",
              family: "👩‍👩‍👧"
            })
            """,
            Browser("""
                {"type":"identify","userId":"usu\u00e1rio-\u00df","traits":{"city":"Zürich","名前":"東京","größe":42,"mood":"\ud83c\udf89","family":"👩‍👩‍👧"}}
                """));

    [Fact]
    public void AnUnpairedSurrogateIsKeptEscaped() =>
        Assert.Equal(
            """analytics.track("Broken", { text: "a\ud800b" })""",
            Browser("""{"type":"track","event":"Broken","properties":{"text":"a\ud800b"}}"""));

    [Fact]
    public void NumbersAreWrittenExactlyAsReceived() =>
        Assert.Equal(
            """analytics.track("N", { big: 12345678901234567890, exp: 1e3, neg: -0.5, int: 7 })""",
            Browser("""{"type":"track","event":"N","properties":{"big":12345678901234567890,"exp":1e3,"neg":-0.5,"int":7}}"""));

    [Fact]
    public void TheTypeOfTheEndpointIsUsedWhenTheBodyHasNone() =>
        Assert.Equal(
            """analytics.track({ userId: "u1", event: "Ping" })""",
            PrettyCall.Render(Json("""{"userId":"u1","event":"Ping"}"""), EventType.Track));

    [Fact]
    public void TheTypeJunctionGaveTheEventWinsOverTheBodys() =>
        Assert.Equal(
            """analytics.track({ userId: "u1", event: "Ping" })""",
            PrettyCall.Render(Json("""{"type":"identify","userId":"u1","event":"Ping"}"""), EventType.Track));

    [Fact]
    public void ALibraryNameThatCannotBeReadGivesNoCallRatherThanAnError() =>
        Assert.Null(Render("""{"type":"track","event":"E","context":{"library":{"name":"\ud800"}}}"""));

    [Fact]
    public void ATrackWithoutAnEventNameShowsWhatWasSent()
    {
        Assert.Equal(
            """analytics.track({ userId: "u1", properties: { plan: "pro" } })""",
            PrettyCall.Render(Json("""{"userId":"u1","properties":{"plan":"pro"}}"""), EventType.Track));
        Assert.Equal(
            """analytics.track(undefined, { plan: "pro" })""",
            Browser("""{"type":"track","properties":{"plan":"pro"}}"""));
    }

    [Fact]
    public void WhatIsNotAJsonEventHasNoCall()
    {
        Assert.Null(PrettyCall.Render(Json("""["track"]""")));
        Assert.Null(PrettyCall.Render(Json("""{"event":"Typeless"}""")));
        Assert.Null(PrettyCall.Render(Encoding.UTF8.GetBytes("{not json"), EventType.Track));
        Assert.Null(PrettyCall.Render(ReadOnlyMemory<byte>.Empty, EventType.Track));
    }

    private static string? Render(string json) => PrettyCall.Render(Encoding.UTF8.GetBytes(json));

    private static string? Browser(string json) => WithContext(json, """{"library":{"name":"analytics.js","version":"next-1.84.3"}}""");

    private static string? Server(string json) => WithContext(json, """{"library":{"name":"@segment/analytics-node","version":"3.1.0"}}""");

    // The context goes in as text, so the event's own bytes (escapes, unpaired surrogates) reach the renderer unchanged.
    private static string? WithContext(string json, string context) =>
        Render(json.Insert(json.LastIndexOf('}'), ",\"context\":" + context));

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
