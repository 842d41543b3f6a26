using Junction.Warehouses.Staging;

namespace Junction.Warehouses.Schema;

/// <summary>What a <see cref="SchemaPlanner"/> may change and what it leaves out, for one load of one source.</summary>
internal sealed record PlannerOptions
{
    /// <summary>The default of <see cref="ColumnLimit"/>.</summary>
    public const int DefaultColumnLimit = 1000;

    /// <summary>When true, no table or column is created and no column widened; values that need one are discarded.</summary>
    public bool SchemaFrozen { get; init; }

    /// <summary>The most columns a table may have (the required <c>id</c>, <c>received_at</c> and <c>uuid_ts</c> always fit).</summary>
    public int ColumnLimit { get; init; } = DefaultColumnLimit;

    /// <summary>Tables and columns selective sync turned off: left out without a discard.</summary>
    public SelectiveSync Selection { get; init; } = SelectiveSync.All;

    /// <summary>The <c>uuid_ts</c> of every row of the load.</summary>
    public DateTimeOffset LoadedAt { get; init; }

    /// <summary>Whether to start with <see cref="CreateSchema"/> when the schema has no tables yet.</summary>
    public bool IncludeSchemaCreation { get; init; }
}
