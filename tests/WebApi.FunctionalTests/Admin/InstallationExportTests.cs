using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Infrastructure.Persistence;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.WebApi.FunctionalTests.Admin;

/// <summary>
/// A hub of its own with a tenant that has many more installations than one export page (500) holds (inserted directly, in the order of their installation ids), and a fault that can be armed to fail
/// the export's later pages in the database.
/// </summary>
public sealed class ExportHub : IAsyncLifetime
{
    public const int Installations = 5_000;

    public LaterPageFault Fault { get; } = new();

    public ConfiguredHub Hub { get; private set; } = null!;

    public string TenantId { get; } = HubApi.NewTenantId("export");

    public async ValueTask InitializeAsync()
    {
        Hub = new ConfiguredHub(
            new Dictionary<string, string?> { ["Alloy:Sandbox"] = "true" },
            services: services => services.ConfigureDbContext<SqliteHubDbContext>(o => o.AddInterceptors(Fault)));
        using (var signup = await Hub.CreateClient(HubFactory.ServiceKey).PostAsJsonAsync("/api/tenants", new { tenantId = TenantId, name = "Export" }))
        {
            signup.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        await using var connection = new SqliteConnection($"Data Source={Hub.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var insert = connection.CreateCommand();
        insert.CommandText =
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $count) " +
            "INSERT INTO Installations (TenantId, InstallationId, IntegrationId, IntegrationName, Enabled, Environment, InstalledAt, FirstSeenAt, LastSyncedAt, RemovedAt) " +
            "SELECT $tenant, printf('%s-%04d', $tenant, i), 'csv-integration', 'CSV Integration', 1, 'Development', $now, $now, $now, NULL FROM n;";
        insert.Parameters.AddWithValue("$count", Installations);
        insert.Parameters.AddWithValue("$tenant", TenantId);
        insert.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.UtcTicks);
        (await insert.ExecuteNonQueryAsync()).ShouldBe(Installations);
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    /// <summary>
    /// When armed, lets the first installations query through (the export's first page) and fails every later one, as
    /// a failing disk would; arming again starts over.
    /// </summary>
    public sealed class LaterPageFault : DbCommandInterceptor
    {
        private int _armed;
        private int _passed;

        public bool Armed
        {
            get => Volatile.Read(ref _armed) == 1;
            set
            {
                Volatile.Write(ref _passed, 0);
                Volatile.Write(ref _armed, value ? 1 : 0);
            }
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (Armed
                && command.CommandText.Contains("FROM \"Installations\"", StringComparison.Ordinal)
                && Interlocked.Increment(ref _passed) > 1)
            {
                throw new SqliteException("disk I/O error (injected by the test)", 10);
            }

            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}

/// <summary>
/// <c>GET /api/admin/installations</c> with <c>Accept: text/csv</c> exports every match, page by page: a failure on a
/// later page must reach the client as a broken transfer, never as a shorter file that looks complete; and the whole
/// export is one audit entry.
/// </summary>
public sealed class InstallationExportTests(ExportHub export) : IClassFixture<ExportHub>
{
    [Fact]
    public async Task Export_WhenEveryPageReads_ShouldReturnEveryRowAndRecordOneAuditEntry()
    {
        // Arrange: an admin JWT with a subject of its own, so its audit entries are told from others.
        var subject = "export-" + Guid.NewGuid().ToString("N")[..8];
        var admin = Bearer(TestJwt.Create(roles: ["integration-hub-admin"], extraClaims: new Dictionary<string, object> { ["sub"] = subject }));

        // Act
        using var request = CsvRequest();
        using var response = await admin.SendAsync(request);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // A marker query after the export: audit entries are written in order, so once it is stored, so is the export's.
        (await admin.GetAsync("/api/admin/tenants?state=Failed")).Dispose();

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        lines.Length.ShouldBe(ExportHub.Installations + 1);
        var entries = await Poll.UntilAsync(
            () => AuditOfAsync(subject),
            e => e.Any(x => x.GetProperty("detail").GetString() == "tenants state=Failed"),
            because: "the marker query's audit entry");
        entries.Select(x => x.GetProperty("detail").GetString()).ShouldBe(
            [$"installations export tenantId={export.TenantId}", "tenants state=Failed"], ignoreOrder: true);
    }

    [Fact]
    public async Task Export_OfManyPages_ShouldContainEveryRowExactlyOnceInIdOrder()
    {
        // Arrange: the rows were inserted in the order of their installation ids, so id order is that order.
        var admin = Bearer(TestJwt.Create(roles: ["integration-hub-admin"]));
        var expected = Enumerable.Range(1, ExportHub.Installations).Select(i => $"{export.TenantId}-{i:0000}").ToList();

        // Act
        using var request = CsvRequest();
        using var response = await admin.SendAsync(request);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        lines[0].ShouldBe("tenantId,installationId,integrationId,integrationName,enabled,installedAt,firstSeenAt,lastSyncedAt,removedAt");
        var cells = lines.Skip(1).Select(l => l.Split(',')).ToList();
        cells.Select(c => c[1]).ToList().ShouldBe(expected);
        cells.ShouldAllBe(c => c.Length == 9 && c[0] == export.TenantId && c[2] == "csv-integration" && c[4] == "true" && c[8] == string.Empty);
    }

    [Fact]
    public async Task Query_PagedByCursor_ShouldAnswerTheExportsRowsPageByPage()
    {
        // Arrange
        var admin = export.Hub.CreateClient(HubFactory.AdminKey);
        var seen = new List<string>();
        string? cursor = null;

        // Act: the JSON listing, 500 at a time, following nextCursor.
        do
        {
            var page = await admin.GetFromJsonAsync<JsonElement>(
                $"/api/admin/installations?tenantId={export.TenantId}&integrationId=csv-integration&enabled=true&limit=500" + (cursor is null ? string.Empty : $"&cursor={cursor}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("installationId").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        // Assert
        seen.ShouldBe(Enumerable.Range(1, ExportHub.Installations).Select(i => $"{export.TenantId}-{i:0000}").ToList());
    }

    [Fact]
    public async Task Export_WhenALaterPageFails_ShouldBreakTheTransferInsteadOfEndingTheFile()
    {
        // Arrange
        var admin = Bearer(TestJwt.Create(roles: ["integration-hub-admin"]));
        export.Fault.Armed = true;
        try
        {
            // Act
            using var request = CsvRequest();
            var failure = await Should.ThrowAsync<Exception>(async () =>
            {
                using var response = await admin.SendAsync(request);
                await response.Content.ReadAsStringAsync();
            });

            // Assert: the transport failed (no complete chunked body), which is what a client or browser reports.
            failure.ShouldBeAssignableTo<HttpRequestException>(failure.ToString());
            export.Hub.LogSink.Containing(["CSV export of installations failed after 500 rows"]).ShouldNotBeEmpty();
        }
        finally
        {
            export.Fault.Armed = false;
        }

        // And the same export works again once the database does.
        using var again = CsvRequest();
        using var ok = await admin.SendAsync(again);
        (await ok.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(ExportHub.Installations + 1);
    }

    private HttpRequestMessage CsvRequest()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/admin/installations?tenantId={export.TenantId}");
        request.Headers.Accept.ParseAdd("text/csv");
        return request;
    }

    private HttpClient Bearer(string token)
    {
        var client = export.Hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    private async Task<List<JsonElement>> AuditOfAsync(string subject)
    {
        var page = await export.Hub.CreateClient(HubFactory.AdminKey).GetFromJsonAsync<JsonElement>("/api/admin/audit?action=AdminQuery&limit=500");
        return page.GetProperty("items").EnumerateArray().Where(x => x.GetProperty("actor").GetString() == subject).ToList();
    }
}
