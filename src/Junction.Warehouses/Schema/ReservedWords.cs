using System.Collections.Frozen;

namespace Junction.Warehouses.Schema;

/// <summary>
/// The SQL words a table or column name may not be without quotes, in either warehouse. One set serves DuckDB and
/// PostgreSQL so that a source gets the same schema in both, and a name in it gets a <c>_</c> prefix
/// (<see cref="WarehouseNames"/>) so that analysts never have to quote it.
/// </summary>
/// <remarks>
/// The set is the union of PostgreSQL 15's <c>pg_get_keywords()</c> words of category <c>R</c> (reserved) and
/// <c>T</c> (reserved, can be a function or type name: <c>join</c>, <c>left</c>, <c>like</c>…), and of DuckDB 1.5's
/// <c>duckdb_keywords()</c> words of category <c>reserved</c> plus those of category <c>type_function</c> that DuckDB
/// refuses as an unquoted column name (all of them except <c>columns</c>, <c>generated</c>, <c>map</c>,
/// <c>struct</c> and <c>try_cast</c>). Each word was checked against both servers by creating a table with an
/// unquoted column of that name: exactly these words fail. Words both servers accept as column names (such as
/// <c>timestamp</c>, <c>int</c>, <c>name</c>, <c>type</c>) are not here.
/// </remarks>
internal static class ReservedWords
{
    /// <summary>Every reserved word, lower case, sorted.</summary>
    public static FrozenSet<string> All { get; } = FrozenSet.Create(
        StringComparer.Ordinal,
        "all", "analyse", "analyze", "and", "anti", "any", "array", "as",
        "asc", "asof", "asymmetric", "at", "authorization", "binary", "both", "by",
        "case", "cast", "check", "collate", "collation", "column", "concurrently", "constraint",
        "create", "cross", "current_catalog", "current_date", "current_role", "current_schema", "current_time", "current_timestamp",
        "current_user", "default", "deferrable", "desc", "describe", "distinct", "do", "else",
        "end", "except", "false", "fetch", "for", "foreign", "freeze", "from",
        "full", "glob", "grant", "group", "having", "ilike", "in", "initially",
        "inner", "intersect", "into", "is", "isnull", "join", "lambda", "lateral",
        "leading", "left", "like", "limit", "localtime", "localtimestamp", "natural", "not",
        "notnull", "null", "offset", "on", "only", "or", "order", "outer",
        "overlaps", "pivot", "pivot_longer", "pivot_wider", "placing", "positional", "primary", "qualify",
        "references", "returning", "right", "select", "semi", "session_user", "show", "similar",
        "some", "summarize", "symmetric", "table", "tablesample", "then", "to", "trailing",
        "true", "union", "unique", "unpack", "unpivot", "user", "using", "variadic",
        "verbose", "when", "where", "window", "with");

    /// <summary>Whether a (lower-case) name is a reserved word.</summary>
    public static bool Contains(string name) => All.Contains(name);
}
