using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Junction.Testing;

/// <summary>A logger provider that keeps every message (with its exception) written while a test runs.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>Everything logged, as one text to search.</summary>
    public string Text => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> values
                ? " {" + string.Join(", ", values.Select(v => v.Key + "=" + v.Value)) + "}"
                : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{structured} {exception}");
        }
    }
}
