using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Junction.Testing;

/// <summary>One request a fake tool received.</summary>
public sealed record ReceivedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string ContentType, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>What a fake tool answers.</summary>
public sealed record FakeAnswer(int Status, string Body = "{}", string ContentType = "application/json", TimeSpan? Delay = null, string? RetryAfter = null);

/// <summary>
/// A third-party API in miniature for destination tests: a Kestrel app on a loopback port that records every request
/// (method, path, query, headers, body) and answers what the test scripts — by default 200 <c>{}</c>; or, per request,
/// an error status, a Retry-After, a delay (slowness). Each destination's tests check the recorded requests against the
/// tool's documented format.
/// </summary>
public sealed class FakeApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly ConcurrentQueue<FakeAnswer> _script = new();
    private volatile Func<ReceivedRequest, FakeAnswer> _answer = _ => new FakeAnswer(200);

    private FakeApi(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The fake's address without a trailing slash: an instance's base URL override.</summary>
    public string BaseUrl => BaseAddress.ToString().TrimEnd('/');

    public Uri BaseAddress { get; }

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    public static async Task<FakeApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeApi? fake = null;
        app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync(http.RequestAborted);
            var request = new ReceivedRequest(
                http.Request.Method,
                http.Request.Path.Value ?? "",
                http.Request.QueryString.Value ?? "",
                http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                http.Request.ContentType ?? "",
                body);
            fake!._received.Enqueue(request);
            var answer = fake._script.TryDequeue(out var scripted) ? scripted : fake._answer(request);
            if (answer.Delay is { } delay)
            {
                await Task.Delay(delay, http.RequestAborted);
            }

            http.Response.StatusCode = answer.Status;
            http.Response.ContentType = answer.ContentType;
            if (answer.RetryAfter is not null)
            {
                http.Response.Headers.RetryAfter = answer.RetryAfter;
            }

            await http.Response.WriteAsync(answer.Body, http.RequestAborted);
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        fake = new FakeApi(app, address);
        return fake;
    }

    /// <summary>Answers the next requests with these, in order; afterwards the standing answer applies again.</summary>
    public void Then(params FakeAnswer[] answers)
    {
        foreach (var answer in answers)
        {
            _script.Enqueue(answer);
        }
    }

    /// <summary>Sets the answer to every request not scripted with <see cref="Then"/>.</summary>
    public void AnswerAlways(Func<ReceivedRequest, FakeAnswer> answer) => _answer = answer;

    public void AnswerAlways(FakeAnswer answer) => _answer = _ => answer;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
