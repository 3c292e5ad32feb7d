using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace IntegrationHub.SqlServer.StatementTests.Schema;

/// <summary>ScriptDom's parser for SQL Server 2022 (TSql160), with quoted identifiers on as SqlClient sessions have them.</summary>
public static class StatementParser
{
    public static TSqlScript Parse(string text, out IReadOnlyList<string> errors)
    {
        var fragment = new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(text), out var parseErrors);
        errors = parseErrors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}").ToList();
        return (TSqlScript)fragment;
    }

    /// <summary>True for a statement that reads or writes rows (what DacFx can bind inside a procedure).</summary>
    public static bool IsDml(TSqlScript script) =>
        script.Batches.SelectMany(b => b.Statements).Any(s => s is SelectStatement or InsertStatement or UpdateStatement or DeleteStatement or MergeStatement);
}
