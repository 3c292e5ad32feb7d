using IntegrationHub.Application.Common.Behaviours;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Tenants;
using IntegrationHub.Application.Tenants.GetTenant;
using IntegrationHub.Domain.Common;

namespace IntegrationHub.Application.UnitTests.Common.Behaviours;

public sealed class TransactionBehaviourTests
{
    [Fact]
    public async Task Handle_WhenTheMessageIsNotTransactional_ShouldPassThroughWithoutResolvingTheUnitOfWork()
    {
        // Arrange
        var resolved = 0;
        var database = new Lazy<IApplicationDbContext>(() =>
        {
            resolved++;
            throw new InvalidOperationException("A request that is not an ITransactionalCommand must not rent a DbContext.");
        });
        var behaviour = new TransactionBehaviour<GetTenantQuery, Result<TenantResponse>>(database);
        var response = new TenantResponse("acme", "Acme Corp", DateTimeOffset.UnixEpoch, null, null);
        var calls = 0;

        // Act
        var result = await behaviour.Handle(
            new GetTenantQuery("acme"),
            (_, _) =>
            {
                calls++;
                return ValueTask.FromResult<Result<TenantResponse>>(response);
            },
            TestContext.Current.CancellationToken);

        // Assert
        calls.ShouldBe(1);
        resolved.ShouldBe(0);
        database.IsValueCreated.ShouldBeFalse();
        result.IsSuccess.ShouldBeTrue();
        result.Value.ShouldBeSameAs(response);
    }
}
