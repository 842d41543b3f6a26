using Junction.Workspace.Access;
using Junction.Workspace.Data;

namespace Junction.Workspace.Tests.Access;

/// <summary>
/// The access decision as a table: who (a set of stored permissions) × what (a resource with its labels) × which
/// action gives allowed or refused. Principals are built from stored permissions by <see cref="AccessService.Grants"/>,
/// exactly as for a signed-in user or a token.
/// </summary>
public sealed class AuthorizationTableTests
{
    private const string Ws = "ws_table";

    private static readonly Dictionary<string, PermissionEntity[]> Who = new(StringComparer.Ordinal)
    {
        ["owner"] = [P(Roles.WorkspaceOwnerId)],
        ["member"] = [P(Roles.WorkspaceMemberId)],
        ["nothing"] = [],
        ["source-admin all"] = [P("source-admin")],
        ["source-admin list a"] = [P("source-admin", ["src_a"])],
        ["source-admin prod AND web"] = [P("source-admin", null, "env:prod", "team:web")],
        ["source-admin prod OR web"] = [P("source-admin", null, "env:prod"), P("source-admin", null, "team:web")],
        ["source-admin list a,c AND prod"] = [P("source-admin", ["src_a", "src_c"], "env:prod")],
        ["source-read all"] = [P("source-read-only")],
        ["source-read prod"] = [P("source-read-only", null, "env:prod")],
        ["source-read all + admin list a"] = [P("source-read-only"), P("source-admin", ["src_a"])],
        ["tracking-plan admin"] = [P("tracking-plan-admin")],
        ["tracking-plan read"] = [P("tracking-plan-read-only")],
        ["warehouse admin"] = [P("warehouse-destination-admin")],
        ["unknown role"] = [P("no-such-role")],
    };

    /// <summary>src_a: env:prod + team:web; src_b: env:prod; src_c: no labels.</summary>
    private static readonly Dictionary<string, ResourceRef> What = new(StringComparer.Ordinal)
    {
        ["src_a"] = new(ResourceKind.Source, "src_a", [new("env", "prod"), new("team", "web")]),
        ["src_b"] = new(ResourceKind.Source, "src_b", [new("env", "prod")]),
        ["src_c"] = new(ResourceKind.Source, "src_c", []),
        ["tracking plan"] = new(ResourceKind.TrackingPlan, "tp_1", []),
        ["warehouse"] = new(ResourceKind.Warehouse, "wh_1", []),
        ["workspace"] = new(ResourceKind.Workspace, Ws, []),
    };

    [Theory]
    // Owners may do everything.
    [InlineData("owner", "src_a", "write", true)]
    [InlineData("owner", "src_c", "write", true)]
    [InlineData("owner", "tracking plan", "write", true)]
    [InlineData("owner", "warehouse", "write", true)]
    [InlineData("owner", "workspace", "write", true)]
    [InlineData("owner", "src_c", "create", true)]
    // Members, and callers with no permission at all, may do nothing with resources.
    [InlineData("member", "src_a", "read", false)]
    [InlineData("member", "tracking plan", "read", false)]
    [InlineData("member", "workspace", "write", false)]
    [InlineData("member", "src_a", "create", false)]
    [InlineData("nothing", "src_c", "read", false)]
    [InlineData("unknown role", "src_c", "read", false)]
    // Source Admin on all sources: every source, present and future, and creating them; nothing else.
    [InlineData("source-admin all", "src_a", "write", true)]
    [InlineData("source-admin all", "src_c", "write", true)]
    [InlineData("source-admin all", "src_c", "create", true)]
    [InlineData("source-admin all", "tracking plan", "read", false)]
    [InlineData("source-admin all", "warehouse", "read", false)]
    [InlineData("source-admin all", "workspace", "write", false)]
    // On a list: those sources only, and no creating.
    [InlineData("source-admin list a", "src_a", "write", true)]
    [InlineData("source-admin list a", "src_b", "read", false)]
    [InlineData("source-admin list a", "src_a", "create", false)]
    // Labels in one permission are ANDed.
    [InlineData("source-admin prod AND web", "src_a", "write", true)]
    [InlineData("source-admin prod AND web", "src_b", "read", false)]
    [InlineData("source-admin prod AND web", "src_c", "read", false)]
    [InlineData("source-admin prod AND web", "src_a", "create", false)]
    // Several permissions are ORed.
    [InlineData("source-admin prod OR web", "src_a", "write", true)]
    [InlineData("source-admin prod OR web", "src_b", "write", true)]
    [InlineData("source-admin prod OR web", "src_c", "read", false)]
    // A list and labels together: listed AND labelled.
    [InlineData("source-admin list a,c AND prod", "src_a", "write", true)]
    [InlineData("source-admin list a,c AND prod", "src_c", "read", false)]
    [InlineData("source-admin list a,c AND prod", "src_b", "read", false)]
    // Read-only reads and never writes.
    [InlineData("source-read all", "src_a", "read", true)]
    [InlineData("source-read all", "src_c", "read", true)]
    [InlineData("source-read all", "src_c", "write", false)]
    [InlineData("source-read all", "src_c", "create", false)]
    [InlineData("source-read prod", "src_b", "read", true)]
    [InlineData("source-read prod", "src_c", "read", false)]
    // Roles add up: the highest access wins.
    [InlineData("source-read all + admin list a", "src_a", "write", true)]
    [InlineData("source-read all + admin list a", "src_b", "read", true)]
    [InlineData("source-read all + admin list a", "src_b", "write", false)]
    // Tracking plan and warehouse roles are about their own kind only.
    [InlineData("tracking-plan admin", "tracking plan", "write", true)]
    [InlineData("tracking-plan admin", "src_c", "read", false)]
    [InlineData("tracking-plan read", "tracking plan", "read", true)]
    [InlineData("tracking-plan read", "tracking plan", "write", false)]
    [InlineData("warehouse admin", "warehouse", "write", true)]
    [InlineData("warehouse admin", "tracking plan", "read", false)]
    public void TheDecisionFollowsTheTable(string who, string what, string action, bool allowed)
    {
        var principal = AccessSeed.Principal(Ws, PrincipalType.Token, "tok_table", Who[who]);
        var resource = What[what];

        var decision = action switch
        {
            "read" => principal.Can(AccessLevel.Read, resource.Kind, resource.Id, resource.Labels),
            "write" => principal.Can(AccessLevel.Write, resource.Kind, resource.Id, resource.Labels),
            "create" => principal.CanCreate(resource.Kind),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };

        Assert.True(decision == allowed, $"{who} {action} {what}: expected {(allowed ? "allowed" : "refused")}");
    }

