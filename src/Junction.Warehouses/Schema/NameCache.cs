using System.Collections.Concurrent;

namespace Junction.Warehouses.Schema;

/// <summary>
/// A thread-safe memo of name conversions. Event and property names repeat across millions of events, so each is
/// converted once; the cache is emptied when it holds more than <c>capacity</c> entries, so that a source sending
/// unbounded names (ids as property keys) cannot make it grow without end.
/// </summary>
internal sealed class NameCache<TKey, TValue>(int capacity, Func<TKey, TValue> convert)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _entries = new();
    private int _count;

    /// <summary>The conversion of <paramref name="key"/>, computed at most once while it stays cached.</summary>
    public TValue Get(TKey key)
    {
        if (_entries.TryGetValue(key, out var value))
        {
            return value;
        }

        value = convert(key);
        if (Interlocked.Increment(ref _count) > capacity)
        {
            _entries.Clear();
            Interlocked.Exchange(ref _count, 1);
        }

        _entries[key] = value;
        return value;
    }
}
