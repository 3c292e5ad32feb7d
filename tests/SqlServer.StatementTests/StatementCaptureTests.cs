using Hangfire.SqlServer;
using IntegrationHub.Infrastructure.Jobs;
using IntegrationHub.SqlServer.StatementTests.Hub;
using IntegrationHub.SqlServer.StatementTests.Schema;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.SqlServer.StatementTests;

/// <summary>
/// Every statement the hub sends to SQL Server, captured without a server (<see cref="CaptureRun"/>) and checked:
/// ScriptDom parses each as SQL Server 2022 T-SQL, and DacFx binds each one's tables and columns to the schema.
/// </summary>
public sealed class StatementCaptureTests
{
    /// <summary>
    /// Fewer distinct statements than this means the capture stopped reaching the database (a fake or the connection
    /// factory broke), not that the hub got simpler: the run captured 112 when this bound was set.
    /// </summary>
    private const int MinimumDistinctStatements = 100;

    [Fact]
    public async Task EveryUseCase_WhenRunThroughTheMediatorPipeline_ShouldSendStatements()
    {
        // Arrange
        var run = await CaptureRun.GetAsync();

        // Act
        var silent = UseCaseRequests.Types
            .Where(t => CaptureRun.Variants.Sum(v => run.Log.CommandsFrom(CaptureRun.UseCaseSource(t, v.Name))) == 0)
            .Select(t => t.Name)
            .ToList();

        foreach (var outcome in run.Outcomes.Where(o => o.Source.StartsWith("use case", StringComparison.Ordinal)))
        {
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{outcome.Source}: {run.Log.CommandsFrom(outcome.Source)} commands, {run.Log.From(outcome.Source).Count} new statements"
                + (outcome.Failure is null ? string.Empty : $", ended with {outcome.Failure.GetType().Name}: {outcome.Failure.GetBaseException().Message}"));
        }

