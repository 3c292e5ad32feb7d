using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.UnitTests.TestData;

namespace IntegrationHub.Domain.UnitTests.Audit;

public sealed class AuditEntryTests
{
    [Fact]
    public void Record_WhenGivenAllFields_ShouldKeepThem()
    {
        // Arrange
        var tenantId = DomainFactory.NewTenantId("acme");

        // Act
        var entry = AuditEntry.Record(AuditAction.TokenIssued, tenantId, "svc", AuditActorKind.Service, DomainFactory.Now, "userId=u1", "00-abc-def-01");

        // Assert
        entry.Action.ShouldBe(AuditAction.TokenIssued);
        entry.TenantId.ShouldBe(tenantId);
        entry.Actor.ShouldBe("svc");
        entry.ActorKind.ShouldBe(AuditActorKind.Service);
        entry.At.ShouldBe(DomainFactory.Now);
        entry.Detail.ShouldBe("userId=u1");
        entry.TraceId.ShouldBe("00-abc-def-01");
        entry.Id.ShouldBe(0);
    }

    [Fact]
    public void Record_WhenTheDetailIsTooLong_ShouldCutItToTheMaximum()
    {
        // Arrange
        var detail = new string('x', AuditEntry.MaxDetailLength + 100);

        // Act
        var entry = AuditEntry.Record(AuditAction.AdminQuery, null, "admin", AuditActorKind.Admin, DomainFactory.Now, detail);

        // Assert
        entry.Detail!.Length.ShouldBe(AuditEntry.MaxDetailLength);
        entry.Detail.ShouldEndWith("…");
        entry.TenantId.ShouldBeNull();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Record_WhenTheDetailIsBlank_ShouldStoreNoDetail(string? detail)
    {
        // Act
        var entry = AuditEntry.Record(AuditAction.AdminQuery, null, "admin", AuditActorKind.Admin, DomainFactory.Now, detail);

        // Assert
        entry.Detail.ShouldBeNull();
    }

    [Fact]
    public void Record_WhenTheActorIsBlankOrTooLong_ShouldStillRecordWithinLimits()
    {
        // Act
        var blank = AuditEntry.Record(AuditAction.TokenIssued, null, " ", AuditActorKind.TenantMember, DomainFactory.Now);
        var longActor = AuditEntry.Record(AuditAction.TokenIssued, null, new string('a', 1000), AuditActorKind.TenantMember, DomainFactory.Now);

        // Assert
        blank.Actor.ShouldBe("unknown");
        longActor.Actor.Length.ShouldBe(AuditEntry.MaxActorLength);
    }

    [Fact]
    public void Record_WhenTheActionIsUndefined_ShouldThrow()
    {
        // Act
        var act = () => AuditEntry.Record((AuditAction)99, null, "admin", AuditActorKind.Admin, DomainFactory.Now);

        // Assert
        act.ShouldThrow<DomainException>();
    }
}
