using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Junction.Workspace.PublicApi;

/// <summary>
/// Cursor pagination as the Public API does it. The input is read from <c>pagination.count</c> /
/// <c>pagination.cursor</c> or the bracket form <c>pagination[count]</c> / <c>pagination[cursor]</c> that
/// Segment's generated clients send. Cursors are opaque to callers; here they are the base64 of an offset.
/// </summary>
internal readonly record struct Pagination(int Count, int Offset)
{
    public const int DefaultCount = 200;
    public const int MaxCount = 1000;

    /// <summary>Reads the pagination input, or answers the 422 to send back.</summary>
    public static bool TryRead(HttpRequest request, out Pagination pagination, out IResult? error)
    {
        pagination = new Pagination(DefaultCount, 0);
        error = null;
        var countText = First(request, "pagination.count", "pagination[count]");
        var cursorText = First(request, "pagination.cursor", "pagination[cursor]");
        var count = DefaultCount;
        if (countText is not null
            && (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1 || count > MaxCount))
        {
            error = ApiResults.Invalid($"pagination.count must be a whole number from 1 to {MaxCount}.", "pagination.count");
            return false;
        }

        var offset = 0;
        if (!string.IsNullOrEmpty(cursorText) && !TryDecodeCursor(cursorText, out offset))
        {
            error = ApiResults.Invalid("pagination.cursor is not a cursor this API gave out.", "pagination.cursor");
            return false;
        }

        pagination = new Pagination(count, offset);
        return true;
    }

    /// <summary>The output object for a page that starts at this offset, given the total number of items.</summary>
    public PaginationOutput Output(int totalEntries) => new(
        EncodeCursor(Offset),
        Offset + Count < totalEntries ? EncodeCursor(Offset + Count) : null,
        Offset > 0 ? EncodeCursor(Math.Max(0, Offset - Count)) : null,
        totalEntries);

    public static string EncodeCursor(int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(offset.ToString(CultureInfo.InvariantCulture)));

    private static bool TryDecodeCursor(string cursor, out int offset)
    {
        offset = 0;
        var bytes = new byte[cursor.Length];
        return Convert.TryFromBase64String(cursor, bytes, out var written)
            && int.TryParse(Encoding.UTF8.GetString(bytes, 0, written), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
    }

    private static string? First(HttpRequest request, string dotted, string bracketed)
    {
        var value = request.Query[dotted];
        if (value.Count == 0)
        {
            value = request.Query[bracketed];
        }

        return value.Count == 0 ? null : value[0];
    }
}

/// <summary>
/// Pagination as Segment's <c>PaginationOutput</c> writes it: <c>next</c> and <c>previous</c> are left out when there
/// is no such page. Segment's own tools page on while <c>next</c> is present (typewriter reads the rules of a tracking
/// plan that way), so a <c>null</c> there would make them ask for a page that does not exist.
/// </summary>
internal sealed record PaginationOutput(
    string Current,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Previous,
    int TotalEntries);
