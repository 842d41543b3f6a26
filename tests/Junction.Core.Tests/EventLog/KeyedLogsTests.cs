using System.Text;
using Junction.EventLog;
using Junction.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Junction.Core.Tests.EventLog;

/// <summary>Logs kept one per key: opened once on first use, closed and reopened with what they hold, refused after disposal.</summary>
public sealed class KeyedLogsTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task AKeysLogIsOpenedOnceInTheDirectoryItsKeyGives()
    {
        await using var logs = Logs();

        var first = logs.Open("a");
        Assert.Same(first, logs.Open("a"));
        Assert.NotSame(first, logs.Open("b"));
        Assert.True(Directory.Exists(Path.Combine(_data.Path, "a")));
        Assert.True(Directory.Exists(Path.Combine(_data.Path, "b")));
    }

    [Fact]
    public async Task AClosedLogIsForgottenAndOpensAgainWithWhatItHeld()
    {
        await using var logs = Logs();
        var log = logs.Open("a");
        var stored = await log.AppendAsync([new LogRecord("user", "m-1", Encoding.UTF8.GetBytes("{}"))], CancellationToken.None);
        Assert.Equal(AppendStatus.Stored, stored[0].Status);
        var other = logs.Open("b");

        await logs.CloseAsync(key => key == "a");

        var reopened = logs.Open("a");
        Assert.NotSame(log, reopened);
        Assert.Same(other, logs.Open("b"));
        var entries = await reopened.ReadAsync(0, LogPosition.Start, 10, TimeSpan.Zero, CancellationToken.None);
        Assert.Equal(["m-1"], entries.Select(e => e.IdempotencyKey));
    }

    [Fact]
    public async Task NoLogOpensOnceTheyAreDisposed()
    {
        var logs = Logs();
        logs.Open("a");

        await logs.DisposeAsync();

        Assert.True(logs.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => logs.Open("a"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a b")]
    public void AnIdThatCannotNameADirectoryIsRefusedWithWhatItIs(string id)
    {
        var error = Assert.Throws<ArgumentException>(() => FileEventLogOptions.DirectoryName(id, "Destination id"));
        Assert.StartsWith($"Destination id '{id}' cannot name a directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIdOfLettersDigitsAndPunctuationIsItsOwnDirectoryName() =>
        Assert.Equal("dst_Ab-1.x", FileEventLogOptions.DirectoryName("dst_Ab-1.x", "Destination id"));

    public void Dispose() => _data.Dispose();

    private KeyedLogs<string> Logs() => new(
        key => new FileEventLogOptions { Directory = Path.Combine(_data.Path, key), Partitions = 1, MinFreeBytes = 0 },
        TimeProvider.System,
        NullLogger.Instance);
}
