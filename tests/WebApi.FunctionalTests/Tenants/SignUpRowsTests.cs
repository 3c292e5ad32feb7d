using System.Net;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Tenants;
using IntegrationHub.Infrastructure.Persistence;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.WebApi.FunctionalTests.Tenants;

/// <summary>
/// The signup writes its rows with single-row statements in its transaction (no change tracker, no read first): what it
/// stores is what EF Core reads back, and a repeat, answered by the tenant id's unique key, writes nothing.
/// </summary>
public sealed class SignUpRowsTests(HubFactory hub)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignUp_WhenRepeated_ShouldStoreOneTenantOneAccountAndOneAuditEntry()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId("rows");
        using (var first = await hub.SignUpAsync(tenantId, "Rows Ltd"))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        // Act
        using var repeat = await hub.SignUpAsync(tenantId, "Rows Ltd");

        // Assert
        repeat.StatusCode.ShouldBe(HttpStatusCode.OK);
        var id = TenantId.From(tenantId);
        await using var scope = hub.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.TenantId == id, Ct);
        tenant.Name.ShouldBe("Rows Ltd");
        tenant.DeletedAt.ShouldBeNull();
        var account = await db.AlloyAccounts.AsNoTracking().SingleAsync(a => a.TenantId == id, Ct);
        account.Environment.ShouldBe(AlloyEnvironment.Development);
        account.Username.ShouldBe(tenantId);
        account.ConcurrencyStamp.ShouldNotBe(Guid.Empty);
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.TenantId == id && e.Action == AuditAction.TenantSignedUp).ToListAsync(Ct);
        entries.Count.ShouldBe(1);
        entries[0].ActorKind.ShouldBe(AuditActorKind.Service);
        entries[0].Detail.ShouldBe("name=Rows Ltd environment=Development");
    }
}
