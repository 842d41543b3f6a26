using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Junction.Dedupe;

/// <summary>
/// Exact dedupe of events by <c>{sourceId}:{messageId}</c> within a time window, for one partition of the event log.
/// Keys are kept as 128-bit xxHash values (a collision needs about 2^64 keys), with the log time they were first
/// seen; keys older than the window are forgotten in arrival order. The state is a pure function of the log up to a
/// position, so it is saved as a snapshot with that position and rebuilt after a crash by replaying the log from the
/// snapshot to the committed position.
/// </summary>
internal sealed class Deduplicator(TimeSpan window)
{
    private const uint Magic = 0x4A444450; // "JDDP"
    private readonly Dictionary<UInt128, long> _seen = [];
    private readonly Queue<(UInt128 Key, long At)> _order = new();

    public TimeSpan Window { get; } = window;

    public int Count => _seen.Count;

    /// <summary>Records a key seen at <paramref name="at"/>; answers false when it was already seen within the window.</summary>
    public bool TryAdd(string idempotencyKey, DateTimeOffset at)
    {
        var now = at.ToUnixTimeMilliseconds();
        Expire(now);
        var key = Hash(idempotencyKey);
        if (!_seen.TryAdd(key, now))
        {
            return false;
        }

        _order.Enqueue((key, now));
        return true;
    }

    public static UInt128 Hash(string idempotencyKey)
    {
        Span<byte> buffer = stackalloc byte[512];
        var bytes = Encoding.UTF8.GetMaxByteCount(idempotencyKey.Length) <= buffer.Length
            ? buffer[..Encoding.UTF8.GetBytes(idempotencyKey, buffer)]
            : Encoding.UTF8.GetBytes(idempotencyKey);
        return XxHash128.HashToUInt128(bytes);
    }

    /// <summary>Writes the state, tagged with the log position it covers.</summary>
    public void Save(Stream stream, long position)
    {
        using var hasher = new HashingStream(stream);
        using (var writer = new BinaryWriter(hasher, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Window.Ticks);
            writer.Write(position);
            writer.Write(_order.Count);
            foreach (var (key, at) in _order)
            {
                writer.Write((ulong)(key >> 64));
                writer.Write((ulong)key);
                writer.Write(at);
            }
        }

        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, hasher.Crc);
        stream.Write(crc);
    }

    /// <summary>Reads a state written by <see cref="Save"/>; null when the data is damaged or for another window.</summary>
    public static (Deduplicator State, long Position)? Load(byte[] data, TimeSpan window)
    {
        if (data.Length < 28 || Crc32.HashToUInt32(data.AsSpan(0, data.Length - 4)) != BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(data.Length - 4)))
        {
            return null;
        }

        using var reader = new BinaryReader(new MemoryStream(data, 0, data.Length - 4));
        if (reader.ReadUInt32() != Magic || reader.ReadInt64() != window.Ticks)
        {
            return null;
        }

        var position = reader.ReadInt64();
        var count = reader.ReadInt32();
        var state = new Deduplicator(window);
        for (var i = 0; i < count; i++)
        {
            var key = ((UInt128)reader.ReadUInt64() << 64) | reader.ReadUInt64();
            var at = reader.ReadInt64();
            if (state._seen.TryAdd(key, at))
            {
                state._order.Enqueue((key, at));
            }
        }

        return (state, position);
    }

    private void Expire(long now)
    {
        var oldest = now - (long)Window.TotalMilliseconds;
        while (_order.TryPeek(out var head) && head.At < oldest)
        {
            _order.Dequeue();
            _seen.Remove(head.Key);
        }
    }

    /// <summary>Passes writes through while computing their CRC-32.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly Crc32 _crc = new();

        public uint Crc => _crc.GetCurrentHashAsUInt32();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _crc.Append(buffer);
            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
