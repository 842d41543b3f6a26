using System.Text.Json.Nodes;
using Junction.Workspace.Catalog;

namespace Junction.Warehouses.ControlPlane;

/// <summary>
/// One connection setting of a kind of warehouse, in the terms of Segment's <c>IntegrationOptionBeta</c>: its
/// <paramref name="Type"/> is <c>string</c>, <c>number</c> (a whole number), <c>password</c> (a secret: encrypted at
/// rest, masked on read) or <c>select</c> (one of <paramref name="Choices"/>).
/// </summary>
internal sealed record WarehouseOption(
    string Name,
    string Type,
    bool Required,
    string Label,
    string Description,
    JsonNode? DefaultValue = null,
    IReadOnlyList<string>? Choices = null)
{
    public bool Secret => Type == "password";
}

/// <summary>
/// A kind of warehouse Junction loads into, as the warehouses catalog lists it: a stable 10-character id (the
/// Public API's <c>metadataId</c>), the slug the loaders know it by, and its connection settings.
/// </summary>
internal sealed record WarehouseKind(
    string Id,
    string Slug,
    string Name,
    string Description,
    SourceBadge Badge,
    IReadOnlyList<WarehouseOption> Options)
{
    public WarehouseOption? Option(string name) => Options.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.Ordinal));
}

/// <summary>
/// The warehouses catalog: DuckDB, embedded in Junction (a file in the data directory unless another path is given),
/// and PostgreSQL. Both load the same Segment warehouse schema.
/// </summary>
internal sealed class WarehouseCatalog
{
    public const string DuckDbSlug = "duckdb";
    public const string PostgresSlug = "postgres";

    /// <summary>The file a DuckDB warehouse without a <c>path</c> uses, in the data directory.</summary>
    public const string DefaultDuckDbFile = "warehouse.duckdb";

    /// <summary>PostgreSQL's SSL modes, as libpq and Npgsql name them.</summary>
    public static readonly IReadOnlyList<string> SslModes = ["disable", "prefer", "require", "verify-ca", "verify-full"];

    public static readonly WarehouseKind DuckDb = new(
        "Wd6cKq3uVx", DuckDbSlug, "DuckDB",
        "An embedded analytical database in a single file, run inside Junction: nothing to install or operate.",
        new SourceBadge("Dk", "#FFF100", "#1F2328"),
        [
            new WarehouseOption("path", "string", Required: false, "Database file",
                $"Where the DuckDB file is. Empty means {DefaultDuckDbFile} in Junction's data directory; a relative path is relative to that directory. "
                + "One file holds one warehouse.",
                DefaultValue: ""),
        ]);

    public static readonly WarehouseKind Postgres = new(
        "Pq8rTn2hLm", PostgresSlug, "PostgreSQL",
        "Loads events into a PostgreSQL database you run, one schema per source. Junction needs a user that may create schemas and tables in the database.",
        new SourceBadge("Pg", "#336791"),
        [
            new WarehouseOption("host", "string", Required: true, "Host", "The server's host name or IP address."),
            new WarehouseOption("port", "number", Required: false, "Port", "The server's port.", DefaultValue: 5432),
            new WarehouseOption("database", "string", Required: true, "Database", "The database events are loaded into."),
            new WarehouseOption("user", "string", Required: true, "User", "The user Junction connects as; it creates schemas and tables."),
            new WarehouseOption("password", "password", Required: true, "Password", "That user's password. Stored encrypted and never shown back whole."),
            new WarehouseOption("sslMode", "select", Required: false, "SSL mode",
                "Whether the connection is encrypted and the server's certificate checked: disable, prefer, require, verify-ca or verify-full.",
                DefaultValue: "prefer", Choices: SslModes),
        ]);

    /// <summary>Every kind, in catalog order: the embedded default first.</summary>
    public IReadOnlyList<WarehouseKind> All { get; } = [DuckDb, Postgres];

    /// <summary>
    /// Stands in for a stored warehouse whose kind is no longer in the catalog, so that it stays readable (and
    /// deletable); it has no options and nothing is loaded into it.
    /// </summary>
    public static WarehouseKind Unlisted(string slug) => new(
        "unlisted", slug, "Unlisted warehouse", "A warehouse whose kind is not in this version of the catalog. Nothing is loaded into it.",
        new SourceBadge("?", "#6B7280"), []);

    /// <summary>A kind by its catalog id or, for convenience, its slug.</summary>
    public WarehouseKind? Find(string idOrSlug) =>
        All.FirstOrDefault(k => string.Equals(k.Id, idOrSlug, StringComparison.Ordinal) || string.Equals(k.Slug, idOrSlug, StringComparison.Ordinal));

    public WarehouseKind? FindBySlug(string slug) => All.FirstOrDefault(k => string.Equals(k.Slug, slug, StringComparison.Ordinal));
}
