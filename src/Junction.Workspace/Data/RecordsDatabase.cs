using Microsoft.Data.Sqlite;

namespace Junction.Workspace.Data;

/// <summary>
/// One of the SQLite files in which Junction keeps an account of what it did, beside the control plane: the delivery
/// journal, the schema view's observations, violations, warehouse sync history. Connections are pooled and wait up to
/// 30 seconds for another writer; the file uses the write-ahead journal, and every connection runs with
/// <c>synchronous=NORMAL</c>: a power cut may lose the last writes (a crash of the process never does), in exchange
/// for not waiting on fsync at every write.
/// </summary>
internal sealed class RecordsDatabase
{
    private readonly string _connectionString;

    /// <summary>Opens (or creates) the file at <paramref name="path"/> and runs <paramref name="schema"/>, statements that create what is missing.</summary>
    public RecordsDatabase(string path, string schema)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;\n" + schema;
        command.ExecuteNonQuery();
    }

    /// <summary>An open connection; the caller disposes it (it goes back to the pool).</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=NORMAL;";
        pragma.ExecuteNonQuery();
        return connection;
    }
}
