using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Junction.EventLog;

/// <summary>
/// The segment files of one partition. A position is the logical byte offset just past a record, counted from
/// the start of the partition: segment files are named by the logical offset of their first byte.
/// Only the writer thread changes the files; readers see data up to <see cref="DurableEnd"/>, which the writer
/// publishes after each sync, so they never see a torn or unsynced frame.
/// </summary>
internal sealed class PartitionFiles : IDisposable
{
    private const string Extension = ".seg";
    private readonly string _directory;
    private readonly Lock _segmentsLock = new();
    private readonly ConcurrentDictionary<long, SafeFileHandle> _readHandles = new();
    private List<Segment> _segments = [];
    private SafeFileHandle? _writeHandle;
    private long _durableEnd;
    private TaskCompletionSource _appended = NewSignal();

    public PartitionFiles(int index, string directory)
    {
        Index = index;
        _directory = directory;
    }

    public int Index { get; }

    /// <summary>The logical end of synced data. Readers never read beyond it.</summary>
    public long DurableEnd => Volatile.Read(ref _durableEnd);

    /// <summary>The logical offset where the active segment starts.</summary>
    public long ActiveBase { get; private set; }

    /// <summary>The size of the active segment file as the writer knows it.</summary>
    public long ActiveLength { get; private set; }

    public SafeFileHandle WriteHandle => _writeHandle ?? throw new InvalidOperationException("The partition is not open.");

    /// <summary>
    /// Opens the partition: finds its segments and cuts a torn tail off the newest one.
    /// Answers the number of bytes cut.
    /// </summary>
    public long Open()
    {
        System.IO.Directory.CreateDirectory(_directory);
        var segments = new List<Segment>();
        foreach (var path in System.IO.Directory.EnumerateFiles(_directory, "*" + Extension))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            {
                segments.Add(new Segment(start, path, new FileInfo(path).Length));
            }
        }

        segments.Sort((a, b) => a.Base.CompareTo(b.Base));
        if (segments.Count == 0)
        {
            segments.Add(new Segment(0, SegmentPath(0), 0));
        }

        var active = segments[^1];
        _writeHandle = File.OpenHandle(active.Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        var validLength = ScanValidLength(_writeHandle, RandomAccess.GetLength(_writeHandle));
        var cut = RandomAccess.GetLength(_writeHandle) - validLength;
        if (cut > 0)
        {
            RandomAccess.SetLength(_writeHandle, validLength);
            RandomAccess.FlushToDisk(_writeHandle);
        }

        segments[^1] = active with { Length = validLength };
        _segments = segments;
        ActiveBase = active.Base;
        ActiveLength = validLength;
        _durableEnd = active.Base + validLength;
        return cut;
    }

    /// <summary>Closes the active segment and starts a new one at the current end. Writer thread only.</summary>
    public void Roll()
    {
        var newBase = ActiveBase + ActiveLength;
        var handle = File.OpenHandle(SegmentPath(newBase), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite);
        FlushDirectory();
        var old = _writeHandle;
        _writeHandle = handle;
        lock (_segmentsLock)
        {
            var list = new List<Segment>(_segments);
            list[^1] = list[^1] with { Length = ActiveLength };
            list.Add(new Segment(newBase, SegmentPath(newBase), 0));
            _segments = list;
        }

        ActiveBase = newBase;
        ActiveLength = 0;
        old?.Dispose();
    }

    /// <summary>Records that the active segment grew to <paramref name="length"/> and was synced. Writer thread only.</summary>
    public void Advance(long length)
    {
        ActiveLength = length;
        Volatile.Write(ref _durableEnd, ActiveBase + length);
        var signal = Interlocked.Exchange(ref _appended, NewSignal());
        signal.TrySetResult();
    }

    /// <summary>Puts the active segment back to the last synced length after a failed write. Writer thread only.</summary>
    public void Rewind() => RandomAccess.SetLength(WriteHandle, ActiveLength);

    /// <summary>A task that completes at the next <see cref="Advance"/>.</summary>
    public Task WhenAppended() => Volatile.Read(ref _appended).Task;

