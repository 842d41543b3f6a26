using Bunit;
using Junction.Protocols.ControlPlane;
using Junction.Protocols.Observation;
using Junction.Protocols.Plans;
using Junction.Testing;
using Junction.Web.Sources.Schema;
using Junction.Workspace;
using Junction.Workspace.Sources;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Web.Tests.Protocols;

/// <summary>
/// A source's Schema tab in its frame against a whole Junction: the events the source sent through the Tracking API
/// and the processor, blocking and archiving, the violations of a connected plan with their samples, the schema
/// configuration, and what a reader and a member without access see.
/// </summary>
public sealed class SchemaTabTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = ProtocolsWorkspace.Patience;
    private ProtocolsWorkspace? _workspace;

    [Fact]
    public async Task TheSchemaListsWhatTheSourceSentWithPropertyTypesAndNamingFixes()
    {
        var workspace = await StartAsync();
        await workspace.TrackAsync("Order Completed", new { order_id = "o-1", itemPrice = 3.5 });
        await workspace.TrackAsync("signup_clicked", new { plan = "pro" });
        await workspace.ObservedAsync("signup_clicked");

        var tab = workspace.RenderSourceTab<SchemaEvents>(workspace.Owner);

        tab.WaitForAssertion(() => Assert.Equal(2, tab.FindAll("[data-test=schema-event]").Count), Patience);
        var signup = tab.Find("[data-test=schema-event][data-name=signup_clicked]");
        Assert.Contains("Suggested: Signup Clicked", signup.QuerySelector("[data-test=event-finding]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("1", tab.Find("[data-test=schema-event][data-name='Order Completed'] [data-test=event-volume]").TextContent.Trim());
        Assert.Contains("No tracking plan is connected", tab.Find("[data-test=schema-plan]").TextContent, StringComparison.Ordinal);

        tab.Find("[data-test=schema-event][data-name='Order Completed'] [data-test=event-toggle]").Click();
        Assert.Equal("number", tab.Find("[data-test=schema-property][data-path='properties.itemPrice'] [data-test=property-types]").TextContent.Trim());
        Assert.Contains("properties.item_price", tab.Find("[data-test=schema-property][data-path='properties.itemPrice'] [data-test=property-finding]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Follows the convention", tab.Find("[data-test=schema-property][data-path='properties.order_id'] [data-test=property-finding]").TextContent, StringComparison.Ordinal);

        var csv = Uri.UnescapeDataString(tab.Find("[data-test=export-csv]").GetAttribute("href")!["data:text/csv;charset=utf-8,".Length..]);
        Assert.Contains("track,Order Completed,properties.itemPrice,number,", csv, StringComparison.Ordinal);

        tab.Find("input[data-test=schema-search]").Input("itemprice");
        tab.WaitForAssertion(() => Assert.Equal(["Order Completed"], tab.FindAll("[data-test=schema-event]").Select(r => r.GetAttribute("data-name"))), Patience);
    }

    [Fact]
    public async Task ABlockedEventIsDroppedAndCountedAndAnArchivedOneHidesUntilAskedFor()
    {
        var workspace = await StartAsync();
        await workspace.TrackAsync("Spam Sent", new { body = "x" });
        await workspace.TrackAsync("Order Completed", new { order_id = "o-1" });
        await workspace.ObservedAsync("Order Completed");
        var tab = workspace.RenderSourceTab<SchemaEvents>(workspace.Owner);
        tab.WaitForAssertion(() => Assert.Equal(2, tab.FindAll("[data-test=schema-event]").Count), Patience);

        tab.Find("[data-test=schema-event][data-name='Spam Sent'] [data-test=event-block]").Click();
        tab.WaitForAssertion(() => Assert.Contains("Blocked", tab.Find("[data-test=schema-event][data-name='Spam Sent'] [data-test=event-status]").TextContent, StringComparison.Ordinal), Patience);
        Assert.True((await Listed(workspace)).Single(e => e.Name == "Spam Sent").IsBlocked);

        await workspace.TrackAsync("Spam Sent", new { body = "y" });
        await Eventually.TrueAsync(async () => (await Listed(workspace)).Single(e => e.Name == "Spam Sent").Blocked30Days == 1, Patience, "the blocked event counted");
        tab.Find("[data-test=refresh]").Click();
        tab.WaitForAssertion(() => Assert.Equal("1", tab.Find("[data-test=schema-event][data-name='Spam Sent'] [data-test=event-blocked]").TextContent.Trim()), Patience);
        Assert.Contains("Blocked on the source's Schema tab", tab.Find("[data-test=blocked-reason][data-reason=event_setting]").TextContent, StringComparison.Ordinal);

        tab.Find("[data-test=schema-event][data-name='Spam Sent'] [data-test=event-archive]").Click();
        tab.WaitForAssertion(() => Assert.Equal(["Order Completed"], tab.FindAll("[data-test=schema-event]").Select(r => r.GetAttribute("data-name"))), Patience);
        tab.Find("input[data-test=show-archived]").Change(true);
        tab.WaitForAssertion(() => Assert.Contains("Archived", tab.Find("[data-test=schema-event][data-name='Spam Sent'] [data-test=event-status]").TextContent, StringComparison.Ordinal), Patience);
    }

    [Fact]
    public async Task BlockingAPropertyRemovesItFromLaterEvents()
    {
        var workspace = await StartAsync();
        await workspace.TrackAsync("Signed Up", new { email = "a@example.com", plan = "pro" });
        await workspace.ObservedAsync("Signed Up");
        var tab = workspace.RenderSourceTab<SchemaEvents>(workspace.Owner);
        tab.WaitForAssertion(() => tab.Find("[data-test=schema-event][data-name='Signed Up'] [data-test=event-toggle]").Click(), Patience);

        tab.Find("[data-test=schema-property][data-path='properties.email'] [data-test=property-block]").Click();

        tab.WaitForAssertion(() => Assert.Contains("Blocked", tab.Find("[data-test=schema-property][data-path='properties.email']").TextContent, StringComparison.Ordinal), Patience);
        Assert.True((await Listed(workspace)).Single(e => e.Name == "Signed Up").Properties.Single(p => p.Path == "properties.email").IsBlocked);
        Assert.Contains("Allow properties.email on Signed Up", tab.Find("[data-test=schema-property][data-path='properties.email'] [data-test=property-block]").OuterHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReaderSeesTheSchemaWithoutActionsAndAMemberWithoutAccessIsRefused()
    {
        var workspace = await StartAsync();
        await workspace.TrackAsync("Order Completed", new { order_id = "o-1" });
        await workspace.ObservedAsync("Order Completed");

        var reader = workspace.RenderSourceTab<SchemaEvents>(workspace.Reader);
        reader.WaitForAssertion(() => Assert.Single(reader.FindAll("[data-test=schema-event]")), Patience);
        Assert.Empty(reader.FindAll("[data-test=event-block]"));
        Assert.Empty(reader.FindAll("[data-test=event-archive]"));

        var source = (await workspace.RunAsync<SourceService, Outcome<SourceView>>(s => s.FindAsync(workspace.Owner.Principal, workspace.SourceId, CancellationToken.None))).Value!;
        var stranger = workspace.RenderPage<SchemaEvents>(workspace.Stranger, p => p.AddCascadingValue(source));
        stranger.WaitForAssertion(() => Assert.Contains("not available to you", stranger.Find("[data-test=schema-unavailable]").TextContent, StringComparison.Ordinal), Patience);
        Assert.DoesNotContain("Order Completed", stranger.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAPlanConnectedEachPropertyIsShownPlannedOrUnplanned()
    {
        var workspace = await StartAsync();
        await workspace.TrackAsync("Order Completed", new { order_id = "o-1", revenue = 5 });
        await workspace.ObservedAsync("Order Completed");
        await workspace.PlanFromSchemaAsync();
        await workspace.TrackAsync("Order Completed", new { order_id = "o-2", coupon = "WINTER" });
        await Eventually.TrueAsync(
            async () => (await workspace.RunAsync<SchemaInventory, IReadOnlyList<ObservedEvent>>(i => i.ListAsync(workspace.SourceId, CancellationToken.None)))
                .Single(e => e.Name == "Order Completed").Properties.Any(p => p.Path == "properties.coupon"),
            Patience, "the coupon property observed");

        var tab = workspace.RenderSourceTab<SchemaEvents>(workspace.Owner);
        tab.WaitForAssertion(() => tab.Find("[data-test=schema-event][data-name='Order Completed'] [data-test=event-toggle]").Click(), Patience);

        string Status(string path) => tab.Find($"[data-test=schema-property][data-path='{path}'] [data-test=property-planned]").TextContent.Trim();
        tab.WaitForAssertion(() => Assert.Equal("Unplanned", Status("properties.coupon")), Patience);
        Assert.Equal(("Planned", "Planned"), (Status("properties.order_id"), Status("properties.revenue")));
        Assert.Contains("Planned", tab.Find("[data-test=schema-event][data-name='Order Completed'] [data-test=event-status]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ViolationsAreGroupedByEventWithTheirCountsAndSampleEvents()
    {
        var workspace = await StartAsync();
        await workspace.TrackAsync("Order Completed", new { order_id = "o-1", revenue = 5 });
        await workspace.ObservedAsync("Order Completed");
        var planId = await workspace.PlanFromSchemaAsync();
        await RequireOrderIdAsync(workspace, planId);
        await workspace.TrackAsync("Order Completed", new { revenue = 6 });
        await workspace.TrackAsync("Order Completed", new { revenue = 7 });

        var tab = workspace.RenderSourceTab<ViolationsView>(workspace.Owner);
        await Eventually.TrueAsync(() =>
        {
            tab.Find("[data-test=refresh]").Click();
            return Task.FromResult(tab.FindAll("[data-test=violation-event] [data-test=count-1h]").Any(c => c.TextContent.Trim() == "2"));
        }, Patience, "two violations on the Violations view");

        var row = tab.Find("[data-test=violation-event][data-name='Order Completed']");
        Assert.Equal(("2", "2"), (row.QuerySelector("[data-test=count-24h]")!.TextContent.Trim(), row.QuerySelector("[data-test=count-7d]")!.TextContent.Trim()));
        Assert.Contains("properties.order_id", row.QuerySelector("[data-test=violation-line][data-type=Required]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Shop plan", tab.Markup, StringComparison.Ordinal);

        tab.Find("[data-test=violation-toggle]").Click();
        tab.WaitForAssertion(() => Assert.Equal(2, tab.FindAll("[data-test=violation-sample]").Count), Patience);
        Assert.Contains("\"revenue\": 7", tab.FindAll("[data-test=violation-sample]")[0].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSchemaConfigurationIsSavedInSegmentsTermsAndReadOnlyForAReader()
    {
        var workspace = await StartAsync();
        var quarantine = (await workspace.Server.CreateSourceAsync("quarantine")).SourceId;
        var tab = workspace.RenderSourceTab<SchemaConfiguration>(workspace.Owner);
        tab.WaitForAssertion(() => Assert.NotEmpty(tab.FindAll("[data-test=save-schema-settings]")), Patience);
        Assert.True(tab.Find("[data-test=save-schema-settings]").HasAttribute("disabled"));

        tab.Find("input[data-test=block-violations]").Change(true);
        tab.Find("input[data-test=group-omit-unplanned]").Change(true);
        workspace.Choose(tab, "[data-test=forward-blocked]", "quarantine");
        tab.Find("[data-test=save-schema-settings]").Click();

        tab.WaitForAssertion(() => Assert.True(tab.Find("[data-test=save-schema-settings]").HasAttribute("disabled")), Patience);
        var saved = (await workspace.RunAsync<ProtocolsService, Outcome<SchemaSettingsView>>(
            s => s.GetSchemaSettingsAsync(workspace.Owner.Principal, workspace.SourceId, CancellationToken.None))).Value!.Settings;
        Assert.False(saved.Track.AllowEventOnViolations);
        Assert.True(saved.Track.AllowUnplannedEvents);
        Assert.False(saved.Group.AllowUnplannedTraits);
        Assert.True(saved.Identify.AllowUnplannedTraits);
        Assert.Equal(quarantine, saved.ForwardingBlockedEventsTo);

        var reader = workspace.RenderSourceTab<SchemaConfiguration>(workspace.Reader);
        reader.WaitForAssertion(() => Assert.NotEmpty(reader.FindAll("[data-test=read-only]")), Patience);
        Assert.Empty(reader.FindAll("[data-test=save-schema-settings]"));
        Assert.True(reader.Find("input[data-test=block-violations]").HasAttribute("disabled"));
        Assert.True(reader.Find("input[data-test=block-violations]").HasAttribute("checked"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_workspace is not null)
        {
            await _workspace.DisposeAsync();
        }
    }

    /// <summary>Makes <c>order_id</c> required in the plan's Order Completed rule, through the service as the plan page does.</summary>
    internal static async Task RequireOrderIdAsync(ProtocolsWorkspace workspace, string planId)
    {
        var rules = await workspace.RunAsync<ProtocolsService, Outcome<Page<RuleView>>>(s => s.ListRulesAsync(workspace.Owner.Principal, planId, 0, 100, CancellationToken.None));
        var rule = rules.Value!.Items.Single(r => r.Key == "Order Completed");
        var draft = Junction.Web.Protocols.Plans.RuleDraft.From(rule.Type, rule.Key, rule.Version, rule.JsonSchema);
        draft.Properties.Single(p => p.Name == "order_id").Required = true;
        var saved = await workspace.RunAsync<ProtocolsService, Outcome<RulesChange>>(
            s => s.UpsertRulesAsync(workspace.Owner.Principal, planId, [new RuleInput(RuleType.Track, rule.Key, rule.Version, draft.ToSchema())], CancellationToken.None));
        Assert.Null(saved.Problem);
    }

    private static Task<IReadOnlyList<ObservedEvent>> Listed(ProtocolsWorkspace workspace) =>
        workspace.Server.Services.GetRequiredService<SchemaInventory>().ListAsync(workspace.SourceId, CancellationToken.None);

    private async Task<ProtocolsWorkspace> StartAsync() => _workspace = await ProtocolsWorkspace.StartAsync();
}
