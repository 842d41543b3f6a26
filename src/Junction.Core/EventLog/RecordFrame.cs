using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Junction.EventLog;

/// <summary>
/// The on-disk frame of one record in a segment file:
/// <c>u32 bodyLength | u32 crc32(body) | body</c>, where
/// <c>body = u8 version | i64 appendedAtUnixMs | u16 len | partitionKey | u16 len | idempotencyKey | u16 len | tag | payload</c>,
/// all little-endian. A frame whose length runs past the end of the file or whose checksum does not match is a
/// torn write: recovery cuts the file there.
/// </summary>
internal static class RecordFrame
{
    public const int HeaderSize = 8;
    private const byte Version = 1;
    private const int FixedBodySize = 1 + 8 + 2 + 2 + 2;

    public static int MaxKeyBytes => ushort.MaxValue;

    public static int GetFrameSize(LogRecord record) =>
        HeaderSize + FixedBodySize
        + Encoding.UTF8.GetByteCount(record.PartitionKey)
        + Encoding.UTF8.GetByteCount(record.IdempotencyKey)
        + Encoding.UTF8.GetByteCount(record.Tag)
        + record.Payload.Length;

    /// <summary>Writes one frame and answers its size.</summary>
    public static int Write(IBufferWriter<byte> writer, LogRecord record, DateTimeOffset appendedAt)
    {
        var pkLength = Encoding.UTF8.GetByteCount(record.PartitionKey);
        var ikLength = Encoding.UTF8.GetByteCount(record.IdempotencyKey);
        var tagLength = Encoding.UTF8.GetByteCount(record.Tag);
        var bodyLength = FixedBodySize + pkLength + ikLength + tagLength + record.Payload.Length;
        var frameLength = HeaderSize + bodyLength;
        var span = writer.GetSpan(frameLength)[..frameLength];

        var body = span[HeaderSize..];
        body[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(body[1..], appendedAt.ToUnixTimeMilliseconds());
        var at = 9;
        BinaryPrimitives.WriteUInt16LittleEndian(body[at..], (ushort)pkLength);
        at += 2;
        at += Encoding.UTF8.GetBytes(record.PartitionKey, body[at..]);
        BinaryPrimitives.WriteUInt16LittleEndian(body[at..], (ushort)ikLength);
        at += 2;
        at += Encoding.UTF8.GetBytes(record.IdempotencyKey, body[at..]);
        BinaryPrimitives.WriteUInt16LittleEndian(body[at..], (ushort)tagLength);
        at += 2;
        at += Encoding.UTF8.GetBytes(record.Tag, body[at..]);
        record.Payload.Span.CopyTo(body[at..]);

        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)bodyLength);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], Crc32.HashToUInt32(body));
        writer.Advance(frameLength);
        return frameLength;
    }

    internal enum ReadOutcome
    {
        Complete,
        NeedMoreData,
        Corrupt,
    }

    /// <summary>
    /// Reads the frame at the start of <paramref name="buffer"/>. <paramref name="frameLength"/> is the whole frame's
    /// size when complete, or the size needed when more data is required.
    /// </summary>
    public static ReadOutcome TryRead(
        ReadOnlyMemory<byte> buffer,
        out int frameLength,
        out DateTimeOffset appendedAt,
        out string partitionKey,
        out string idempotencyKey,
        out string tag,
        out ReadOnlyMemory<byte> payload)
    {
        frameLength = 0;
        appendedAt = default;
        partitionKey = "";
        idempotencyKey = "";
        tag = "";
        payload = default;
        var span = buffer.Span;
        if (span.Length < HeaderSize)
        {
            frameLength = HeaderSize;
            return ReadOutcome.NeedMoreData;
        }

        var bodyLength = BinaryPrimitives.ReadUInt32LittleEndian(span);
        if (bodyLength < FixedBodySize || bodyLength > int.MaxValue - HeaderSize)
        {
            return ReadOutcome.Corrupt;
        }

        frameLength = HeaderSize + (int)bodyLength;
        if (span.Length < frameLength)
        {
            return ReadOutcome.NeedMoreData;
        }

        var body = span.Slice(HeaderSize, (int)bodyLength);
        if (Crc32.HashToUInt32(body) != BinaryPrimitives.ReadUInt32LittleEndian(span[4..]) || body[0] != Version)
        {
            return ReadOutcome.Corrupt;
        }

        appendedAt = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(body[1..]));
        var at = 9;
        int pkLength = BinaryPrimitives.ReadUInt16LittleEndian(body[at..]);
        at += 2;
        if (at + pkLength + 2 > body.Length)
        {
            return ReadOutcome.Corrupt;
        }

        partitionKey = Encoding.UTF8.GetString(body.Slice(at, pkLength));
        at += pkLength;
        int ikLength = BinaryPrimitives.ReadUInt16LittleEndian(body[at..]);
        at += 2;
        if (at + ikLength + 2 > body.Length)
        {
            return ReadOutcome.Corrupt;
        }

        idempotencyKey = Encoding.UTF8.GetString(body.Slice(at, ikLength));
        at += ikLength;
        int tagLength = BinaryPrimitives.ReadUInt16LittleEndian(body[at..]);
        at += 2;
        if (at + tagLength > body.Length)
        {
            return ReadOutcome.Corrupt;
        }

        tag = tagLength == 0 ? "" : Encoding.UTF8.GetString(body.Slice(at, tagLength));
        at += tagLength;
        payload = buffer.Slice(HeaderSize + at, (int)bodyLength - at);
        return ReadOutcome.Complete;
    }
}
