using System.Collections.Concurrent;
using System.Net;
using Junction.Testing;
using Junction.Workspace.Access;
using Junction.Workspace.Data;
using Junction.Workspace.Tests.Access;
using Junction.Workspace.Tests.PublicApi;
using Junction.Workspace.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Junction.Workspace.Tests.Tokens;

public sealed class TokenServiceTests : IAsyncLifetime
{
    private readonly LogCapture _logs = new();
    private JunctionTestServer _server = null!;
    private HttpClient _owner = null!;
    private string _ws = "";

    public async ValueTask InitializeAsync()
    {
        _server = await JunctionTestServer.StartAsync(configure: builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(_logs);
        });
        _ws = await _server.DefaultWorkspaceIdAsync();
        _owner = await _server.ClientAsync(_ws);
    }

    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task WhenATokenIsCreatedWithARoleItsAccessIsFilteredExactlyAsAUsersWould()
    {
        await _owner.PostJsonAsync("labels", """{"label":{"key":"env","value":"prod"}}""");
        var prod = (await _owner.CreateSourceAsync("token-prod")).GetProperty("id").GetString()!;
        await (await _owner.PostJsonAsync($"sources/{prod}/labels", """{"labels":[{"key":"env","value":"prod"}]}""")).ReadDataAsync();
        await _owner.CreateSourceAsync("token-dev");

        var created = await CreateAsync("prod reader", new PermissionInput("source-read-only", [new ResourceInput(_ws, "WORKSPACE", [new Label("env", "prod")])]));
        using var client = _server.ClientWithToken(created.Secret);

        var visible = (await (await client.GetAsync("sources")).ReadDataAsync()).GetProperty("sources").EnumerateArray().ToList();
        var only = Assert.Single(visible);
        Assert.Equal(prod, only.GetProperty("id").GetString());
        Assert.Empty(only.GetProperty("writeKeys").Strings());
        await (await client.PatchJsonAsync($"sources/{prod}", """{"name":"x"}""")).ReadErrorAsync(403);
        await (await client.GetAsync("users")).ReadErrorAsync(403);
        Assert.Equal("usr_owner", created.Token.CreatedByUserId);
        Assert.Equal("source-read-only", Assert.Single(created.Token.Permissions).RoleId);
    }

    [Fact]
    public async Task WhenATokenIsCreatedWithoutPermissionsItIsOnlyAMember()
    {
        var created = await CreateAsync("bare");
        using var client = _server.ClientWithToken(created.Secret);

        await (await client.GetAsync("")).ReadDataAsync();
        await (await client.PostJsonAsync("sources", """{"slug":"by-bare","enabled":true,"metadataId":"IqDTy1TpoU"}""")).ReadErrorAsync(403);
        Assert.Equal(Roles.WorkspaceMemberId, Assert.Single(created.Token.Permissions).RoleId);
    }

    [Fact]
    public async Task TokensAreListedWithCreationAndLastUseAndRevokedTokensStopWorkingAtOnce()
    {
        var created = await CreateAsync("to revoke");
        using var client = _server.ClientWithToken(created.Secret);
        await (await client.GetAsync("")).ReadDataAsync();

        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var tokens = scope.ServiceProvider.GetRequiredService<TokenService>();
            var listed = (await tokens.ListAsync(AccessSeed.Owner(_ws), CancellationToken.None)).Value!.Single(t => t.Id == created.Token.Id);
            Assert.Equal("to revoke", listed.Description);
            Assert.NotNull(listed.LastUsedAt);
            Assert.True(listed.CreatedAt <= listed.LastUsedAt);

            var revoked = await tokens.RevokeAsync(AccessSeed.Owner(_ws), created.Token.Id, CancellationToken.None);
            Assert.Null(revoked.Problem);
            Assert.Equal(ProblemKind.NotFound, (await tokens.RevokeAsync(AccessSeed.Owner(_ws), created.Token.Id, CancellationToken.None)).Problem!.Kind);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("")).StatusCode);
    }

    [Fact]
    public async Task OnlyWorkspaceOwnersManageTokens()
    {
        var admin = AccessSeed.Principal(_ws, PrincipalType.User, "usr_admin", AccessSeed.Permission(_ws, "source-admin"));
        await using var scope = _server.Services.CreateAsyncScope();
        var tokens = scope.ServiceProvider.GetRequiredService<TokenService>();

        Assert.Equal(ProblemKind.Forbidden, (await tokens.CreateAsync(admin, "nope", [], CancellationToken.None)).Problem!.Kind);
        Assert.Equal(ProblemKind.Forbidden, (await tokens.ListAsync(admin, CancellationToken.None)).Problem!.Kind);
        Assert.Equal(ProblemKind.Forbidden, (await tokens.RevokeAsync(admin, "tok_any", CancellationToken.None)).Problem!.Kind);
        var invalid = await tokens.CreateAsync(AccessSeed.Owner(_ws), "bad role", [new PermissionInput("nope", [])], CancellationToken.None);
        Assert.Equal("permissions[0].roleId", invalid.Problem!.Field);
        Assert.Equal("description", (await tokens.CreateAsync(AccessSeed.Owner(_ws), " ", [], CancellationToken.None)).Problem!.Field);
    }

    [Fact]
    public async Task ATokensSecretNeverAppearsInResponsesLogsTheAuditTrailOrTheDatabase()
    {
        var created = await CreateAsync("secret keeper", new PermissionInput(Roles.WorkspaceOwnerId, []));
        using var client = _server.ClientWithToken(created.Secret);
        var answers = new List<string>();
        foreach (var path in new[] { "", "sources", "users", "audit-events", "labels", "roles", "groups" })
        {
            answers.Add(await (await client.GetAsync(path)).Content.ReadAsStringAsync());
        }

        await using var scope = _server.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TokenService>().RevokeAsync(AccessSeed.Owner(_ws), created.Token.Id, CancellationToken.None);
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var audit = await db.AuditEvents.Where(a => a.ResourceId == created.Token.Id).ToListAsync();
        var stored = await db.ApiTokens.AsNoTracking().ToListAsync();

        Assert.Equal(["Token Created", "Token Revoked"], audit.OrderBy(a => a.Timestamp).Select(a => a.Type));
        Assert.Contains("secret keeper", audit[0].AfterJson, StringComparison.Ordinal);
        Assert.All(audit, a => Assert.DoesNotContain(created.Secret, (a.BeforeJson ?? "") + a.AfterJson, StringComparison.Ordinal));
        Assert.All(answers, a => Assert.DoesNotContain(created.Secret, a, StringComparison.Ordinal));
        Assert.DoesNotContain(stored, t => t.SecretHash.Contains(created.Secret[4..], StringComparison.Ordinal));
        Assert.NotEmpty(_logs.Messages);
        Assert.Contains(_logs.Messages, m => m.Contains(created.Token.Id, StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Messages, m => m.Contains(created.Secret[4..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheTokensVerbStillMakesOwnerTokens()
    {
        using var data = new TempDirectory();
        var (exitCode, output, errors) = await ServerProcess.RunVerbAsync("tokens", "create", "--name", "cli", "--data", data.Path);
        Assert.True(exitCode == 0, errors);

        await using var server = await JunctionTestServer.StartAsync(data.Path);
        using var client = server.ClientWithToken(output.Trim());

        await (await client.GetAsync("users")).ReadDataAsync();
        await (await client.GetAsync("audit-events")).ReadDataAsync();
    }

    private async Task<CreatedToken> CreateAsync(string description, params PermissionInput[] permissions)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<TokenService>()
            .CreateAsync(AccessSeed.Owner(_ws), description, permissions, CancellationToken.None);
        Assert.Null(outcome.Problem);
        return outcome.Value!;
    }

    /// <summary>Keeps every log message (with its exception) the server writes.</summary>
    private sealed class LogCapture : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(LogCapture capture) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                capture.Messages.Enqueue(formatter(state, exception) + " " + exception + " " + state);
        }
    }
}
