using System.Text;

namespace Junction.EventLog;

/// <summary>
/// Maps a partition key to a partition with 32-bit FNV-1a over its UTF-8 bytes, modulo the partition count.
/// This is the same function NATS uses for its <c>partition(n)</c> subject mapping, so a gateway and a
/// JetStream server can agree on where a user's events go.
/// </summary>
internal static class LogPartitioner
{
    public static int PartitionOf(string partitionKey, int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        const uint OffsetBasis = 2166136261;
        const uint Prime = 16777619;
        var hash = OffsetBasis;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetMaxByteCount(partitionKey.Length) <= buffer.Length
            ? buffer[..Encoding.UTF8.GetBytes(partitionKey, buffer)]
            : Encoding.UTF8.GetBytes(partitionKey);
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= Prime;
        }

        return (int)(hash % (uint)partitionCount);
    }
}
