using System.Globalization;
using System.Text;

namespace Junction.Warehouses.Schema;

/// <summary>
/// Segment's naming of schemas, tables and columns: names in snake_case, and every name usable in SQL without quotes
/// in both DuckDB and PostgreSQL. A name that starts with a digit or is a reserved word (<see cref="ReservedWords"/>)
/// gets a <c>_</c> prefix, and a name longer than 63 UTF-8 bytes (PostgreSQL's identifier limit, applied to DuckDB too
/// so that both warehouses get the same schema) is cut at a character boundary. A name with no letter or digit has no
/// column: its values are discarded. The conversions are memoized, because the same names come with every event.
/// </summary>
internal static class WarehouseNames
{
    /// <summary>The longest name, in UTF-8 bytes.</summary>
    public const int MaxBytes = 63;

    private const int CacheCapacity = 100_000;

    private static readonly NameCache<string, string?> Columns = new(CacheCapacity, name => Escape(ToSnakeCase(name)));

    private static readonly NameCache<string, string?> Tables = new(CacheCapacity, EscapeTable);

    private static readonly NameCache<string, string> Prefixes = new(CacheCapacity, column => Truncate("_" + column));

    private enum Kind
    {
        None,
        Upper,
        Lower,
        Digit,
    }

    /// <summary>
    /// Converts a name to snake_case: a word boundary before an upper-case letter that follows a lower-case letter or
    /// digit (<c>productId</c> → <c>product_id</c>) or that starts a word after an acronym (<c>HTTPServer</c> →
    /// <c>http_server</c>); each run of characters that are not letters or digits becomes one <c>_</c>, none at either
    /// end; letters are lower-cased, Unicode ones kept (combining marks stay with their letter).
    /// </summary>
    public static string ToSnakeCase(string name)
    {
        if (IsSnakeCase(name))
        {
            return name;
        }

        var builder = new StringBuilder(name.Length + 4);
        Span<char> lower = stackalloc char[2];
        var text = name.AsSpan();
        var previous = Kind.None;
        var separated = false;
        var index = 0;
        while (index < text.Length)
        {
            Rune.DecodeFromUtf16(text[index..], out var rune, out var length);
            index += length;
            var kind = Classify(rune);
            if (kind == Kind.None)
            {
                separated = builder.Length > 0;
                previous = Kind.None;
                continue;
            }

            var boundary = separated
                || (kind == Kind.Upper && previous is (Kind.Lower or Kind.Digit))
                || (kind == Kind.Upper && previous == Kind.Upper && NextKind(text[index..]) == Kind.Lower);
            if (boundary && builder.Length > 0)
            {
                builder.Append('_');
            }

            separated = false;
            builder.Append(lower[..Rune.ToLowerInvariant(rune).EncodeToUtf16(lower)]);
            previous = kind;
        }

        return builder.ToString();
    }

    /// <summary>The column for a property or trait name, or null when the name has no letter or digit.</summary>
    public static string? Column(string name) => Columns.Get(name);

    /// <summary>
    /// The table for a Track event's name, or null when the name has no letter or digit. A name equal to a fixed table
    /// (<see cref="WarehouseTables.Fixed"/>) gets a <c>_</c> prefix.
    /// </summary>
    public static string? Table(string eventName) => Tables.Get(eventName);

    /// <summary>The schema for a source, from its slug (which always has a letter or digit).</summary>
    public static string Schema(string sourceSlug) =>
        Escape(ToSnakeCase(sourceSlug)) ?? throw new ArgumentException($"The slug \"{sourceSlug}\" has no letter or digit.", nameof(sourceSlug));

    /// <summary><paramref name="column"/> with a <c>_</c> prefix (and cut to <see cref="MaxBytes"/> again).</summary>
    public static string Prefixed(string column) => Prefixes.Get(column);

    /// <summary>
    /// The name of <paramref name="key"/> inside an object whose snake_case path is <paramref name="parentPath"/>
    /// (empty at the top). Objects are flattened with <c>_</c>, so <c>address.streetName</c> becomes
    /// <c>address_street_name</c>. Not memoized: <see cref="PropertyNames"/> keeps the names of each object's members.
    /// </summary>
    public static PropertyName Property(string parentPath, string key)
    {
        var snake = ToSnakeCase(key);
        var path = parentPath.Length == 0 ? snake : snake.Length == 0 ? parentPath : parentPath + "_" + snake;
        return new PropertyName(path, Escape(path));
    }

    /// <summary>Applies the prefix and length rules to a snake_case name; null when it is empty.</summary>
    public static string? Escape(string snake)
    {
        if (snake.Length == 0)
        {
            return null;
        }

        Rune.DecodeFromUtf16(snake, out var first, out _);
        var escaped = Rune.IsDigit(first) || ReservedWords.Contains(snake) ? "_" + snake : snake;
        return Truncate(escaped);
    }

    /// <summary>Cuts a name to <see cref="MaxBytes"/> UTF-8 bytes at a character boundary, without a trailing <c>_</c>.</summary>
    public static string Truncate(string name)
    {
        if (name.Length <= MaxBytes / 3 || Encoding.UTF8.GetByteCount(name) <= MaxBytes)
        {
            return name;
        }

        var bytes = 0;
        var index = 0;
        while (index < name.Length)
        {
            Rune.DecodeFromUtf16(name.AsSpan(index), out var rune, out var length);
            if (bytes + rune.Utf8SequenceLength > MaxBytes)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            index += length;
        }

        return name[..index].TrimEnd('_');
    }

    private static string? EscapeTable(string eventName)
    {
        var table = Escape(ToSnakeCase(eventName));
        return table is not null && WarehouseTables.Fixed.Contains(table) ? Truncate("_" + table) : table;
    }

    private static bool IsSnakeCase(string name)
    {
        if (name.Length == 0)
        {
            return true;
        }

        if (name[0] == '_' || name[^1] == '_')
        {
            return false;
        }

        var underscore = false;
        foreach (var c in name)
        {
            if (c == '_')
            {
                if (underscore)
                {
                    return false;
                }

                underscore = true;
            }
            else if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            {
                underscore = false;
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    private static Kind NextKind(ReadOnlySpan<char> rest)
    {
        if (rest.IsEmpty)
        {
            return Kind.None;
        }

        Rune.DecodeFromUtf16(rest, out var rune, out _);
        return Classify(rune);
    }

    private static Kind Classify(Rune rune)
    {
        if (Rune.IsUpper(rune))
        {
            return Kind.Upper;
        }

        if (Rune.IsDigit(rune))
        {
            return Kind.Digit;
        }

        if (Rune.IsLetter(rune))
        {
            return Kind.Lower;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            ? Kind.Lower
            : Kind.None;
    }
}
