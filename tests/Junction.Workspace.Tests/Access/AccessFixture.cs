using Junction.Testing;
using Junction.Workspace.Access;
using Junction.Workspace.Tests.PublicApi;

namespace Junction.Workspace.Tests.Access;

/// <summary>
/// A server with two workspaces, each holding a source (labelled) with a destination (with a subscription and a filter), a
/// warehouse, a tracking plan (with rules, connected to the source) and a transformation, an event in its schema, a label,
/// a user group and a member, and clients
/// for: the first workspace's owner, a token of the first workspace that is a member without any role, no token at
/// all, and the second workspace's owner. Route parameters can be filled from either workspace.
/// </summary>
public sealed class AccessFixture : IAsyncLifetime
{
    public JunctionTestServer Server { get; private set; } = null!;

    public HttpClient Owner { get; private set; } = null!;

    public HttpClient Member { get; private set; } = null!;

    public HttpClient Anonymous { get; private set; } = null!;

    public HttpClient OtherOwner { get; private set; } = null!;

    public string WorkspaceId { get; private set; } = "";

    public string OtherWorkspaceId { get; private set; } = "";

    /// <summary>Route and query parameter values naming the first workspace's resources.</summary>
    public IReadOnlyDictionary<string, string> Mine { get; private set; } = null!;

    /// <summary>Route and query parameter values naming the second workspace's resources.</summary>
    public IReadOnlyDictionary<string, string> Theirs { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await JunctionTestServer.StartAsync(configure: TestDestinations.Register);
        WorkspaceId = await Server.DefaultWorkspaceIdAsync();
        Owner = await Server.ClientAsync(WorkspaceId);
        Member = await Server.ClientAsync(WorkspaceId, AccessSeed.Permission(WorkspaceId, Roles.WorkspaceMemberId));
        Anonymous = Server.ClientWithToken(null);
        OtherWorkspaceId = await Server.AddWorkspaceAsync("second");
        OtherOwner = await Server.ClientAsync(OtherWorkspaceId);

        Mine = await PopulateAsync(Owner, WorkspaceId, "mine", "team", "web");
        Theirs = await PopulateAsync(OtherOwner, OtherWorkspaceId, "theirs", "region", "mars");
    }

    public async ValueTask DisposeAsync()
    {
        Owner.Dispose();
        Member.Dispose();
        Anonymous.Dispose();
        OtherOwner.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>Sends an event to the source and waits until its schema (and its violations) show it.</summary>
    private async Task TrackAsync(HttpClient owner, string sourceId, string writeKey, string name)
    {
        using var tracked = await Server.PostTrackingAsync("v1/track", $$$"""{"event":"{{{name}}} Viewed","userId":"{{{name}}}-visitor","properties":{"price":"cheap"}}""", writeKey);
        tracked.EnsureSuccessStatusCode();
        await Eventually.TrueAsync(
            async () => (await (await owner.GetAsync($"sources/{sourceId}/schema")).ReadDataAsync()).GetProperty("events").GetArrayLength() > 0,
            TimeSpan.FromSeconds(30), $"the {name} source's schema");
    }

    private async Task<Dictionary<string, string>> PopulateAsync(HttpClient owner, string workspaceId, string name, string labelKey, string labelValue)
    {
        var source = await owner.CreateSourceAsync(name + "-source");
        var sourceId = source.GetProperty("id").GetString()!;
        await (await owner.PostJsonAsync("labels", $"{{\"label\":{{\"key\":\"{labelKey}\",\"value\":\"{labelValue}\"}}}}")).ReadDataAsync(201);
        await (await owner.PostJsonAsync($"sources/{sourceId}/labels", $$"""{"labels":[{"key":"{{labelKey}}","value":"{{labelValue}}"}]}""")).ReadDataAsync();
        var group = await (await owner.PostJsonAsync("groups", $$"""{"name":"{{name}} group"}""")).ReadDataAsync();
        var email = $"{name}@example.com";
        var userId = await Server.AddMemberAsync(workspaceId, email, AccessSeed.Permission(workspaceId, Roles.WorkspaceOwnerId));
        var destination = await (await owner.PostJsonAsync("destinations",
            $$"""{"sourceId":"{{sourceId}}","metadataId":"{{TestDestinations.ActionsId}}","name":"{{name}} destination"}""")).ReadDataAsync();
        var destinationId = destination.GetProperty("destination").GetProperty("id").GetString()!;
        var subscriptions = await (await owner.GetAsync($"destinations/{destinationId}/subscriptions")).ReadDataAsync();
        var filter = await (await owner.PostJsonAsync($"destination/{destinationId}/filters",
            $$"""{"sourceId":"{{sourceId}}","if":"all","actions":[{"type":"DROP"}],"title":"{{name}} filter","enabled":true}""")).ReadDataAsync();
        var warehouse = await (await owner.PostJsonAsync("warehouses",
            $$$"""{"metadataId":"postgres","name":"{{{name}}} warehouse","enabled":false,"settings":{"host":"127.0.0.1","port":1,"database":"{{{name}}}","user":"{{{name}}}","password":"{{{name}}}-password"}}""")).ReadDataAsync(201);
        var warehouseId = warehouse.GetProperty("warehouse").GetProperty("id").GetString()!;
        await (await owner.PostAsync($"warehouses/{warehouseId}/connected-sources/{sourceId}", null)).ReadDataAsync(201);
        var plan = await (await owner.PostJsonAsync("tracking-plans", $$"""{"name":"{{name}} plan"}""")).ReadDataAsync(201);
        var planId = plan.GetProperty("trackingPlan").GetProperty("id").GetString()!;
        await (await owner.PutJsonAsync($"tracking-plans/{planId}/rules",
            """{"rules":[{"type":"PAGE","version":1,"jsonSchema":{}},{"type":"PAGE","key":"Home","version":1,"jsonSchema":{}}]}""")).ReadDataAsync();
        await (await owner.PostJsonAsync($"tracking-plans/{planId}/sources", $$"""{"sourceId":"{{sourceId}}"}""")).ReadDataAsync(201);
        var transformation = await (await owner.PostJsonAsync("transformations",
            $$"""{"name":"{{name}} transformation","sourceId":"{{sourceId}}","enabled":false,"if":"event = 'x'","newEventName":"X Happened"}""")).ReadDataAsync(201);
        await TrackAsync(owner, sourceId, source.GetProperty("writeKeys")[0].GetString()!, name);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["workspaceId"] = workspaceId,
            ["sourceId"] = sourceId,
            ["writeKey"] = source.GetProperty("writeKeys")[0].GetString()!,
            ["key"] = labelKey,
            ["value"] = labelValue,
            ["userGroupId"] = group.GetProperty("userGroup").GetProperty("id").GetString()!,
            ["userId"] = userId,
            ["email"] = email,
            ["sourceMetadataId"] = "IqDTy1TpoU",
            ["destinationMetadataId"] = TestDestinations.ActionsId,
            ["destinationId"] = destinationId,
            ["id"] = subscriptions.GetProperty("subscriptions")[0].GetProperty("id").GetString()!,
            ["filterId"] = filter.GetProperty("filter").GetProperty("id").GetString()!,
            ["path"] = "no/such/route",
            ["messageId"] = name + "-message",
            ["warehouseId"] = warehouseId,
            ["warehouseMetadataId"] = "postgres",
            ["trackingPlanId"] = planId,
            ["type"] = "PAGE",
            ["ruleKey"] = "Home",
            ["templateId"] = "ecommerce-v2",
            ["transformationId"] = transformation.GetProperty("transformation").GetProperty("id").GetString()!,
        };
    }
}