    /// <summary>Reads synced bytes starting at a logical offset into <paramref name="buffer"/>; answers the count read.</summary>
    public int Read(long logicalOffset, Span<byte> buffer)
    {
        var end = DurableEnd;
        if (logicalOffset >= end)
        {
            return 0;
        }

        var segment = FindSegment(logicalOffset);
        if (segment is null)
        {
            throw new InvalidOperationException(
                $"Position {logicalOffset} of partition {Index} is no longer stored (its segment was removed by retention).");
        }

        var segmentEnd = segment.Base == ActiveBaseVolatile() ? end : segment.Base + segment.Length;
        var available = (int)Math.Min(buffer.Length, Math.Min(end, segmentEnd) - logicalOffset);
        if (available <= 0)
        {
            return 0;
        }

        var handle = _readHandles.GetOrAdd(segment.Base, static (_, path) =>
            File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete), segment.Path);
        return RandomAccess.Read(handle, buffer[..available], logicalOffset - segment.Base);
    }

    /// <summary>Deletes closed segments that end at or before <paramref name="safeEnd"/> and were last written before <paramref name="olderThan"/>.</summary>
    public int DeleteSegments(long safeEnd, DateTime olderThan)
    {
        List<Segment> removed;
        lock (_segmentsLock)
        {
            removed = _segments
                .Take(_segments.Count - 1)
                .Where(s => s.Base + s.Length <= safeEnd && File.GetLastWriteTimeUtc(s.Path) < olderThan)
                .ToList();
            if (removed.Count == 0)
            {
                return 0;
            }

            _segments = _segments.Except(removed).ToList();
        }

        foreach (var segment in removed)
        {
            if (_readHandles.TryRemove(segment.Base, out var handle))
            {
                handle.Dispose();
            }

            File.Delete(segment.Path);
        }

        return removed.Count;
    }

    public void Dispose()
    {
        _writeHandle?.Dispose();
        foreach (var handle in _readHandles.Values)
        {
            handle.Dispose();
        }

        _readHandles.Clear();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private long ActiveBaseVolatile()
    {
        lock (_segmentsLock)
        {
            return _segments[^1].Base;
        }
    }

    private Segment? FindSegment(long logicalOffset)
    {
        lock (_segmentsLock)
        {
            for (var i = _segments.Count - 1; i >= 0; i--)
            {
                var segment = _segments[i];
                if (segment.Base <= logicalOffset)
                {
                    // A reader positioned exactly at the end of a closed segment continues in the next one.
                    if (i < _segments.Count - 1 && logicalOffset >= segment.Base + segment.Length)
                    {
                        return _segments[i + 1];
                    }

                    return segment;
                }
            }

            return null;
        }
    }

    private string SegmentPath(long start) =>
        Path.Combine(_directory, start.ToString("D20", CultureInfo.InvariantCulture) + Extension);

    private void FlushDirectory()
    {
        // Make the new file's directory entry durable: open the directory and fsync it.
        try
        {
            using var dir = File.OpenHandle(_directory, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.None);
            RandomAccess.FlushToDisk(dir);
        }
        catch (UnauthorizedAccessException)
        {
            // Some platforms do not allow opening a directory; the file's own fsync still covers its data.
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Scans frames from the start and answers the length of the valid prefix.</summary>
    private static long ScanValidLength(SafeFileHandle handle, long length)
    {
        var buffer = new byte[1024 * 1024];
        long offset = 0;
        var filled = 0;
        var consumed = 0;
        while (true)
        {
            var outcome = RecordFrame.TryRead(
                buffer.AsMemory(consumed, filled - consumed), out var frameLength, out _, out _, out _, out _, out _);
            if (outcome == RecordFrame.ReadOutcome.Complete)
            {
                consumed += frameLength;
                offset += frameLength;
                continue;
            }

            if (outcome == RecordFrame.ReadOutcome.Corrupt)
            {
                return offset;
            }

            // Need more data: compact and read further.
            var remaining = filled - consumed;
            if (frameLength > buffer.Length)
            {
                Array.Resize(ref buffer, frameLength);
            }

            Array.Copy(buffer, consumed, buffer, 0, remaining);
            consumed = 0;
            filled = remaining;
            var fileOffset = offset + remaining;
            if (fileOffset >= length)
            {
                return offset;
            }

            var read = RandomAccess.Read(handle, buffer.AsSpan(filled), fileOffset);
            if (read == 0)
            {
                return offset;
            }

            filled += read;
        }
    }

    private sealed record Segment(long Base, string Path, long Length);
}
