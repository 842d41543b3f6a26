using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;

namespace Junction.Warehouses.Loading;

/// <summary>
/// A DuckDB warehouse: one database file (setting <c>path</c>, a full path; its directory is created when missing).
/// DuckDB lets one process at a time open a file for writing, and none while another process reads it, so the file
/// is opened only for the length of a connection (a sync, a preview) and closed when the connection is disposed.
/// Between syncs any DuckDB client can open it, read-only (<c>duckdb -readonly file.duckdb</c>); while such a client
/// keeps it open, connecting fails with a <see cref="WarehouseException"/> that says so, and the sync is retried.
/// </summary>
internal sealed class DuckDbWarehouseLoader(JsonObject settings, TimeProvider time, ILogger logger) : IWarehouseLoader
{
    /// <summary>The database file, or null when the settings have no usable path.</summary>
    public string? Path { get; } = settings["path"] is JsonValue value && value.TryGetValue<string>(out var path) && !string.IsNullOrWhiteSpace(path)
        ? path
        : null;

    public async Task<ConnectionCheck> CheckAsync(CancellationToken cancellationToken)
    {
        var existed = Path is not null && File.Exists(Path);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await connection.CheckWritesAsync(cancellationToken);
            return ConnectionCheck.Ok;
        }
        catch (WarehouseException ex)
        {
            return ConnectionCheck.Failed(ex.Message);
        }
        finally
        {
            if (!existed && Path is not null)
            {
                // The test made an empty file that nothing uses yet: leave the directory as the user would find it.
                DeleteQuietly(Path);
                DeleteQuietly(Path + ".wal");
            }
        }
    }

    public async Task<IWarehouseConnection> ConnectAsync(CancellationToken cancellationToken) => await OpenAsync(cancellationToken);

    private async Task<DuckDbWarehouseConnection> OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Path is null)
        {
            throw new WarehouseException("The DuckDB warehouse has no path: set it to the full path of the database file.");
        }

        if (!System.IO.Path.IsPathFullyQualified(Path))
        {
            throw new WarehouseException($"The DuckDB path {Path} is not a full path.");
        }

        var directory = System.IO.Path.GetDirectoryName(Path);
        try
        {
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new WarehouseException($"Cannot create the directory {directory} for the DuckDB file: {ex.Message}", ex);
        }

        var connection = new DuckDBConnection(new DuckDBConnectionStringBuilder { DataSource = Path }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            var opened = new DuckDbWarehouseConnection(connection, time, logger);
            await opened.PrepareAsync(cancellationToken);
            return opened;
        }
        catch (DuckDBException ex)
        {
            await connection.DisposeAsync();
            throw new WarehouseException(Explain(Path, ex), ex);
        }
    }

    /// <summary>DuckDB's reason for not opening the file, with what to do when another process holds it.</summary>
    private static string Explain(string path, DuckDBException ex)
    {
        var message = ex.Message.Replace("DuckDBOpen failed: ", "", StringComparison.Ordinal);
        if (message.Contains("Could not set lock on file", StringComparison.Ordinal))
        {
            return $"Another process holds the DuckDB file {path}, and DuckDB lets only one process write a file, and none while " +
                "another reads it. Close that program's connection to the file; to query the warehouse between syncs, open it " +
                $"read-only (duckdb -readonly {path}) and close it again. DuckDB said: {message}";
        }

        return $"Cannot open the DuckDB file {path}: {message}";
    }

    private static void DeleteQuietly(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing to tidy, or not ours to delete.
        }
    }
}
