using Junction.Testing;
using Junction.Workspace.Access;

namespace Junction.Destinations.Tests.ControlPlane;

/// <summary>
/// Who may do what with a destination, as a table: a destination belongs to its source, so reading needs Source
/// Read-only (or Admin) on that source and changing needs Source Admin on it; a Workspace Owner may do everything;
/// another workspace's token is told the destination does not exist.
/// </summary>
public sealed class DestinationAccessTests
{
    [Fact]
    public async Task EachCallerMayDoExactlyWhatItsRoleOnTheDestinationsSourceAllows()
    {
        await using var server = await JunctionTestServer.StartAsync(configure: TestDestinations.Register);
        using var owner = await server.CreateApiClientAsync();
        var (sourceId, _) = await server.CreateSourceAsync("web");
        var (otherSourceId, _) = await server.CreateSourceAsync("app");
        var destinationId = await owner.CreateDestinationAsync(sourceId);
        var (otherWorkspace, _) = await server.AddOtherWorkspaceAsync();

        var callers = new (string Name, HttpClient Client, int Read, int Change)[]
        {
            ("workspace owner", owner, 200, 200),
            ("source admin on this source", await server.CreateApiClientWithRoleAsync(Roles.All.Single(r => r.Id == "source-admin").Id, [sourceId]), 200, 200),
            ("source read-only on this source", await server.CreateApiClientWithRoleAsync("source-read-only", [sourceId]), 200, 403),
            ("source admin on another source", await server.CreateApiClientWithRoleAsync("source-admin", [otherSourceId]), 403, 403),
            ("member without roles", await server.CreateApiClientWithRoleAsync(Roles.WorkspaceMemberId), 403, 403),
            ("another workspace's owner", otherWorkspace, 404, 404),
        };

        var failures = new List<string>();
        foreach (var (name, client, read, change) in callers)
        {
            var reads = new[]
            {
                ("get", client.GetAsync($"destinations/{destinationId}")),
                ("list subscriptions", client.GetAsync($"destinations/{destinationId}/subscriptions")),
                ("list filters", client.GetAsync($"destination/{destinationId}/filters")),
            };
            var changes = new[]
            {
                ("create", client.PostJsonAsync("destinations", $$"""{"sourceId":"{{sourceId}}","metadataId":"{{TestDestinations.ActionsId}}"}""")),
                ("update", client.PatchJsonAsync($"destinations/{destinationId}", """{"name":"Renamed"}""")),
                ("add subscription", client.PostJsonAsync($"destinations/{destinationId}/subscriptions",
                    """{"name":"x","actionId":"probeTrack","trigger":"type = \"track\"","enabled":false}""")),
                ("add filter", client.PostJsonAsync($"destination/{destinationId}/filters",
                    $$"""{"sourceId":"{{sourceId}}","if":"all","actions":[{"type":"DROP"}],"title":"x","enabled":false}""")),
            };
            foreach (var (call, request) in reads)
            {
                var (status, body) = await request.ReadAsync();
                if (status != read)
                {
                    failures.Add($"{name} {call}: expected {read}, got {status} {body}");
                }
            }

            foreach (var (call, request) in changes)
            {
                var (status, body) = await request.ReadAsync();

                // Another workspace cannot see the source either, so creating on it is not found as well.
                var expected = change;
                if (status != expected)
                {
                    failures.Add($"{name} {call}: expected {expected}, got {status} {body}");
                }
            }

            var (listed, list) = await client.GetAsync("destinations").ReadAsync();
            var sees = list.ToString().Contains(destinationId, StringComparison.Ordinal);
            if (listed != 200 || sees != (read == 200))
            {
                failures.Add($"{name} list: got {listed}, {(sees ? "shows" : "hides")} the destination");
            }
        }

        var deletedBy = await callers[1].Client.DeleteAsync($"destinations/{destinationId}").ReadAsync();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(200, deletedBy.Status);
    }
}
