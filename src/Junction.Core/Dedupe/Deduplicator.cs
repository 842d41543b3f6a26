using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Junction.Dedupe;

/// <summary>
/// Exact dedupe of events by <c>{sourceId}:{messageId}</c> within a time window, for one partition of the event log.
/// </summary>
/// <remarks>
/// <para>
/// Each key is kept as a 120-bit xxHash128 value (a false duplicate needs about 2^60 keys in the window) in one
/// open-addressing table, 16 bytes a slot, together with an 8-bit generation: the slice of log time, one eighth of the
/// window long, in which the key was first seen. A key whose generation is more than the window old counts as
/// absent, and the table drops such keys whenever it grows or is rebuilt. So a key is remembered for at least the
/// window and at most an eighth longer, a lookup is one probe sequence, and memory is about 21–32 bytes per key seen in
/// the window.
/// </para>
/// <para>
/// The state is a pure function of the log up to a position: it is saved as a snapshot tagged with that position and
/// rebuilt after a crash by replaying the log from the snapshot to the committed position.
/// </para>
/// <para>
/// <see cref="MaxKeys"/> bounds memory: when the window holds more keys than that, the oldest generations are
/// forgotten early and <see cref="EffectiveWindow"/> reports how far back dedupe then reaches.
/// </para>
/// </remarks>
internal sealed class Deduplicator
{
    private const uint Magic = 0x4A444432; // "JDD2"
    private const int Slices = 8;
    private const int MinimumCapacity = 1024;
    private static readonly UInt128 GenerationMask = 0xFF;
    private readonly long _sliceMs;
    private UInt128[] _slots = new UInt128[MinimumCapacity];
    private int _count;
    private long _generation = long.MinValue;
    private long _oldestKept = long.MinValue;
    private long _lastPurge = long.MinValue;

