using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Junction.Warehouses.Schema;

/// <summary>
/// The warehouse names of the members of one JSON object (the top of <c>properties</c> or <c>traits</c>, the top of
/// <c>context</c>, or a nested object), memoized by the member's raw UTF-8 name so that the millions of events of a
/// load neither allocate a string per member name nor convert a name twice. Each nested object has its own
/// <see cref="PropertyNames"/> under its <see cref="PropertyName"/>, so a name is looked up by its own bytes only.
/// </summary>
internal sealed class PropertyNames
{
    /// <summary>Every tree of names together holds at most this many names; beyond it, the roots start afresh.</summary>
    private const int Capacity = 200_000;

    private static int _count;
    private static PropertyNames _properties = new(string.Empty);
    private static PropertyNames _context = new("context");

    private readonly ConcurrentDictionary<byte[], PropertyName> _names = new(Utf8Keys.Instance);
    private readonly ConcurrentDictionary<byte[], PropertyName>.AlternateLookup<ReadOnlySpan<byte>> _byBytes;

    private PropertyNames(string path)
    {
        Path = path;
        _byBytes = _names.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>The names of the members of <c>properties</c> and <c>traits</c>.</summary>
    public static PropertyNames Properties => Volatile.Read(ref _properties);

    /// <summary>The names of the members of <c>context</c> (<c>context_…</c>).</summary>
    public static PropertyNames Context => Volatile.Read(ref _context);

    /// <summary>The snake_case path of the object these members belong to (empty at the top of properties or traits).</summary>
    public string Path { get; }

    /// <summary>The name of one member of the object.</summary>
    public PropertyName Get(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (_byBytes.TryGetValue(raw, out var name))
        {
            return name;
        }

        name = WarehouseNames.Property(Path, property.Name);
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            Interlocked.Exchange(ref _count, 0);
            Volatile.Write(ref _properties, new PropertyNames(string.Empty));
            Volatile.Write(ref _context, new PropertyNames("context"));
        }

        return _names.GetOrAdd(raw.ToArray(), name);
    }

    /// <summary>The names of the members of a nested object whose path is <paramref name="path"/>.</summary>
    internal static PropertyNames Nested(string path) => new(path);

    /// <summary>Compares keys by their bytes, and byte spans with keys, so that lookups need no array.</summary>
    private sealed class Utf8Keys : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static Utf8Keys Instance { get; } = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode(obj.AsSpan());

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = default(HashCode);
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}

/// <summary>
/// A property's name in the warehouse: <see cref="Path"/> is its snake_case path (what the names of its members extend),
/// <see cref="Column"/> its column after the prefix and length rules, or null when it has none. Whether the column is
/// one of the event's own (<see cref="WarehouseColumns.IsReserved"/>) is worked out once, with the prefixed name.
/// </summary>
internal sealed class PropertyName
{
    private PropertyNames? _members;

    public PropertyName(string path, string? column)
    {
        Path = path;
        Column = column;
        if (column is not null && WarehouseColumns.IsReserved(column, pageOrScreen: true))
        {
            ReservedOnPages = true;
            Reserved = WarehouseColumns.IsReserved(column, pageOrScreen: false);
            Prefixed = WarehouseNames.Prefixed(column);
        }
    }

    public string Path { get; }

    public string? Column { get; }

    /// <summary>Whether a property or trait with this name must take <see cref="Prefixed"/> in any table.</summary>
    public bool Reserved { get; }

    /// <summary>Whether it must take <see cref="Prefixed"/> in <c>pages</c> and <c>screens</c> (also <c>name</c> and <c>category</c>).</summary>
    public bool ReservedOnPages { get; }

    /// <summary>The column with a <c>_</c> prefix, when the column is reserved somewhere.</summary>
    public string? Prefixed { get; }

    /// <summary>The names of the members of this property when its value is an object.</summary>
    public PropertyNames Members
    {
        get
        {
            var members = Volatile.Read(ref _members);
            return members ?? Interlocked.CompareExchange(ref _members, PropertyNames.Nested(Path), null) ?? _members!;
        }
    }
}
