namespace Junction.EventLog;

/// <summary>Settings of the embedded segment-file event log (configuration section <c>EventLog</c>).</summary>
internal sealed class FileEventLogOptions
{
    /// <summary>Where the log keeps its partitions and consumer positions.</summary>
    public string Directory { get; set; } = "";

    /// <summary>
    /// An id from the control plane checked for use in a log's directory path: 1–100 letters, digits, '-', '_' or '.',
    /// and not only dots. <paramref name="what"/> names it in the error ("Destination id").
    /// </summary>
    public static string DirectoryName(string id, string what) =>
        id.Length is 0 or > 100 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || id.All(c => c == '.')
            ? throw new ArgumentException($"{what} '{id}' cannot name a directory: use 1-100 letters, digits, '-', '_' or '.'.", nameof(id))
            : id;

    /// <summary>
    /// Partitions of a new log. A log keeps the count it was created with (it is written in <c>log.json</c>),
    /// because changing it would move users between partitions and break their order.
    /// </summary>
    public int Partitions { get; set; } = 4;

    /// <summary>A segment file is closed and a new one started once it reaches this size.</summary>
    public long SegmentBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>Appends are refused (the gateway answers 503) while the disk has less free space than this.</summary>
    public long MinFreeBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>The largest record the log stores.</summary>
    public int MaxRecordBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Segments are deleted once every consumer has committed past them and they are older than this, so that
    /// recent events can be replayed or exported.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Appends waiting for the writer beyond this number make callers wait (back-pressure).</summary>
    public int MaxPendingAppends { get; set; } = 8192;

    /// <summary>One group commit writes at most this many bytes before it syncs.</summary>
    public int MaxGroupBytes { get; set; } = 8 * 1024 * 1024;
}