    [Theory]
    [InlineData("owner", true)]
    [InlineData("source-admin all", true)]
    [InlineData("source-read all", true)]
    [InlineData("source-read prod", false)]
    [InlineData("source-admin list a", false)]
    [InlineData("member", false)]
    public void OnlyUnconditionalAccessToEverySourceSeesAllSourcesWithoutCheckingEach(string who, bool seesAll) =>
        Assert.Equal(seesAll, AccessSeed.Principal(Ws, PrincipalType.User, "usr_t", Who[who]).SeesAll(ResourceKind.Source));

    [Theory]
    [InlineData(new[] { "owner" }, "src_a", "warehouse", true)]
    [InlineData(new[] { "source-admin all", "warehouse admin" }, "src_a", "warehouse", true)]
    [InlineData(new[] { "source-admin all" }, "src_a", "warehouse", false)]
    [InlineData(new[] { "warehouse admin" }, "src_a", "warehouse", false)]
    [InlineData(new[] { "source-read all", "warehouse admin" }, "src_a", "warehouse", false)]
    [InlineData(new[] { "source-admin list a", "tracking-plan admin" }, "src_a", "tracking plan", true)]
    [InlineData(new[] { "source-admin list a", "tracking-plan admin" }, "src_c", "tracking plan", false)]
    [InlineData(new[] { "source-admin all", "tracking-plan read" }, "src_a", "tracking plan", false)]
    [InlineData(new[] { "source-admin prod AND web", "tracking-plan admin" }, "src_a", "tracking plan", true)]
    [InlineData(new[] { "source-admin prod AND web", "tracking-plan admin" }, "src_b", "tracking plan", false)]
    public void ConnectingTwoResourcesNeedsWriteAccessToBoth(string[] who, string first, string second, bool allowed)
    {
        var principal = AccessSeed.Principal(Ws, PrincipalType.User, "usr_t", who.SelectMany(w => Who[w]).ToArray());

        Assert.Equal(allowed, principal.CanConnect(What[first], What[second]));
        Assert.Equal(allowed, principal.CanConnect(What[second], What[first]));
    }

    [Fact]
    public void AStoredPermissionWithoutResourcesCoversTheWholeWorkspace()
    {
        var permission = P("source-read-only");
        permission.Resources.Clear();

        var principal = AccessSeed.Principal(Ws, PrincipalType.User, "usr_t", permission);

        Assert.True(principal.Can(AccessLevel.Read, ResourceKind.Source, "src_any", []));
    }

    [Fact]
    public void ADenialNamesTheRolesThatWouldAllowIt()
    {
        var denial = Denials.Needs(AccessLevel.Read, ResourceKind.Source, "Reading source \"web\" (src_a)");

        Assert.Equal(ProblemKind.Forbidden, denial.Kind);
        Assert.Contains("Source Admin or Source Read-only", denial.Message, StringComparison.Ordinal);
        Assert.Contains("src_a", denial.Message, StringComparison.Ordinal);
    }

    private static PermissionEntity P(string roleId, IReadOnlyList<string>? sources = null, params string[] labels) =>
        AccessSeed.Permission(Ws, roleId, sources, labels);
}