        // Assert: a use case that reaches no statement here never got past validation or its first read.
        UseCaseRequests.Types.Count.ShouldBeGreaterThanOrEqualTo(30);
        silent.ShouldBeEmpty(Describe(run, silent));
    }

    [Fact]
    public async Task EveryEntity_WhenInsertedUpdatedDeletedAndBulkInserted_ShouldSendItsStatements()
    {
        // Arrange
        var run = await CaptureRun.GetAsync();
        var entities = run.Model.GetEntityTypes().Where(e => e.GetTableName() is not null && !e.IsOwned()).ToList();

        // Act
        var failed = run.Outcomes.Where(o => o.Source.StartsWith("SaveChanges", StringComparison.Ordinal) || o.Source.StartsWith("bulk", StringComparison.Ordinal))
            .Where(o => o.Failure is not null)
            .Select(o => $"{o.Source}: {o.Failure}")
            .ToList();
        var missing = entities
            .SelectMany(e => new[] { CaptureRun.SaveSource(e, EntityState.Added), CaptureRun.SaveSource(e, EntityState.Modified), CaptureRun.SaveSource(e, EntityState.Deleted), CaptureRun.BulkSource(e) })
            .Where(source => run.Log.CommandsFrom(source) == 0)
            .ToList();

        // Assert
        entities.Count.ShouldBeGreaterThanOrEqualTo(11);
        failed.ShouldBeEmpty(string.Join("\n\n", failed));
        missing.ShouldBeEmpty(string.Join('\n', missing));
    }

    [Fact]
    public async Task EveryCapturedStatement_WhenParsedAsSqlServer2022TSql_ShouldHaveNoErrors()
    {
        // Arrange
        var run = await CaptureRun.GetAsync();
        var statements = run.Log.Statements;

        // Act
        var problems = statements
            .Select(s => (Statement: s, Errors: Errors(s.Text)))
            .Where(p => p.Errors.Count > 0)
            .Select(p => $"{p.Statement.Source}: {string.Join("; ", p.Errors)}\n{p.Statement.Text}")
            .ToList();

        // Assert
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{statements.Count} distinct SQL Server statements captured ({run.Log.Commands} commands) from {UseCaseRequests.Types.Count} use cases, "
            + $"{run.Model.GetEntityTypes().Count()} entities (insert, update, delete, bulk insert); all parsed by TSql160Parser.");
        statements.Count.ShouldBeGreaterThanOrEqualTo(MinimumDistinctStatements);
        problems.ShouldBeEmpty(string.Join("\n\n", problems));
    }

    [Fact]
    public void HangfireSqlServerSchema_WhenParsedAsSqlServer2022TSql_ShouldHaveNoErrors()
    {
        // Arrange: Hangfire's own install script for the schema the hub uses (run by Hangfire at start or by a DBA).
        var script = SqlServerObjectsInstaller.GetInstallScript(HangfireSchema.Name, enableHeavyMigrations: true);

        // Act
        var errors = Errors(script);

        // Assert
        script.ShouldContain($"[{HangfireSchema.Name}]");
        errors.ShouldBeEmpty(string.Join('\n', errors));
    }

    [Fact]
    public void SchemaModel_WhenBuiltByDacFxFromTheModelDdl_ShouldValidateWithoutErrors()
    {
        // Arrange
        var ddl = ModelDdl.Statements();

        // Act
        using var model = ModelDdl.Build(ddl);
        var messages = model.Validate().Select(m => $"{m.MessageType} {m.Prefix}{m.Number}: {m.Message}").ToList();
        var tables = model.GetObjects(Microsoft.SqlServer.Dac.Model.DacQueryScopes.UserDefined, Microsoft.SqlServer.Dac.Model.Table.TypeClass).Count();

        // Assert
        ddl.Count.ShouldBeGreaterThan(10);
        tables.ShouldBeGreaterThanOrEqualTo(11);
        messages.Where(m => m.StartsWith("Error", StringComparison.Ordinal)).ShouldBeEmpty(string.Join('\n', messages));
    }

    [Fact]
    public void SchemaModel_WhenBuiltByDacFxFromTheMigrations_ShouldValidateAndEqualTheModelDdl()
    {
        // Arrange: the schema as the migrations leave it, and as the EF model describes it.
        using var migrated = ModelDdl.Build(ModelDdl.MigrationStatements());
        using var modelled = ModelDdl.Build(ModelDdl.Statements());

        // Act
        var errors = migrated.Validate().Where(m => m.MessageType == Microsoft.SqlServer.Dac.DacMessageType.Error).Select(m => $"{m.Prefix}{m.Number}: {m.Message}").ToList();
        var fromMigrations = Objects(migrated);
        var fromModel = Objects(modelled);

        // Assert: the same tables (columns, types, nullability, keys), indexes (filters included) and foreign keys.
        errors.ShouldBeEmpty(string.Join('\n', errors));
        fromMigrations.Count.ShouldBeGreaterThan(30);
        fromMigrations.Keys.Order(StringComparer.Ordinal).ShouldBe(fromModel.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, script) in fromMigrations)
        {
            script.ShouldBe(fromModel[name], $"{name} differs between the migrations and the model");
        }
    }

    [Fact]
    public async Task EveryCapturedDmlStatement_WhenBoundByDacFxToTheSchema_ShouldResolveEveryTableAndColumn()
    {
        // Arrange: each statement becomes a stored procedure in the schema's model (as the migrations create it);
        // DacFx then resolves its names.
        var run = await CaptureRun.GetAsync();
        var dml = run.Log.Statements.Where(s => StatementParser.IsDml(StatementParser.Parse(s.Text, out _))).OrderBy(s => s.Text, StringComparer.Ordinal).ToList();
        using var model = ModelDdl.Build(ModelDdl.MigrationStatements());
        var procedures = dml.Select((s, i) => (Name: $"Captured{i:D4}", Statement: s)).ToList();
        foreach (var (name, statement) in procedures)
        {
            model.AddObjects(ModelDdl.AsProcedure(name, statement));
        }

        // Act
        var errors = model.Validate()
            .Where(m => m.MessageType == Microsoft.SqlServer.Dac.DacMessageType.Error)
            .Select(m => $"{m.Prefix}{m.Number}: {m.Message}\n{procedures.FirstOrDefault(p => m.Message.Contains($"[{p.Name}]", StringComparison.Ordinal)).Statement?.Text}")
            .ToList();

        // Assert
        TestContext.Current.TestOutputHelper?.WriteLine($"{procedures.Count} captured DML statements bound by DacFx against the SQL Server 2022 schema model.");
        dml.Count.ShouldBeGreaterThanOrEqualTo(MinimumDistinctStatements / 2);
        errors.ShouldBeEmpty(string.Join("\n\n", errors));
    }

    [Fact]
    public void DacFxBinding_WhenAStatementNamesAColumnTheSchemaLacks_ShouldReportAnUnresolvedReference()
    {
        // Arrange: the check above is only worth something if a wrong name fails it.
        using var model = ModelDdl.Build(ModelDdl.MigrationStatements());
        var wrong = new Capture.CapturedStatement(
            "SELECT [t].[TenantId], [t].[NoSuchColumn] FROM [Tenants] AS [t] WHERE [t].[TenantId] = @p0",
            "a statement with a wrong column",
            [new Capture.CapturedParameter("@p0", System.Data.DbType.String, "acme")]);
        model.AddObjects(ModelDdl.AsProcedure("CapturedWrong", wrong));

        // Act
        var errors = model.Validate().Where(m => m.MessageType == Microsoft.SqlServer.Dac.DacMessageType.Error).Select(m => m.Message).ToList();

        // Assert
        errors.ShouldHaveSingleItem().ShouldContain("[NoSuchColumn]");
    }

    private static Dictionary<string, string> Objects(Microsoft.SqlServer.Dac.Model.TSqlModel model) =>
        new[]
        {
            Microsoft.SqlServer.Dac.Model.Table.TypeClass,
            Microsoft.SqlServer.Dac.Model.Index.TypeClass,
            Microsoft.SqlServer.Dac.Model.PrimaryKeyConstraint.TypeClass,
            Microsoft.SqlServer.Dac.Model.ForeignKeyConstraint.TypeClass,
            Microsoft.SqlServer.Dac.Model.UniqueConstraint.TypeClass,
            Microsoft.SqlServer.Dac.Model.DefaultConstraint.TypeClass,
        }
        .SelectMany(type => model.GetObjects(Microsoft.SqlServer.Dac.Model.DacQueryScopes.UserDefined, type))
        .ToDictionary(
            o => $"{o.ObjectType.Name} {o.Name}",
            o => o.TryGetScript(out var script) ? script : "(defined in its table's script)", // inline keys and constraints
            StringComparer.Ordinal);

    private static IReadOnlyList<string> Errors(string text)
    {
        StatementParser.Parse(text, out var errors);
        return errors;
    }

    private static string Describe(CaptureRun run, IReadOnlyList<string> silent) =>
        string.Join("\n", run.Outcomes.Where(o => silent.Any(s => o.Source.Contains($" {s} ", StringComparison.Ordinal)))
            .Select(o => $"{o.Source}: {o.Failure?.GetType().Name} {o.Failure?.Message}"));
}
