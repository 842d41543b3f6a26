using Junction.Subscriptions;
using static Junction.Core.Tests.Subscriptions.TriggerTestHelpers;

namespace Junction.Core.Tests.Subscriptions;

/// <summary>
/// The rows of the table of triggers run against Segment's published subscription packages
/// (shared reference, destinations Part C.5): each accepted row matches as it does for Segment, and each row where
/// Segment reads the text surprisingly is refused with the problem and its column.
/// </summary>
public sealed class SegmentTriggerVectorsTests
{
    [Fact]
    public void TypeTrackMatchesATrackCall() =>
        Assert.True(Matches("type = \"track\"", """{"type":"track"}"""));

    [Fact]
    public void TrackAndEventNotOrderCompletedSkipsOrderCompleted() =>
        Assert.False(Matches("type = \"track\" and event != \"Order Completed\"", """{"type":"track","event":"Order Completed"}"""));

    [Fact]
    public void TrackOrPageMatchesAPageCall() =>
        Assert.True(Matches("type = \"track\" or type = \"page\"", """{"type":"page"}"""));

    [Fact]
    public void MixingAndWithOrWithoutParenthesesIsRefusedAtTheSecondConditional()
    {
        // Segment reads the whole level as `or` (so track "C" matches there); Junction refuses rather than guess.
        var error = Refused("event = \"A\" and event = \"B\" or type = \"track\"");

        Assert.Equal("mixed_and_or", error.Code);
        Assert.Equal(29, error.Column);
        Assert.Contains("parentheses", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParenthesesSayWhichMeaningOfAMixedLevelIsMeant()
    {
        const string TrackC = """{"type":"track","event":"C"}""";

        Assert.True(Matches("(event = \"A\" and event = \"B\") or type = \"track\"", TrackC));
        Assert.True(Matches("event = \"A\" or event = \"B\" or type = \"track\"", TrackC));
        Assert.False(Matches("event = \"A\" and (event = \"B\" or type = \"track\")", TrackC));
    }

    [Fact]
    public void AParenthesisedOrGroupAndedWithTypeMatchesTrackB() =>
        Assert.True(Matches("(event = \"A\" or event = \"B\") and type = \"track\"", """{"type":"track","event":"B"}"""));

    [Fact]
    public void GreaterThanDoesNotMatchANumberSentAsAString() =>
        Assert.False(Matches("properties.total > 100", """{"properties":{"total":"150"}}"""));

    [Fact]
    public void EqualsWithABareNumberIsANumberComparison()
    {
        var trigger = Compile("properties.total = 5");

        Assert.Equal(All(Number(TriggerField.Properties, "total", TriggerOperator.NumberEqualTo, 5)), trigger.Tree);
        Assert.True(Matches("properties.total = 5", """{"properties":{"total":5}}"""));
    }

    [Fact]
    public void EqualsWithAQuotedNumberIsAStrictTextComparison() =>
        Assert.False(Matches("properties.total = \"5\"", """{"properties":{"total":5}}"""));

    [Fact]
    public void NotNullDoesNotMatchAMissingProperty() =>
        Assert.False(Matches("properties.plan != null", """{"properties":{}}"""));

    [Fact]
    public void UserIdEqualsNullMatchesAnAnonymousEvent() =>
        Assert.True(Matches("userId = null", """{"type":"track","anonymousId":"a1"}"""));

    [Fact]
    public void ContainsFindsTextInAContextPath() =>
        Assert.True(Matches("contains(context.page.url, \"checkout\")", """{"context":{"page":{"url":"https://shop.example/checkout/2"}}}"""));

    [Fact]
    public void MatchWithATrailingStarIsAPrefixTest() =>
        Assert.True(Matches("match(event, \"Order*\")", """{"event":"Order Refunded"}"""));

    [Fact]
    public void NotContainsDoesNotMatchAMissingEvent() =>
        Assert.False(Matches("!contains(event, \"Test\")", """{"type":"identify"}"""));

    [Fact]
    public void AnUnknownFieldAloneIsRefused()
    {
        // Segment drops the condition, is left with nothing and never matches.
        var error = Refused("messageId = \"x\"");

        Assert.Equal("unknown_field", error.Code);
        Assert.Equal(1, error.Column);
        Assert.Contains("messageId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownFieldBesideAKnownOneIsRefusedRatherThanDropped()
    {
        // Segment drops `messageId = "x"` silently and then matches every track call.
        var error = Refused("type = \"track\" and messageId = \"x\"");

        Assert.Equal("unknown_field", error.Code);
        Assert.Equal(20, error.Column);
    }

    [Fact]
    public void AFunctionCallFollowedByMoreConditionsInsideParenthesesIsRefused()
    {
        // Segment ends the group at the `)` of contains(...) and ORs all three conditions: track "zzz" matches there.
        var error = Refused("type = \"track\" and (contains(event, \"a\") or event = \"b\")");

        Assert.Equal("function_in_group", error.Code);
        Assert.Equal(21, error.Column);
    }

    [Fact]
    public void AFunctionCallAsTheLastConditionOfAGroupMeansWhatItSays()
    {
        // Here Segment's group also ends at the call's `)`, which is where the group ends anyway.
        const string Trigger = "type = \"track\" and (event = \"b\" or contains(event, \"a\"))";

        Assert.False(Matches(Trigger, """{"type":"track","event":"zzz"}"""));
        Assert.True(Matches(Trigger, """{"type":"track","event":"b"}"""));
        Assert.True(Matches(Trigger, """{"type":"track","event":"cat"}"""));
        Assert.False(Matches(Trigger, """{"type":"page","event":"b"}"""));
    }

    [Fact]
    public void TraitsMeansTopLevelTraitsNotContextTraits()
    {
        Assert.False(Matches("traits.email != null", """{"type":"track","context":{"traits":{"email":"a@b.c"}}}"""));
        Assert.True(Matches("context.traits.email != null", """{"type":"track","context":{"traits":{"email":"a@b.c"}}}"""));
        Assert.True(Matches("traits.email != null", """{"type":"identify","traits":{"email":"a@b.c"}}"""));
    }

    [Fact]
    public void AnUnterminatedStringIsRefusedAtItsOpeningQuote()
    {
        var error = Refused("event = \"Foo");

        Assert.Equal("unterminated_string", error.Code);
        Assert.Equal(9, error.Column);
    }

    [Fact]
    public void IterablesDoubleEqualsDefaultIsRefusedWithTheFix()
    {
        // Segment lexes `==` as two `=`, compares event with the text "=" and never matches.
        var error = Refused("type = \"track\" and event == \"Order Completed\"");

        Assert.Equal("double_equals", error.Code);
        Assert.Equal(26, error.Column);
        Assert.Contains("single `=`", error.Message, StringComparison.Ordinal);
        Assert.True(Matches("type = \"track\" and event = \"Order Completed\"", """{"type":"track","event":"Order Completed"}"""));
    }

    [Fact]
    public void KlaviyosCapitalisedTypeDefaultIsRefusedBecauseItCanNeverMatch()
    {
        var error = Refused("type = \"Identify\"");

        Assert.Equal("unknown_event_type", error.Code);
        Assert.Equal(1, error.Column);
        Assert.Contains("lower case", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhitespaceBetweenTokensIsInsignificant() =>
        Assert.True(Matches("event =  \"Product Viewed\"", """{"type":"track","event":"Product Viewed"}"""));
}
