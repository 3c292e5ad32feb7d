using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.SqlClient;

namespace IntegrationHub.SqlServer.StatementTests.Capture;

/// <summary>
/// A database connection that reaches no server: every command is recorded in a <see cref="StatementLog"/> and answered
/// by a <see cref="ResultFabricator"/>. It stands under the SQL Server provider (<c>UseSqlServer(connection)</c>), so EF
/// Core generates exactly the SQL it sends to SQL Server, and it also captures code that writes its own SQL on the
/// context's connection (the hand-built bulk insert), which an EF command interceptor would not see.
/// </summary>
public sealed class CaptureConnection(StatementLog log, ResultFabricator fabricator) : DbConnection
{
    private ConnectionState _state = ConnectionState.Closed;

    public StatementLog Log { get; } = log;

    public ResultFabricator Fabricator { get; } = fabricator;

    [AllowNull]
    public override string ConnectionString { get; set; } = "Server=capture.invalid;Database=IntegrationHub;User Id=capture;Password=capture;TrustServerCertificate=True";

    public override string Database => "IntegrationHub";

    public override string DataSource => "capture.invalid";

    public override string ServerVersion => "16.00.1000"; // SQL Server 2022

    public override ConnectionState State => _state;

    public override void ChangeDatabase(string databaseName)
    {
    }

    public override void Close() => _state = ConnectionState.Closed;

    public override void Open() => _state = ConnectionState.Open;

    public override Task OpenAsync(CancellationToken cancellationToken)
    {
        Open();
        return Task.CompletedTask;
    }

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => new CaptureTransaction(this, isolationLevel);

    protected override DbCommand CreateDbCommand() => new CaptureCommand(this);
}

/// <summary>A transaction of a <see cref="CaptureConnection"/>: commit and rollback are recorded, nothing else happens.</summary>
public sealed class CaptureTransaction(CaptureConnection connection, IsolationLevel isolationLevel) : DbTransaction
{
    public override IsolationLevel IsolationLevel { get; } = isolationLevel;

    protected override DbConnection DbConnection { get; } = connection;

    public override void Commit()
    {
    }

    public override void Rollback()
    {
    }
}

/// <summary>
/// A command of a <see cref="CaptureConnection"/>. Parameters are real <see cref="SqlParameter"/>s (the provider's type
/// mappings configure them as they would for SQL Server); executing records the text and parameters, then answers with
/// fabricated results.
/// </summary>
public sealed class CaptureCommand(CaptureConnection connection) : DbCommand
{
    private readonly SqlCommand _parameters = new();

    [AllowNull]
    public override string CommandText { get; set; } = string.Empty;

    public override int CommandTimeout { get; set; } = 30;

    public override CommandType CommandType { get; set; } = CommandType.Text;

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    protected override DbConnection? DbConnection { get; set; } = connection;

    protected override DbParameterCollection DbParameterCollection => _parameters.Parameters;

    protected override DbTransaction? DbTransaction { get; set; }

    public override void Cancel()
    {
    }

    public override int ExecuteNonQuery() => Answer().RecordsAffected;

    public override object? ExecuteScalar()
    {
        var result = Answer();
        return result.ResultSets is [{ Rows: [var row, ..] }, ..] && row.Length > 0 ? row[0] ?? DBNull.Value : 1;
    }

    public override void Prepare()
    {
    }

    protected override DbParameter CreateDbParameter() => _parameters.CreateParameter();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => new FabricatedReader(Answer());

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _parameters.Dispose();
        }

        base.Dispose(disposing);
    }

    private FabricatedResult Answer()
    {
        connection.Log.Record(CommandText, Parameters.Cast<DbParameter>().Select(p => new CapturedParameter(p.ParameterName, p.DbType, p.Value)).ToList());
        return connection.Fabricator.Answer(CommandText);
    }
}
