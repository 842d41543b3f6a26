using System.Buffers;
using Microsoft.Extensions.Logging;

namespace Junction.EventLog;

internal sealed partial class FileEventLog
{
    private static readonly TimeSpan RetentionCheckInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The writer thread: takes every append waiting at that moment, writes their frames to the partitions they
    /// belong to, fsyncs each touched partition once, then answers them all.
    /// </summary>
    private void WriterLoop()
    {
        var reader = _queue.Reader;
        var group = new List<AppendRequest>();
        var buffers = new ArrayBufferWriter<byte>[_partitions.Length];
        for (var i = 0; i < buffers.Length; i++)
        {
            buffers[i] = new ArrayBufferWriter<byte>(64 * 1024);
        }

        var nextRetentionCheck = _time.GetUtcNow();
        while (true)
        {
            if (!reader.TryPeek(out _))
            {
                if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                {
                    return;
                }
            }

            group.Clear();
            long groupBytes = 0;
            while (groupBytes < _options.MaxGroupBytes && reader.TryRead(out var request))
            {
                group.Add(request);
                foreach (var record in request.Records)
                {
                    groupBytes += record.Payload.Length + 64;
                }
            }

            // Retention runs before the group is answered, at most once a minute, so its effect is visible to callers.
            var now = _time.GetUtcNow();
            if (now >= nextRetentionCheck)
            {
                nextRetentionCheck = now + RetentionCheckInterval;
                ApplyRetention(now);
            }

            try
            {
                CommitGroup(group, groupBytes, buffers);
            }
            catch (Exception ex)
            {
                // Nothing may escape the writer thread: answer everyone "unavailable" and keep going.
                LogWriterFailed(_logger, ex);
                _problem = $"The event log could not write: {ex.Message}";
                foreach (var request in group)
                {
                    request.Completion.TrySetResult(Unavailable(request.Records.Count));
                }
            }
        }
    }

    private void CommitGroup(List<AppendRequest> group, long groupBytes, ArrayBufferWriter<byte>[] buffers)
    {
        var free = FreeBytes();
        Interlocked.Exchange(ref _lastFreeBytes, free);
        if (free - groupBytes < _options.MinFreeBytes)
        {
            foreach (var request in group)
            {
                request.Completion.TrySetResult(Full(request.Records.Count));
            }

            return;
        }

        var appendedAt = _time.GetUtcNow();
        var results = new AppendResult[group.Count][];
        var touched = new List<PartitionFiles>(_partitions.Length);
        for (var r = 0; r < group.Count; r++)
        {
            var records = group[r].Records;
            var answer = results[r] = new AppendResult[records.Count];
            for (var i = 0; i < records.Count; i++)
            {
                var record = records[i];
                if (RecordFrame.GetFrameSize(record) > _options.MaxRecordBytes
                    || record.PartitionKey.Length > RecordFrame.MaxKeyBytes / 4
                    || record.IdempotencyKey.Length > RecordFrame.MaxKeyBytes / 4)
                {
                    answer[i] = new AppendResult(AppendStatus.TooLarge, -1, default);
                    continue;
                }

                var partition = LogPartitioner.PartitionOf(record.PartitionKey, _partitions.Length);
                var buffer = buffers[partition];
                if (buffer.WrittenCount == 0)
                {
                    touched.Add(_partitions[partition]);
                }

                RecordFrame.Write(buffer, record, appendedAt);

                // The position is where the record ends; it is made absolute once the partition's base is known.
                answer[i] = new AppendResult(AppendStatus.Stored, partition, new LogPosition(buffer.WrittenCount));
            }
        }

        var written = WriteAndSync(touched, buffers);
        foreach (var files in touched)
        {
            buffers[files.Index].ResetWrittenCount();
        }

        for (var r = 0; r < group.Count; r++)
        {
            var answer = results[r];
            for (var i = 0; i < answer.Length; i++)
            {
                var result = answer[i];
                if (result.Status != AppendStatus.Stored)
                {
                    continue;
                }

                answer[i] = written.TryGetValue(result.Partition, out var start)
                    ? result with { Position = new LogPosition(start + result.Position.Value) }
                    : new AppendResult(AppendStatus.Unavailable, -1, default);
            }

            group[r].Completion.TrySetResult(answer);
        }
    }

    /// <summary>
    /// Writes each touched partition's frames and syncs them. Answers, for every partition whose write was made
    /// durable, the logical offset where its frames start. A partition whose write failed is put back to its last
    /// synced length so that no half-written frame stays behind.
    /// </summary>
    private Dictionary<int, long> WriteAndSync(List<PartitionFiles> touched, ArrayBufferWriter<byte>[] buffers)
    {
        var starts = new Dictionary<int, long>(touched.Count);
        var failed = new List<(PartitionFiles Files, Exception Error)>();
        foreach (var files in touched)
        {
            if (files.ActiveLength >= _options.SegmentBytes)
            {
                files.Roll();
            }

            try
            {
                RandomAccess.Write(files.WriteHandle, buffers[files.Index].WrittenSpan, files.ActiveLength);
                starts[files.Index] = files.ActiveBase + files.ActiveLength;
            }
            catch (IOException ex)
            {
                failed.Add((files, ex));
            }
        }

        // The syncs run one after another on this thread: a few hundred microseconds each, and no thread-pool thread
        // is ever blocked in fsync (which would starve the request handlers on a small machine).
        var toSync = touched.Where(f => starts.ContainsKey(f.Index)).ToList();
        foreach (var files in toSync)
        {
            Sync(files, failed);
        }

        foreach (var (files, error) in failed)
        {
            starts.Remove(files.Index);
            LogWriteFailed(_logger, files.Index, error);
            try
            {
                files.Rewind();
            }
            catch (IOException rewindError)
            {
                LogWriteFailed(_logger, files.Index, rewindError);
            }
        }

        foreach (var files in toSync)
        {
            if (starts.ContainsKey(files.Index))
            {
                files.Advance(files.ActiveLength + buffers[files.Index].WrittenCount);
            }
        }

        _problem = failed.Count == 0 ? null : $"The event log could not write to disk: {failed[0].Error.Message}";
        return starts;
    }

    private static void Sync(PartitionFiles files, List<(PartitionFiles, Exception)> failed)
    {
        try
        {
            RandomAccess.FlushToDisk(files.WriteHandle);
        }
        catch (IOException ex)
        {
            failed.Add((files, ex));
        }
    }

    private void ApplyRetention(DateTimeOffset now)
    {
        try
        {
            for (var p = 0; p < _partitions.Length; p++)
            {
                var safeEnd = _positions.MinimumCommitted(p);
                if (safeEnd is { } end)
                {
                    _partitions[p].DeleteSegments(end, (now - _options.Retention).UtcDateTime);
                }
            }
        }
        catch (IOException ex)
        {
            LogRetentionFailed(_logger, ex);
        }
    }

    private static AppendResult[] Full(int count) =>
        Enumerable.Repeat(new AppendResult(AppendStatus.Full, -1, default), count).ToArray();

    private static AppendResult[] Unavailable(int count) =>
        Enumerable.Repeat(new AppendResult(AppendStatus.Unavailable, -1, default), count).ToArray();

    [LoggerMessage(Level = LogLevel.Error, Message = "Event log partition {Partition}: a write failed; the records were not acknowledged.")]
    private static partial void LogWriteFailed(ILogger logger, int partition, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The event log writer failed; the waiting appends were answered as unavailable.")]
    private static partial void LogWriterFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event log retention could not delete old segments.")]
    private static partial void LogRetentionFailed(ILogger logger, Exception error);
}
