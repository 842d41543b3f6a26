using System.Buffers;
using System.Threading.Channels;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Junction.Testing;

/// <summary>
/// A real SMTP server on a free loopback port (the SmtpServer package), keeping every message it receives so that
/// tests can read the emails Junction sends. Configure Junction with <see cref="Settings"/>.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<MimeMessage> _received = Channel.CreateUnbounded<MimeMessage>();
    private readonly List<MimeMessage> _all = [];
    private readonly Task _running;

    private SmtpTestServer(int port)
    {
        Port = port;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port)))
            .Build();
        var services = new ServiceProvider();
        services.Add(new Store(this));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>Junction's <c>Email</c> settings that send to this server.</summary>
    public IEnumerable<(string Key, string Value)> Settings =>
    [
        ("Email:Host", "127.0.0.1"),
        ("Email:Port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Email:Security", "None"),
        ("Email:From", "Junction <junction@example.test>"),
    ];

    /// <summary>Every message received so far.</summary>
    public IReadOnlyList<MimeMessage> Messages
    {
        get
        {
            lock (_all)
            {
                return [.. _all];
            }
        }
    }

    public static SmtpTestServer Start() => new(ServerProcess.FreePort());

    /// <summary>Waits for the next message addressed to <paramref name="to"/> (messages to others are kept in <see cref="Messages"/>).</summary>
    public async Task<MimeMessage> WaitForMessageToAsync(string to, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var message = await _received.Reader.ReadAsync(cancel.Token);
            if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase)))
            {
                return message;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private sealed class Store(SmtpTestServer server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            lock (server._all)
            {
                server._all.Add(message);
            }

            await server._received.Writer.WriteAsync(message, cancellationToken);
            return SmtpResponse.Ok;
        }
    }
}
