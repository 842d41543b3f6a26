namespace Junction.Destinations.Delivery;

/// <summary>
/// The one HTTP client every destination sends with: pooled connections that are renewed every few minutes (so DNS
/// changes are seen), many connections per tool, and the request timeout of <see cref="DeliveryOptions.RequestTimeout"/>
/// enforced by the router rather than by the client.
/// </summary>
internal sealed class DeliveryHttp : IDisposable
{
    public DeliveryHttp()
        : this(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            MaxConnectionsPerServer = 256,
            AutomaticDecompression = System.Net.DecompressionMethods.All,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
    {
    }

    public DeliveryHttp(HttpMessageHandler handler)
    {
        Client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        Client.DefaultRequestHeaders.UserAgent.ParseAdd("Junction/1.0");
    }

    public HttpClient Client { get; }

    public void Dispose() => Client.Dispose();
}
