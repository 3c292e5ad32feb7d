using System.Collections.Concurrent;
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

    // InsertOneAsync's statement text and column accessors, built once per model, entity type and unique column.
    private static readonly ConcurrentDictionary<(IModel Model, Type Type, string? UniqueBy, bool ReturnKey), SingleStatement> Statements = new();

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

    /// <summary>
    /// Inserts one row through the context's open transaction (its unit of work commits it), without the change tracker:
    /// no snapshot, no <c>RETURNING</c>, no savepoint. With <paramref name="uniqueBy"/>, the row is inserted only if no row
    /// has the same value in that (unique) column, and the answer says whether it was: the insert itself answers "is it
    /// new?", so no read precedes it. The row is not tracked and its store-generated key is not read back.
    /// </summary>
    public static async Task<bool> InsertOneAsync<T>(DbContext db, T row, string? uniqueBy, CancellationToken cancellationToken)
        where T : class
    {
        await using var command = CreateSingle(db, row, uniqueBy, returnKey: false);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Like <see cref="InsertOneAsync{T}"/> without the uniqueness check, for a row whose key the database generates:
    /// returns that key (<c>last_insert_rowid()</c> on SQLite, <c>SCOPE_IDENTITY()</c> on SQL Server).
    /// </summary>
    public static async Task<long> InsertOneReturningKeyAsync<T>(DbContext db, T row, CancellationToken cancellationToken)
        where T : class
    {
        await using var command = CreateSingle(db, row, uniqueBy: null, returnKey: true);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static DbCommand CreateSingle<T>(DbContext db, T row, string? uniqueBy, bool returnKey)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(row);
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("InsertOneAsync writes within the unit of work's transaction; none is open.");
        var statement = Statements.GetOrAdd((db.Model, typeof(T), uniqueBy, returnKey), static (key, context) => BuildSingle(context, key.Type, key.UniqueBy, key.ReturnKey), db);
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = statement.Sql;
        for (var c = 0; c < statement.Columns.Length; c++)
        {
            // The type mapping converts the value and sets the provider's parameter type as EF Core's own commands do
            // (a Guid is TEXT on SQLite, for one).
            var column = statement.Columns[c];
            command.Parameters.Add(column.Mapping.CreateParameter(command, "@p" + c, column.Getter.GetClrValue(row), column.Nullable));
        }

        return command;
    }

    private static SingleStatement BuildSingle(DbContext db, Type type, string? uniqueBy, bool returnKey)
    {
        var entityType = db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var properties = entityType.GetProperties().Where(p => !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never)).ToArray();
        var columns = properties.Select(p => new SingleColumn(p.GetGetter(), p.GetRelationalTypeMapping(), p.IsNullable, p.GetColumnName(table)!)).ToArray();
        var sql = db.GetService<ISqlGenerationHelper>();
        var tableName = sql.DelimitIdentifier(table.Name, table.Schema);
        var names = string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)));
        var values = string.Join(", ", columns.Select((_, i) => "@p" + i));
        if (returnKey)
        {
            var key = db.Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite" ? "SELECT last_insert_rowid();" : "SELECT CAST(SCOPE_IDENTITY() AS bigint);";
            return new SingleStatement($"INSERT INTO {tableName} ({names}) VALUES ({values}); {key}", columns);
        }

        if (uniqueBy is null)
        {
            return new SingleStatement($"INSERT INTO {tableName} ({names}) VALUES ({values});", columns);
        }

        // Portable to both providers: INSERT ... SELECT ... WHERE NOT EXISTS, the unique column's own parameter reused.
        var unique = Array.FindIndex(properties, p => p.Name == uniqueBy);
        if (unique < 0)
        {
            throw new InvalidOperationException($"{type.Name} has no column for {uniqueBy}.");
        }

        return new SingleStatement(
            $"INSERT INTO {tableName} ({names}) SELECT {values} WHERE NOT EXISTS (SELECT 1 FROM {tableName} WHERE {sql.DelimitIdentifier(columns[unique].Name)} = @p{unique});",
            columns);
    }

    private sealed record SingleStatement(string Sql, SingleColumn[] Columns);

    private sealed record SingleColumn(IClrPropertyGetter Getter, RelationalTypeMapping Mapping, bool Nullable, string Name);

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
