using Microsoft.Extensions.DependencyInjection;

namespace Junction.Web.Shared;

/// <summary>
/// Runs one operation of an interactive page in its own dependency-injection scope. A Blazor circuit lives as long as
/// the browser tab, so sharing one scope (and one DbContext) for all its operations would keep stale state and fail
/// when two operations overlap; each call here gets fresh services, exactly as an HTTP request does.
/// </summary>
internal sealed class Scoped(IServiceScopeFactory scopes)
{
    public async Task<TResult> RunAsync<TService, TResult>(Func<TService, Task<TResult>> operation)
        where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        return await operation(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task RunAsync<TService>(Func<TService, Task> operation)
        where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        await operation(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
