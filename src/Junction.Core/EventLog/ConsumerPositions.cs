using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Hashing;

namespace Junction.EventLog;

/// <summary>
/// Committed positions of the embedded log's consumers: one small file per consumer holding one position per
/// partition and a checksum, replaced atomically (write a temporary file, fsync, rename).
/// </summary>
internal sealed class ConsumerPositions
{
    private readonly string _directory;
    private readonly int _partitions;
    private readonly ConcurrentDictionary<string, Consumer> _consumers = new(StringComparer.Ordinal);

    public ConsumerPositions(string directory, int partitions)
    {
        _directory = directory;
        _partitions = partitions;
    }

    public void Load()
    {
        Directory.CreateDirectory(_directory);
        foreach (var path in Directory.EnumerateFiles(_directory, "*.pos"))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            var bytes = File.ReadAllBytes(path);
            var positions = Decode(bytes) ?? throw new InvalidDataException(
                $"The committed positions in {path} are damaged. Remove the file to make that consumer start from the beginning.");
            _consumers[name] = new Consumer(positions);
        }
    }

    public long Get(string consumer, int partition) =>
        _consumers.TryGetValue(consumer, out var state) ? Volatile.Read(ref state.Positions[partition]) : 0;

    /// <summary>The lowest committed position of any consumer on a partition, or null when there is no consumer yet.</summary>
    public long? MinimumCommitted(int partition) =>
        _consumers.IsEmpty ? null : _consumers.Values.Min(c => Volatile.Read(ref c.Positions[partition]));

    public async ValueTask CommitAsync(string consumer, int partition, long position, CancellationToken cancellationToken)
    {
        ValidateName(consumer);
        var state = _consumers.GetOrAdd(consumer, _ => new Consumer(new long[_partitions]));
        await state.Gate.WaitAsync(cancellationToken);
        try
        {
            if (position <= state.Positions[partition])
            {
                return;
            }

            var next = (long[])state.Positions.Clone();
            next[partition] = position;
            var path = Path.Combine(_directory, consumer + ".pos");
            var temp = path + ".tmp";
            await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await stream.WriteAsync(Encode(next), cancellationToken);
#pragma warning disable CA1849 // FlushAsync cannot fsync; this is the durability point.
                stream.Flush(flushToDisk: true);
#pragma warning restore CA1849
            }

            File.Move(temp, path, overwrite: true);
            Volatile.Write(ref state.Positions[partition], position);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private static void ValidateName(string consumer)
    {
        if (consumer.Length is 0 or > 100 || !consumer.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"Consumer name '{consumer}' must be 1-100 letters, digits, '-', '_' or '.'.", nameof(consumer));
        }
    }

    private static byte[] Encode(long[] positions)
    {
        var bytes = new byte[4 + (positions.Length * 8) + 4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, positions.Length);
        for (var i = 0; i < positions.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(4 + (i * 8)), positions[i]);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4)));
        return bytes;
    }

    private long[]? Decode(byte[] bytes)
    {
        if (bytes.Length < 8
            || Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4)) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)))
        {
            return null;
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (count != _partitions || bytes.Length != 4 + (count * 8) + 4)
        {
            return null;
        }

        var positions = new long[count];
        for (var i = 0; i < count; i++)
        {
            positions[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(4 + (i * 8)));
        }

        return positions;
    }

    private sealed class Consumer(long[] positions)
    {
        public long[] Positions { get; } = positions;

        public SemaphoreSlim Gate { get; } = new(1, 1);
    }
}
