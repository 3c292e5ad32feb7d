using System.Text;
using Hangfire.SqlServer;
using IntegrationHub.Infrastructure.Jobs;
using IntegrationHub.Scenarios;
using IntegrationHub.SqlServer.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace IntegrationHub.SqlServer.IntegrationTests.Schema;

/// <summary>
/// Offline checks of what DBAs get (no server, so they run in every ./test.sh): the idempotent SQL Server migration
/// script is valid T-SQL for SQL Server 2022 (ScriptDom's parser, including the dynamic SQL EF wraps in EXEC), every
/// statement in it is guarded, and the model's SQL Server specifics hold.
/// </summary>
public sealed class MigrationScriptTests
{
    /// <summary>The script .ci/run ships (dotnet ef migrations script --idempotent); parsed too when present.</summary>
    private static readonly string ShippedScript = Path.Combine(BuildOutput.RepositoryRoot, "artifacts", "sql", "integrationhub-sqlserver.sql");

    [Fact]
    public void IdempotentScript_WhenParsedAsSqlServer2022TSql_ShouldHaveNoErrors()
    {
        // Arrange
        var scripts = new Dictionary<string, string> { ["generated in process"] = MigrationScript.GenerateIdempotent() };
        if (File.Exists(ShippedScript))
        {
            scripts[ShippedScript] = File.ReadAllText(ShippedScript);
        }

        // Act
        var problems = scripts.SelectMany(s => ParseErrors(s.Value).Select(e => $"{s.Key}: {e}")).ToList();

        // Assert
        scripts.Values.ShouldAllBe(s => s.Length > 1000);
        problems.ShouldBeEmpty(string.Join('\n', problems));
    }

    [Fact]
    public void IdempotentScript_WhenParsed_ShouldGuardEveryStatementAndRecordEveryMigration()
    {
        // Arrange
        var script = MigrationScript.GenerateIdempotent();
        var migrations = MigrationScript.MigrationIds();

        // Act
        var fragment = Parse(script, out _);
        var unguarded = fragment.Batches.SelectMany(b => b.Statements)
            .Where(s => s is not (IfStatement or BeginTransactionStatement or CommitTransactionStatement))
            .Select(s => $"line {s.StartLine}: {s.GetType().Name}")
            .ToList();

        // Assert: only guarded statements (IF NOT EXISTS (… __EFMigrationsHistory …) BEGIN … END) and transaction control,
        // so a DBA can run the script against a database at any migration, any number of times.
        migrations.Count.ShouldBeGreaterThanOrEqualTo(3);
        unguarded.ShouldBeEmpty(string.Join('\n', unguarded));
        foreach (var id in migrations)
        {
            script.ShouldContain($"WHERE [MigrationId] = N'{id}'");
            script.ShouldContain($"VALUES (N'{id}'");
        }
    }

    [Fact]
    public void SqlServerModel_UniqueIndexesOnNullableColumns_ShouldBeFilteredToNonNullRows()
    {
        // Arrange: SQL Server treats NULLs as equal in a unique index (SQLite does not): a unique index over a nullable
        // column must be filtered (WHERE … IS NOT NULL) or a second row with NULL is refused.
        using var db = MigrationScript.CreateContext();
        var model = db.GetService<IDesignTimeModel>().Model;
        var unique = model.GetEntityTypes().SelectMany(e => e.GetIndexes()).Where(i => i.IsUnique).ToList();

        // Act
        var unfiltered = unique
            .Where(i => i.Properties.Any(p => p.IsNullable) && string.IsNullOrEmpty(i.GetFilter()))
            .Select(i => $"{i.DeclaringEntityType.GetTableName()}({string.Join(", ", i.Properties.Select(p => p.Name))})")
            .ToList();

        // Assert
        unique.Count.ShouldBeGreaterThanOrEqualTo(3);
        unfiltered.ShouldBeEmpty(string.Join('\n', unfiltered));
    }

