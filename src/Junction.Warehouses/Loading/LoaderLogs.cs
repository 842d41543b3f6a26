using Microsoft.Extensions.Logging;

namespace Junction.Warehouses.Loading;

/// <summary>The loaders' log lines (source-generated).</summary>
internal static partial class LoaderLogs
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "{Kind}: loaded {Rows} rows into {Tables} tables of schema {Schema} in {ElapsedMs:0} ms.")]
    public static partial void Loaded(ILogger logger, string kind, string schema, long rows, int tables, double elapsedMs);
}
