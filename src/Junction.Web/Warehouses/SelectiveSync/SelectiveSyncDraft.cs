using Junction.Warehouses.ControlPlane;

namespace Junction.Web.Warehouses.SelectiveSync;

/// <summary>
/// Selective sync for one source as the tab edits it: each table and column on or off, as listed by
/// <c>WarehouseService.ListSelectiveSyncsAsync</c>, and what was switched since. <see cref="Changes"/> makes the
/// overrides of <c>UpdateSelectiveSyncAsync</c>, one per switch that changed.
/// </summary>
internal sealed class SelectiveSyncDraft
{
    /// <summary>Columns every load needs, which cannot be turned off (the service refuses it too).</summary>
    public static readonly IReadOnlySet<string> RequiredColumns = new HashSet<string>(StringComparer.Ordinal) { "id", "received_at" };

    private readonly Dictionary<(string Table, string? Column), bool> _saved = [];
    private readonly Dictionary<(string Table, string? Column), bool> _current = [];

    public SelectiveSyncDraft(string sourceId, IEnumerable<SelectiveSyncItem> items)
    {
        SourceId = sourceId;
        Tables = items.OrderBy(i => i.Collection, StringComparer.Ordinal).ToList();
        foreach (var item in Tables)
        {
            _saved[(item.Collection, null)] = item.Enabled;
            foreach (var (column, enabled) in item.Properties)
            {
                _saved[(item.Collection, column)] = enabled;
            }
        }

        Reset();
    }

    public string SourceId { get; }

    /// <summary>The source's tables by name, each with its columns.</summary>
    public IReadOnlyList<SelectiveSyncItem> Tables { get; }

    public int ChangeCount => _current.Count(c => _saved[c.Key] != c.Value);

    public bool IsChanged => ChangeCount > 0;

    public bool IsOn(string table, string? column = null) => _current.GetValueOrDefault((table, column), true);

    public void Set(string table, string? column, bool on)
    {
        if (column is null || !RequiredColumns.Contains(column))
        {
            _current[(table, column)] = on;
        }
    }

    /// <summary>How many of a table's columns are off.</summary>
    public int ColumnsOff(SelectiveSyncItem table) => table.Properties.Keys.Count(c => !IsOn(table.Collection, c));

    public void Reset()
    {
        _current.Clear();
        foreach (var (key, enabled) in _saved)
        {
            _current[key] = enabled;
        }
    }

    /// <summary>One override per switch that changed: tables first, then columns, each by name.</summary>
    public IReadOnlyList<SyncOverride> Changes() =>
        _current.Where(c => _saved[c.Key] != c.Value)
            .OrderBy(c => c.Key.Column is not null)
            .ThenBy(c => c.Key.Table, StringComparer.Ordinal)
            .ThenBy(c => c.Key.Column, StringComparer.Ordinal)
            .Select(c => new SyncOverride(SourceId, c.Key.Table, c.Key.Column, c.Value))
            .ToList();
}
