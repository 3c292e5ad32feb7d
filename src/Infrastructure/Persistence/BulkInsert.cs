using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace IntegrationHub.Infrastructure.Persistence;

/// <summary>
/// Appends rows with multi-row <c>INSERT ... VALUES (...), (...)</c> statements built from the EF Core model (table,
/// columns, value converters, identifier quoting), in one transaction, on either provider. For append-only, high-volume
/// rows nobody reads back in the same unit of work (the audit log): EF Core's change tracking and per-row
/// <c>RETURNING</c> cost several times more CPU per row (bench/, docs/adr/0012-performance.md). Store-generated keys are
/// left to the database and not read back.
/// </summary>
public static class BulkInsert
{
    // SQL Server allows 2,100 parameters per command. SQLite binds parameters by name with a linear search per name,
    // so a command with many parameters costs quadratic time; one row per command instead pays Microsoft.Data.Sqlite's
    // per-execution overhead (a data reader, the statement's reset) for every row. A few rows per prepared statement
    // balance the two (per row: the overhead divided by the rows, the search growing with them; best near 6-8 rows for
    // the audit log's 8 columns).
    private const int MaxParameters = 2000;
    private const int SqliteRowsPerCommand = 8;

    public static async Task InsertAsync<T>(DbContext db, IReadOnlyList<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var columns = entityType.GetProperties()
            .Where(p => !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never))
            .Select(p => new Column(p.GetGetter(), p.GetTypeMapping().Converter, p.GetColumnName(table)!))
            .ToArray();
        var sql = db.GetService<ISqlGenerationHelper>();
        var header = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)))}) VALUES ";
        var perCommand = db.Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite" ? SqliteRowsPerCommand : Math.Max(1, MaxParameters / columns.Length);

        var connection = db.Database.GetDbConnection();
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            var commands = new Dictionary<int, DbCommand>();
            try
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                for (var start = 0; start < rows.Count; start += perCommand)
                {
                    var count = Math.Min(perCommand, rows.Count - start);
                    if (!commands.TryGetValue(count, out var command))
                    {
                        command = Prepare(connection, header, columns.Length, count);
                        commands[count] = command;
                    }

                    command.Transaction = transaction;
                    for (var r = 0; r < count; r++)
                    {
                        for (var c = 0; c < columns.Length; c++)
                        {
                            var value = columns[c].Getter.GetClrValue(rows[start + r]);
                            if (value is not null && columns[c].Converter is { } converter)
                            {
                                value = converter.ConvertToProvider(value);
                            }

                            command.Parameters[(r * columns.Length) + c].Value = value ?? DBNull.Value;
                        }
                    }

                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            }
            finally
            {
                foreach (var command in commands.Values)
                {
                    await command.DisposeAsync();
                }

                await db.Database.CloseConnectionAsync();
            }
        });
    }

    private static DbCommand Prepare(DbConnection connection, string header, int columns, int rows)
    {
        var command = connection.CreateCommand();
        var text = new StringBuilder(header);
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns; c++)
            {
                var name = $"@p{r}_{c}";
                text.Append(c == 0 ? name : ", " + name);
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                command.Parameters.Add(parameter);
            }

            text.Append(')');
        }

        command.CommandText = text.Append(';').ToString();
        return command;
    }

    private sealed record Column(IClrPropertyGetter Getter, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? Converter, string Name);
}