    [Fact]
    public void SqlServerModel_ConcurrencyTokens_ShouldBeTheDomainsGuidStampNotRowVersion()
    {
        // Arrange: ADR 8: one optimistic concurrency mechanism on both providers, owned by the domain.
        using var db = MigrationScript.CreateContext();
        var model = db.GetService<IDesignTimeModel>().Model;

        // Act
        var tokens = model.GetEntityTypes().SelectMany(e => e.GetProperties()).Where(p => p.IsConcurrencyToken).ToList();

        // Assert
        tokens.Select(p => $"{p.DeclaringType.ClrType.Name}.{p.Name}").ShouldBe(
            ["AlloyAccount.ConcurrencyStamp", "TenantEvent.ConcurrencyStamp", "WebhookDelivery.ConcurrencyStamp", "WebhookEndpoint.ConcurrencyStamp"], ignoreOrder: true);
        tokens.ShouldAllBe(p => p.ClrType == typeof(Guid) && p.ValueGenerated == ValueGenerated.Never);
        tokens.ShouldAllBe(p => p.GetColumnType() == "uniqueidentifier");
    }

    [Fact]
    public void HangfireInstallScript_WhenParsedAsTSql_ShouldHaveNoErrors()
    {
        // Arrange: what `migrate` (and PrepareSchemaIfNecessary) runs for the job storage, in schema "hangfire".
        var script = SqlServerObjectsInstaller.GetInstallScript(HangfireSchema.Name, enableHeavyMigrations: true);

        // Act
        var errors = ParseErrors(script);

        // Assert
        script.ShouldContain($"[{HangfireSchema.Name}]");
        errors.ShouldBeEmpty(string.Join('\n', errors));
    }

    [Fact]
    public void ParseErrors_WhenDynamicSqlInsideExecIsBroken_ShouldReportIt()
    {
        // Arrange: EF wraps some statements in EXEC(N'…'); the outer parse alone would accept any string there.
        const string script = "IF 1 = 1\nBEGIN\n    EXEC(N'CREATE TABLE [Broken] ([Id] int NOT NULL,');\nEND;\nGO\n";

        // Act
        var errors = ParseErrors(script);

        // Assert
        errors.ShouldNotBeEmpty();
        errors.ShouldAllBe(e => e.StartsWith("in EXEC at line 3", StringComparison.Ordinal));
    }

    private static TSqlScript Parse(string script, out IList<ParseError> errors)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(script);
        return (TSqlScript)parser.Parse(reader, out errors);
    }

    /// <summary>Parse errors of the script and of every string run as dynamic SQL in it (EF emits EXEC(N'…')).</summary>
    private static List<string> ParseErrors(string script)
    {
        var fragment = Parse(script, out var errors);
        var lines = script.Split('\n');
        var problems = errors.Select(e => Describe(e, lines)).ToList();

        var dynamic = new DynamicSqlCollector();
        fragment.Accept(dynamic);
        foreach (var (sql, line) in dynamic.Statements)
        {
            Parse(sql, out var inner);
            problems.AddRange(inner.Select(e => $"in EXEC at line {line}: {Describe(e, sql.Split('\n'))}"));
        }

        return problems;
    }

    private static string Describe(ParseError error, string[] lines)
    {
        var text = error.Line >= 1 && error.Line <= lines.Length ? lines[error.Line - 1].Trim() : string.Empty;
        return new StringBuilder().Append("line ").Append(error.Line).Append(", column ").Append(error.Column)
            .Append(": ").Append(error.Message).Append(" | ").Append(text).ToString();
    }

    private sealed class DynamicSqlCollector : TSqlFragmentVisitor
    {
        public List<(string Sql, int Line)> Statements { get; } = [];

        public override void ExplicitVisit(ExecutableStringList node)
        {
            var sql = string.Concat(node.Strings.OfType<StringLiteral>().Select(s => s.Value));
            if (!string.IsNullOrWhiteSpace(sql))
            {
                Statements.Add((sql, node.StartLine));
            }

            base.ExplicitVisit(node);
        }
    }
}