    public Deduplicator(TimeSpan window, int maxKeys = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromSeconds(Slices));
        Window = window;
        MaxKeys = maxKeys;
        _sliceMs = (long)window.TotalMilliseconds / Slices;
    }

    public TimeSpan Window { get; }

    public int MaxKeys { get; }

    /// <summary>Keys in the table, including some that are already older than the window.</summary>
    public int Count => _count;

    /// <summary>How far back dedupe reaches now: the window, or less when <see cref="MaxKeys"/> forced old keys out.</summary>
    public TimeSpan EffectiveWindow => _oldestKept == long.MinValue || _generation == long.MinValue
        ? Window
        : TimeSpan.FromMilliseconds(Math.Min(Window.TotalMilliseconds, (_generation - _oldestKept + 1) * _sliceMs));

    /// <summary>Records a key seen at <paramref name="at"/> (log time); answers false when it was already seen within the window.</summary>
    public bool TryAdd(string idempotencyKey, DateTimeOffset at)
    {
        Advance(at.ToUnixTimeMilliseconds() / _sliceMs);
        var key = Hash(idempotencyKey);
        var mask = _slots.Length - 1;
        var index = (int)(ulong)(key >> 64) & mask;
        while (true)
        {
            var slot = _slots[index];
            if (slot == UInt128.Zero)
            {
                break;
            }

            if ((slot & ~GenerationMask) == key)
            {
                if (IsLive(slot))
                {
                    return false;
                }

                // The same key seen again after the window: it is new, and starts a new generation.
                _slots[index] = key | (byte)_generation;
                return true;
            }

            index = (index + 1) & mask;
        }

        _slots[index] = key | (byte)_generation;
        _count++;
        if (_count * 4 > _slots.Length * 3)
        {
            Rebuild(_oldestKept, grow: true);
        }

        return true;
    }

    /// <summary>The 120-bit key of an idempotency key: xxHash128 with the low byte cleared for the generation, never zero.</summary>
    public static UInt128 Hash(string idempotencyKey)
    {
        Span<byte> buffer = stackalloc byte[512];
        var bytes = Encoding.UTF8.GetMaxByteCount(idempotencyKey.Length) <= buffer.Length
            ? buffer[..Encoding.UTF8.GetBytes(idempotencyKey, buffer)]
            : Encoding.UTF8.GetBytes(idempotencyKey);
        var hash = XxHash128.HashToUInt128(bytes) & ~GenerationMask;
        return hash == UInt128.Zero ? GenerationMask + 1 : hash;
    }

    /// <summary>Writes the live keys, tagged with the log position they cover.</summary>
    public void Save(Stream stream, long position)
    {
        var header = new byte[36];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(4), Window.Ticks);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(12), position);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(20), _generation);
        long live = 0;
        foreach (var slot in _slots)
        {
            if (slot != UInt128.Zero && IsLive(slot))
            {
                live++;
            }
        }

        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(28), live);
        var crc = new Crc32();
        crc.Append(header);
        stream.Write(header);
        var buffer = new byte[16 * 4096];
        var filled = 0;
        foreach (var slot in _slots)
        {
            if (slot == UInt128.Zero || !IsLive(slot))
            {
                continue;
            }

            BinaryPrimitives.WriteUInt128LittleEndian(buffer.AsSpan(filled), slot);
            filled += 16;
            if (filled == buffer.Length)
            {
                crc.Append(buffer);
                stream.Write(buffer);
                filled = 0;
            }
        }

        crc.Append(buffer.AsSpan(0, filled));
        stream.Write(buffer, 0, filled);

        Span<byte> checksum = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(checksum, crc.GetCurrentHashAsUInt32());
        stream.Write(checksum);
    }

    /// <summary>Reads a state written by <see cref="Save"/>; null when the data is damaged or was saved for another window.</summary>
    public static (Deduplicator State, long Position)? Load(byte[] data, TimeSpan window, int maxKeys = int.MaxValue)
    {
        if (data.Length < 40
            || Crc32.HashToUInt32(data.AsSpan(0, data.Length - 4)) != BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(data.Length - 4))
            || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic
            || BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(4)) != window.Ticks)
        {
            return null;
        }

        var position = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(12));
        var generation = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(20));
        var count = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(28));
        if (count < 0 || 36 + (count * 16) + 4 != data.Length)
        {
            return null;
        }

        var state = new Deduplicator(window, maxKeys);
        if (generation != long.MinValue)
        {
            (state._generation, state._oldestKept, state._lastPurge) = (generation, generation - Slices, generation);
        }

        state._slots = new UInt128[CapacityFor((int)count)];
        for (var i = 0; i < count; i++)
        {
            state.Insert(BinaryPrimitives.ReadUInt128LittleEndian(data.AsSpan(36 + (i * 16))));
        }

        return (state, position);
    }

    /// <summary>
    /// Moves to the generation of the current log time. Stored tags are kept within 128 generations of the current one
    /// (so that the 8-bit tag cannot wrap): every 64 generations, or before a larger jump, expired keys are purged.
    /// </summary>
    private void Advance(long generation)
    {
        if (generation <= _generation)
        {
            return;
        }

        if (_generation == long.MinValue)
        {
            (_generation, _oldestKept, _lastPurge) = (generation, generation - Slices, generation);
            return;
        }

        var oldest = Math.Max(_oldestKept, generation - Slices);
        if (generation - _lastPurge >= 64)
        {
            Rebuild(oldest, grow: false);
            _lastPurge = generation;
        }

        (_generation, _oldestKept) = (generation, Math.Max(_oldestKept, oldest));
    }

    /// <summary>The generation a stored key was first seen in (its tag is that generation modulo 256).</summary>
    private long GenerationOf(UInt128 slot) => _generation - (byte)((byte)_generation - (byte)(slot & GenerationMask));

    private bool IsLive(UInt128 slot) => GenerationOf(slot) >= _oldestKept;

    /// <summary>
    /// Rehashes the keys first seen at or after <paramref name="oldest"/> into a table sized for them; over
    /// <see cref="MaxKeys"/>, the oldest generations are forgotten early.
    /// </summary>
    private void Rebuild(long oldest, bool grow)
    {
        // Count the keys of each generation still in the window, then give up the oldest generations while over the limit.
        Span<long> perGeneration = stackalloc long[Slices + 1];
        foreach (var slot in _slots)
        {
            if (slot != UInt128.Zero && GenerationOf(slot) is var generation && generation >= oldest && _generation - generation <= Slices)
            {
                perGeneration[(int)(_generation - generation)]++;
            }
        }

        long live = 0;
        foreach (var count in perGeneration)
        {
            live += count;
        }

        for (var age = Slices; live > MaxKeys && age > 0; age--)
        {
            if (_generation - age >= oldest)
            {
                live -= perGeneration[age];
                oldest = _generation - age + 1;
            }
        }

        _oldestKept = Math.Max(_oldestKept, oldest);
        var capacity = CapacityFor((int)live);
        if (grow && capacity <= _slots.Length && live * 2 > _slots.Length)
        {
            capacity = _slots.Length * 2;
        }

        var old = _slots;
        _slots = new UInt128[capacity];
        _count = 0;
        foreach (var slot in old)
        {
            if (slot != UInt128.Zero && GenerationOf(slot) >= _oldestKept)
            {
                Insert(slot);
            }
        }
    }

    private void Insert(UInt128 slot)
    {
        var mask = _slots.Length - 1;
        var index = (int)(ulong)(slot >> 64) & mask;
        while (_slots[index] != UInt128.Zero)
        {
            index = (index + 1) & mask;
        }

        _slots[index] = slot;
        _count++;
    }

    private static int CapacityFor(int keys) =>
        (int)Math.Max(MinimumCapacity, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, keys * 2)));
}
