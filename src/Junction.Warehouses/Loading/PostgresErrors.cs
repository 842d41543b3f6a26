using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Npgsql;

namespace Junction.Warehouses.Loading;

/// <summary>
/// Turns what Npgsql throws into sentences for the sync history and the connection test: PostgreSQL's own message
/// (and its detail) for SQL errors, and what to check for the usual connection failures (wrong password, unknown
/// database, refused connection, unknown host, no answer).
/// </summary>
internal static class PostgresErrors
{
    /// <summary>PostgreSQL's message, with its detail when it sent one.</summary>
    public static string Text(PostgresException ex) =>
        string.IsNullOrEmpty(ex.Detail) ? ex.MessageText : $"{ex.MessageText} ({ex.Detail})";

    /// <summary>Whether an exception is a failure to reach, sign in to or talk with the server (rather than a bug).</summary>
    public static bool IsConnectionFailure(Exception ex) =>
        ex is NpgsqlException or SocketException or TimeoutException or AuthenticationException or IOException or ArgumentException;

    /// <summary>What went wrong connecting to the server of <paramref name="settings"/>, and what to check.</summary>
    public static string Explain(Exception ex, NpgsqlConnectionStringBuilder settings)
    {
        var where = $"{settings.Host}:{settings.Port}";
        if (ex is PostgresException postgres)
        {
            return postgres.SqlState switch
            {
                PostgresErrorCodes.InvalidPassword =>
                    $"PostgreSQL at {where} refused the user name or password: {Text(postgres)}.",
                PostgresErrorCodes.InvalidAuthorizationSpecification =>
                    $"PostgreSQL at {where} refused the connection: {Text(postgres)}. Check the user name, and that pg_hba.conf lets it connect from Junction's address.",
                PostgresErrorCodes.InvalidCatalogName =>
                    $"PostgreSQL at {where} has no such database: {Text(postgres)}.",
                PostgresErrorCodes.InsufficientPrivilege =>
                    $"The user {settings.Username} lacks a privilege: {Text(postgres)}.",
                _ => $"PostgreSQL at {where} said: {Text(postgres)}.",
            };
        }

        if (Find<TimeoutException>(ex) is not null)
        {
            return $"No answer from {where} within {PostgresWarehouseLoader.ConnectTimeoutSeconds} seconds. Check the host and port, and that a firewall lets Junction reach PostgreSQL.";
        }

        if (Find<SocketException>(ex) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused =>
                    $"Could not connect to {where}: the connection was refused. Check that PostgreSQL is running and listens on this host and port (listen_addresses, port).",
                SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData =>
                    $"The host {settings.Host} was not found: {socket.Message}.",
                SocketError.TimedOut =>
                    $"No answer from {where}. Check the host and port, and that a firewall lets Junction reach PostgreSQL.",
                _ => $"Could not connect to {where}: {socket.Message}.",
            };
        }

        if (Find<AuthenticationException>(ex) is not null)
        {
            return $"The TLS connection to {where} failed (SSL mode {settings.SslMode}): {Messages(ex)}.";
        }

        return $"Could not connect to {where}: {Messages(ex)}.";
    }

    /// <summary>The messages of an exception and of the exceptions inside it, joined.</summary>
    public static string Messages(Exception ex)
    {
        var text = new StringBuilder(ex.Message.TrimEnd('.'));
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            text.Append(": ").Append(inner.Message.TrimEnd('.'));
        }

        return text.ToString();
    }

    private static T? Find<T>(Exception ex)
        where T : Exception
    {
        for (Exception? current = ex; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }
}
