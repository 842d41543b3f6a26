using System.Collections.Frozen;

namespace Junction.Warehouses.Schema;

/// <summary>
/// The tables every source schema may have besides one table per Track event (Segment's layout), and Junction's own
/// table of discarded values. A Track event whose table name would be one of these gets a <c>_</c> prefix instead.
/// </summary>
internal static class WarehouseTables
{
    public const string Tracks = "tracks";
    public const string Identifies = "identifies";
    public const string Users = "users";
    public const string Pages = "pages";
    public const string Screens = "screens";
    public const string Groups = "groups";
    public const string Accounts = "accounts";
    public const string Aliases = "aliases";
    public const string Discards = "junction_discards";

    /// <summary>Every fixed table name.</summary>
    public static FrozenSet<string> Fixed { get; } =
        FrozenSet.Create(StringComparer.Ordinal, Tracks, Identifies, Users, Pages, Screens, Groups, Accounts, Aliases, Discards);
}
