namespace Junction.Ingest.Tracking;

/// <summary>
/// Cancellation tokens that fire after a timeout, shared by every caller that asks within the same tenth of a second,
/// so that a busy gateway does not create and dispose a timer for every request. A shared token fires up to 100 ms
/// later than asked, which is fine for a deadline of seconds.
/// </summary>
internal sealed class Deadlines(TimeProvider time)
{
    private const long GranularityMs = 100;
    private readonly Lock _lock = new();
    private Deadline? _current;

    public CancellationToken After(TimeSpan timeout)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var due = ((now + (long)timeout.TotalMilliseconds) / GranularityMs + 1) * GranularityMs;
        var current = Volatile.Read(ref _current);
        if (current is not null && current.DueMs == due)
        {
            return current.Source.Token;
        }

        lock (_lock)
        {
            if (_current is null || _current.DueMs != due)
            {
                _current = new Deadline(due, new CancellationTokenSource(TimeSpan.FromMilliseconds(due - now), time));
            }

            return _current.Source.Token;
        }
    }

    private sealed record Deadline(long DueMs, CancellationTokenSource Source);
}
