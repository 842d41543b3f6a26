using Bunit;
using Junction.Protocols.ControlPlane;
using Junction.Protocols.Naming;
using Junction.Protocols.Plans;
using Junction.Protocols.Templates;
using Junction.Web.Protocols.Plans;
using Junction.Web.Protocols.Settings;
using Junction.Workspace;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Web.Tests.Protocols;

/// <summary>
/// The tracking plan pages against the real ProtocolsService: creating a plan from a spec template and from a source's
/// schema, editing a rule as a property table and as JSON Schema (the engine's verdict and the API's refusal shown),
/// a rule's history, connected sources, the naming conventions, and what a reader sees.
/// </summary>
public sealed class TrackingPlanPagesTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = ProtocolsWorkspace.Patience;
    private ProtocolsWorkspace? _workspace;

    [Fact]
    public async Task APlanCreatedFromASpecTemplateHoldsTheTemplatesRules()
    {
        var workspace = await StartAsync();
        var form = workspace.RenderPage<NewTrackingPlanForm>(workspace.Owner);
        var template = SpecTemplates.All.Single(t => t.Id == SpecTemplates.All[1].Id);

        form.Find("#plan-name").Input("SaaS plan");
        form.Find("input[data-test=start-template]").Click();
        form.WaitForAssertion(() => Assert.NotEmpty(form.FindAll("[data-test=template-select]")), Patience);
        workspace.Choose(form, "[data-test=template-select]", $"{template.Name} ({template.Rules.Count} events)");
        form.Find("[data-test=create-plan]").Click();

        var navigation = workspace.Bunit.Services.GetRequiredService<NavigationManager>();
        form.WaitForAssertion(() => Assert.Contains("/protocols/tracking-plans/tp", navigation.Uri, StringComparison.Ordinal), Patience);
        Assert.Contains(Uri.EscapeDataString($"Added {template.Rules.Count} rules from the template."), navigation.Uri, StringComparison.Ordinal);
        var plans = await workspace.RunAsync<ProtocolsService, Outcome<Page<TrackingPlanView>>>(s => s.ListPlansAsync(workspace.Owner.Principal, null, 0, 10, CancellationToken.None));
        var plan = Assert.Single(plans.Value!.Items);
        Assert.Equal("SaaS plan", plan.Name);
        var rules = await workspace.RunAsync<ProtocolsService, Outcome<Page<RuleView>>>(s => s.ListRulesAsync(workspace.Owner.Principal, plan.Id, 0, 1, CancellationToken.None));
        Assert.Equal(template.Rules.Count, rules.Value!.TotalEntries);
    }

    [Fact]
    public async Task APlanCreatedFromASourcesSchemaHasItsEventsAndTheSourceConnected()
    {
        var workspace = await StartAsync();
        await workspace.TrackAsync("Order Completed", new { order_id = "o-1" });
        await workspace.ObservedAsync("Order Completed");

        var form = workspace.RenderPage<NewTrackingPlanForm>(workspace.Owner, p => p.Add(f => f.SourceId, workspace.SourceId));
        Assert.Equal("shop plan", form.Find("#plan-name").GetAttribute("value"));
        Assert.True(form.Find("input[data-test=connect-source]").HasAttribute("checked"));
        form.Find("[data-test=create-plan]").Click();

        var navigation = workspace.Bunit.Services.GetRequiredService<NavigationManager>();
        form.WaitForAssertion(() => Assert.Contains("Connected%20the%20source.", navigation.Uri, StringComparison.Ordinal), Patience);
        var planOfSource = await workspace.RunAsync<ProtocolsService, Outcome<SourcePlanView>>(s => s.PlanOfSourceAsync(workspace.Owner.Principal, workspace.SourceId, CancellationToken.None));
        var planId = planOfSource.Value!.Plan!.Id;
        var rules = await workspace.RunAsync<ProtocolsService, Outcome<Page<RuleView>>>(s => s.ListRulesAsync(workspace.Owner.Principal, planId, 0, 10, CancellationToken.None));
        Assert.Contains(rules.Value!.Items, r => r.Type == RuleType.Track && r.Key == "Order Completed");
    }

    [Fact]
    public async Task MakingAPropertyRequiredInTheTableSavesTheRuleAndAddsToItsHistory()
    {
        var workspace = await StartAsync();
        await workspace.TrackAsync("Order Completed", new { order_id = "o-1", revenue = 4 });
        await workspace.ObservedAsync("Order Completed");
        var planId = await workspace.PlanFromSchemaAsync();
        var page = RenderPlan(workspace, planId);
        var rule = "[data-test=rule][data-key='Order Completed']";
        Assert.Equal("order_id (string); revenue (integer)", page.Find($"{rule} [data-test=rule-properties]").TextContent.Trim());
        Assert.Contains("shop", page.Find("[data-test=connected-source]").TextContent, StringComparison.Ordinal);

        page.Find($"{rule} [data-test=edit-rule]").Click();
        page.Find("[data-test=property-row][data-property=order_id] input[data-test=property-required]").Change(true);
        page.Find("[data-test=save-rule]").Click();

        page.WaitForAssertion(() => Assert.Equal("order_id (string, required); revenue (integer)", page.Find($"{rule} [data-test=rule-properties]").TextContent.Trim()), Patience);
        Assert.Empty(page.FindAll("[data-test=rule-editor]"));
        var stored = await workspace.RunAsync<ProtocolsService, Outcome<Page<RuleView>>>(s => s.ListRulesAsync(workspace.Owner.Principal, planId, 0, 10, CancellationToken.None));
        var schema = stored.Value!.Items.Single(r => r.Key == "Order Completed").JsonSchema;
        Assert.Equal("order_id", schema.GetProperty("properties").GetProperty("properties").GetProperty("required")[0].GetString());

        page.Find($"{rule} [data-test=rule-history-open]").Click();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-test=revision]").Count), Patience);
        Assert.Equal(["UPDATED", "CREATED"], page.FindAll("[data-test=revision]").Select(r => r.GetAttribute("data-change")!.ToUpperInvariant()));
    }

    [Fact]
    public async Task TheJsonSchemaEditorShowsTheEnginesVerdictAndTheApisRefusalInItsOwnWords()
    {
        var workspace = await StartAsync();
        await workspace.TrackAsync("Order Completed", new { order_id = "o-1" });
        await workspace.TrackAsync("Order Placed", new { order_id = "o-1" });
        await workspace.ObservedAsync("Order Placed");
        var planId = await workspace.PlanFromSchemaAsync();
        var page = RenderPlan(workspace, planId);

        page.Find("[data-test=rule][data-key='Order Placed'] [data-test=edit-rule]").Click();
        page.Find("[data-test=edit-json]").Click();
        Assert.Contains("\"order_id\"", page.Find("#rule-json").GetAttribute("value") ?? page.Find("#rule-json").TextContent, StringComparison.Ordinal);

        page.Find("#rule-json").Input("""{"type": "object", "properties": {"properties": {"type": 5}}}""");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-test=rule-check]")), Patience);
        Assert.True(page.Find("[data-test=save-rule]").HasAttribute("disabled"));

        page.Find("#rule-json").Input("""{"type": "object", "properties": {"properties": {"type": "object"}}}""");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-test=rule-check]")), Patience);
        page.Find("#rule-key").Input("Order Completed");
        page.Find("[data-test=save-rule]").Click();

        page.WaitForAssertion(() => Assert.StartsWith("rules[0].newKey: the plan already has", page.Find("[data-test=rule-problem]").TextContent.Trim(), StringComparison.Ordinal), Patience);
    }

    [Fact]
    public async Task AReaderSeesThePlanAndItsRulesWithoutAnyWayToChangeThem()
    {
        var workspace = await StartAsync();
        await workspace.TrackAsync("Order Completed", new { order_id = "o-1" });
        await workspace.ObservedAsync("Order Completed");
        var planId = await workspace.PlanFromSchemaAsync();

        var page = RenderPlan(workspace, planId, workspace.Reader);

        Assert.NotEmpty(page.FindAll("[data-test=read-only]"));
        Assert.Empty(page.FindAll("[data-test=delete-plan]"));
        Assert.Empty(page.FindAll("[data-test=rename-plan]"));
        Assert.Empty(page.FindAll("[data-test=new-rule]"));
        Assert.Empty(page.FindAll("[data-test=disconnect-source]"));
        Assert.Equal("View", page.Find("[data-test=rule][data-key='Order Completed'] [data-test=edit-rule]").TextContent.Trim());
        page.Find("[data-test=rule][data-key='Order Completed'] [data-test=edit-rule]").Click();
        Assert.Empty(page.FindAll("[data-test=save-rule]"));
    }

    [Fact]
    public async Task APlanIsRenamedAndItsDescriptionChangedAndRemovedOnItsPage()
    {
        var workspace = await StartAsync();
        var created = await workspace.RunAsync<ProtocolsService, Outcome<TrackingPlanView>>(
            s => s.CreatePlanAsync(workspace.Owner.Principal, new NewTrackingPlan("Shop plan", "Checkout events"), CancellationToken.None));
        var planId = created.Value!.Id;
        var page = RenderPlan(workspace, planId);

        page.Find("[data-test=rename-plan]").Click();
        Assert.Equal("Shop plan", page.Find("input[data-test=plan-name]").GetAttribute("value"));
        page.Find("input[data-test=plan-name]").Input(new string('x', 201));
        page.Find("[data-test=save-plan-details]").Click();
        page.WaitForAssertion(() => Assert.Contains("must be 1 to 200 characters", page.Find("[data-test=problem]").TextContent, StringComparison.Ordinal), Patience);
        Assert.NotEmpty(page.FindAll("[data-test=plan-details-form]"));

        page.Find("input[data-test=plan-name]").Input("Storefront plan");
        page.Find("textarea[data-test=plan-description]").Change("Every call of the storefront");
        page.Find("[data-test=save-plan-details]").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-test=plan-details-form]")), Patience);
        Assert.Contains("Storefront plan", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-test=problem]"));
        var renamed = (await workspace.RunAsync<ProtocolsService, Outcome<TrackingPlanView>>(s => s.FindPlanAsync(workspace.Owner.Principal, planId, CancellationToken.None))).Value!;
        Assert.Equal(("Storefront plan", "Every call of the storefront", created.Value.Slug), (renamed.Name, renamed.Description, renamed.Slug));

        page.Find("[data-test=rename-plan]").Click();
        page.Find("textarea[data-test=plan-description]").Change("");
        page.Find("[data-test=save-plan-details]").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-test=plan-details-form]")), Patience);
        Assert.Null((await workspace.RunAsync<ProtocolsService, Outcome<TrackingPlanView>>(s => s.FindPlanAsync(workspace.Owner.Principal, planId, CancellationToken.None))).Value!.Description);
    }

    [Fact]
    public async Task ASourceIsConnectedAndDisconnectedOnThePlanPage()
    {
        var workspace = await StartAsync();
        var created = await workspace.RunAsync<ProtocolsService, Outcome<TrackingPlanView>>(s => s.CreatePlanAsync(workspace.Owner.Principal, new NewTrackingPlan("Empty"), CancellationToken.None));
        var page = RenderPlan(workspace, created.Value!.Id);
        Assert.NotEmpty(page.FindAll("[data-test=no-sources]"));
        Assert.NotEmpty(page.FindAll("[data-test=no-rules]"));

        page.Find("[data-test=connect-plan-source]").Click();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-test=connected-source]")), Patience);
        var connected = await workspace.RunAsync<ProtocolsService, Outcome<SourcePlanView>>(s => s.PlanOfSourceAsync(workspace.Owner.Principal, workspace.SourceId, CancellationToken.None));
        Assert.Equal(created.Value.Id, connected.Value!.Plan!.Id);

        page.Find("[data-test=disconnect-source]").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-test=no-sources]")), Patience);
    }

    [Fact]
    public async Task TheNamingConventionsAreSavedForTheWorkspace()
    {
        var workspace = await StartAsync();
        var page = workspace.RenderPage<NamingSettings>(workspace.Owner);
        page.WaitForAssertion(() => Assert.True(page.Find("[data-test=save-naming]").HasAttribute("disabled")), Patience);

        workspace.Choose(page, "[data-test=property-convention]", NamingConventions.Describe(PropertyNamingConvention.CamelCase));
        page.Find("[data-test=save-naming]").Click();

        page.WaitForAssertion(() => Assert.True(page.Find("[data-test=save-naming]").HasAttribute("disabled")), Patience);
        var saved = await workspace.RunAsync<ProtocolsService, ProtocolsSettingsView>(s => s.GetProtocolsSettingsAsync(workspace.Owner.Principal, CancellationToken.None));
        Assert.Equal((EventNamingConvention.TitleCaseObjectAction, PropertyNamingConvention.CamelCase), (saved.EventNamingConvention, saved.PropertyNamingConvention));
    }

    public async ValueTask DisposeAsync()
    {
        if (_workspace is not null)
        {
            await _workspace.DisposeAsync();
        }
    }

    private static IRenderedComponent<PlanDetail> RenderPlan(ProtocolsWorkspace workspace, string planId, Junction.Web.Shared.WorkspaceContext? who = null)
    {
        var page = workspace.RenderPage<PlanDetail>(who ?? workspace.Owner, p => p.Add(d => d.PlanId, planId));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[aria-label='Loading the tracking plan']")), Patience);
        return page;
    }

    private async Task<ProtocolsWorkspace> StartAsync() => _workspace = await ProtocolsWorkspace.StartAsync();
}
