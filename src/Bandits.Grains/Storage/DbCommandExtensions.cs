using System.Data.Common;

namespace Bandits.Grains.Storage;

/// <summary>Small helpers that keep the SQL code of the log legible.</summary>
internal static class DbCommandExtensions
{
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Executes the command and disposes it.</summary>
    /// <remarks>
    /// Every command is disposed: an undisposed SqliteCommand's prepared statements are released by
    /// the finalizer, one thread for the process, which a busy log kept fully occupied.
    /// </remarks>
    public static async Task<int> NonQueryAsync(this DbCommand command, CancellationToken cancellationToken = default)
    {
        await using (command) return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Executes the command for its first value and disposes it.</summary>
    public static async Task<object?> ScalarAsync(this DbCommand command, CancellationToken cancellationToken = default)
    {
        await using (command) return await command.ExecuteScalarAsync(cancellationToken);
    }

    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }
}
