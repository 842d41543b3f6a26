using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Junction.Workspace.Accounts;

/// <summary>
/// Asking for a password reset from the sign-in pages: the address is queued and the page answers at once, while
/// <see cref="PasswordResetSender"/> looks the account up and sends the link in the background. The answer then
/// takes as long whether or not the address has an account, so its timing does not tell which (sending an email
/// takes far longer than finding nothing). A full queue refuses more requests, which the page answers the same way.
/// </summary>
internal sealed partial class PasswordResetRequests(ILogger<PasswordResetRequests> logger)
{
    public const int Capacity = 1_000;

    private readonly Channel<string> _queue = Channel.CreateBounded<string>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    internal ChannelReader<string> Reader => _queue.Reader;

    /// <summary>Queues a request; the email, if any, is sent a moment later.</summary>
    public void Ask(string? address)
    {
        if (!string.IsNullOrWhiteSpace(address) && !_queue.Writer.TryWrite(address.Trim()))
        {
            LogQueueFull(Capacity);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Password reset request dropped: {Capacity} requests are already waiting")]
    private partial void LogQueueFull(int capacity);
}

/// <summary>Works through <see cref="PasswordResetRequests"/>, one at a time, with <see cref="PasswordResetService"/>.</summary>
internal sealed partial class PasswordResetSender(
    PasswordResetRequests requests, IServiceScopeFactory scopes, ILogger<PasswordResetSender> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var address in requests.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<PasswordResetService>().RequestAsync(address, stoppingToken);
            }
            catch (Exception failure) when (failure is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(failure);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A password reset request could not be handled")]
    private partial void LogFailed(Exception failure);
}
