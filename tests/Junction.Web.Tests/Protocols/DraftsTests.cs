using Junction.Protocols.Controls;
using Junction.Protocols.Transformations;
using Junction.Web.Protocols.Transformations;
using Junction.Web.Sources.Schema;

namespace Junction.Web.Tests.Protocols;

/// <summary>The Schema configuration form's switches in Segment's words, and the transformation form's preview.</summary>
public sealed class DraftsTests
{
    private const string Sample = """
        {"type":"track","event":"order_done","userId":"u1","properties":{"orderId":"o-1","email":"Jane@Example.com","total":42}}
        """;

    [Fact]
    public void EachSwitchSaysWhatItDoesAndTurnsOffTheMatchingAllowControl()
    {
        var draft = SchemaSettingsDraft.From(SourceSchemaSettings.Default);
        Assert.False(draft.BlockEventsWithViolations || draft.BlockUnplannedEvents || draft.OmitUnplannedProperties || draft.OmitPropertiesWithViolations);

        draft.BlockEventsWithViolations = true;
        draft.Identify.OmitUnplannedTraits = true;
        draft.ForwardBlockedTo = "src_quarantine";
        var settings = draft.ToSettings();

        Assert.Equal(new TrackControls(AllowEventOnViolations: false), settings.Track);
        Assert.Equal(new TraitsControls(AllowUnplannedTraits: false), settings.Identify);
        Assert.Equal(("src_quarantine", (string?)null), (settings.ForwardingBlockedEventsTo, settings.ForwardingViolationsTo));
        var changes = draft.ToChanges();
        Assert.False(changes.Track!.AllowEventOnViolations);
        Assert.Null(changes.ForwardingViolationsTo!.SourceId);
        Assert.Equal(settings, SchemaSettingsDraft.From(settings).ToSettings());
    }

    [Fact]
    public void ThePreviewRenamesTheEventAndItsPropertiesAndSetsValues()
    {
        var draft = new TransformationDraft { Name = "Fix orders", SourceId = "src_1", If = "event = 'order_done'", NewEventName = "Order Completed" };
        draft.Renames.Add(new RenameDraft { OldName = "orderId", NewName = "order_id" });
        draft.Values.Add(new ValueDraft { Paths = "properties.currency", Value = "EUR" });
        draft.Renames.Add(new RenameDraft());

        var preview = draft.Preview(Sample);

        Assert.Null(preview.Problem);
        Assert.Equal(TransformOutcome.Changed, preview.Outcome);
        Assert.Contains("\"event\": \"Order Completed\"", preview.Event, StringComparison.Ordinal);
        Assert.Contains("\"order_id\": \"o-1\"", preview.Event, StringComparison.Ordinal);
        Assert.Contains("\"currency\": \"EUR\"", preview.Event, StringComparison.Ordinal);
        Assert.Single(draft.ToNew().PropertyRenames!);
    }

    [Fact]
    public void ThePreviewSetsAPropertyFromFql()
    {
        var draft = new TransformationDraft { Name = "Lower emails", SourceId = "src_1", If = "type = 'track'" };
        draft.FqlProperties.Add(new FqlPropertyDraft { Fql = "lowercase(properties.email)", PropertyName = "properties.email" });

        var preview = draft.Preview(Sample);

        Assert.Equal(TransformOutcome.Changed, preview.Outcome);
        Assert.Contains("\"email\": \"jane@example.com\"", preview.Event, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEventTheConditionDoesNotMatchIsLeftAsItIs()
    {
        var draft = new TransformationDraft { Name = "Fix", SourceId = "src_1", If = "event = 'Something Else'", NewEventName = "Renamed", Enabled = false };

        var preview = draft.Preview(Sample);

        Assert.Equal(TransformOutcome.Skipped, preview.Outcome);
        Assert.Contains("\"event\": \"order_done\"", preview.Event, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadConditionOrSampleIsExplainedInsteadOfPreviewed()
    {
        var draft = new TransformationDraft { Name = "Fix", SourceId = "src_1", If = "event = ", NewEventName = "Renamed" };
        Assert.NotNull(draft.Preview(Sample).Problem);
        Assert.Null(draft.Preview(Sample).Outcome);

        draft.If = "all";
        Assert.StartsWith("The sample event is not valid JSON", draft.Preview("{ nope").Problem, StringComparison.Ordinal);
        Assert.Equal("The sample event must be a JSON object.", draft.Preview("[1]").Problem);
    }
}
