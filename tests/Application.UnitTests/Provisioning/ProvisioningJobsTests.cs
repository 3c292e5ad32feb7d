using System.ComponentModel.DataAnnotations;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Provisioning;

namespace IntegrationHub.Application.UnitTests.Provisioning;

/// <summary>How accounts due together reach the job runner: batch jobs from the threshold on, single jobs below it.</summary>
public sealed class ProvisioningJobsTests
{
    [Fact]
    public void Enqueue_WhenFewerThanTheThreshold_ShouldEnqueueOneSingleJobEach()
    {
        // Arrange
        var jobs = new RecordingJobs();
        var options = new ProvisioningOptions { BatchThreshold = 10 };

        // Act
        ProvisioningJobs.Enqueue(jobs, [1, 2, 3, 4, 5, 6, 7, 8, 9], options);

        // Assert
        jobs.Singles.ShouldBe([1, 2, 3, 4, 5, 6, 7, 8, 9]);
        jobs.Batches.ShouldBeEmpty();
    }

    [Fact]
    public void Enqueue_WhenAtLeastTheThreshold_ShouldEnqueueOneBatchJobPerBatchSize()
    {
        // Arrange
        var jobs = new RecordingJobs();
        var options = new ProvisioningOptions { BatchThreshold = 10, BatchSize = 4 };
        long[] ids = [.. Enumerable.Range(1, 10).Select(i => (long)i)];

        // Act
        ProvisioningJobs.Enqueue(jobs, ids, options);

        // Assert
        jobs.Singles.ShouldBeEmpty();
        jobs.Batches.Count.ShouldBe(3);
        jobs.Batches[0].ShouldBe([1, 2, 3, 4]);
        jobs.Batches[1].ShouldBe([5, 6, 7, 8]);
        jobs.Batches[2].ShouldBe([9, 10]);
    }

    [Fact]
    public void Enqueue_WhenBatchingIsOff_ShouldEnqueueSingleJobsWhateverTheCount()
    {
        // Arrange
        var jobs = new RecordingJobs();
        var options = new ProvisioningOptions { BatchEnabled = false, BatchThreshold = 2 };

        // Act
        ProvisioningJobs.Enqueue(jobs, [.. Enumerable.Range(1, 50).Select(i => (long)i)], options);

        // Assert
        jobs.Singles.Count.ShouldBe(50);
        jobs.Batches.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(0, 10, false)]
    [InlineData(1, 10, true)]
    [InlineData(1000, 10, true)]
    [InlineData(1001, 10, false)]
    [InlineData(1000, 1, false)]
    [InlineData(1000, 2, true)]
    public void ProvisioningOptions_WhenBatchSettingsAreValidated_ShouldKeepAlloysLimitOf1000(int batchSize, int threshold, bool valid)
    {
        // Arrange
        var options = new ProvisioningOptions { BatchSize = batchSize, BatchThreshold = threshold };
        var results = new List<ValidationResult>();

        // Act
        var ok = Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);

        // Assert
        ok.ShouldBe(valid, string.Join("; ", results.Select(r => r.ErrorMessage)));
    }

    /// <summary>Records what was enqueued; the provisioning helpers call nothing else.</summary>
    private sealed class RecordingJobs : IBackgroundJobs
    {
        public List<long> Singles { get; } = [];

        public List<IReadOnlyList<long>> Batches { get; } = [];

        public void EnqueueProvisioning(long accountId) => Singles.Add(accountId);

        public void EnqueueProvisioningBatch(IReadOnlyList<long> accountIds) => Batches.Add(accountIds);

        public void EnqueueProvisioningAttempt(long accountId) => throw new NotSupportedException();

        public void ScheduleProvisioning(long accountId, DateTimeOffset at) => throw new NotSupportedException();

        public void EnqueueDeprovisioning(long accountId) => throw new NotSupportedException();

        public void ScheduleDeprovisioning(long accountId, DateTimeOffset at) => throw new NotSupportedException();

        public void EnqueueInstallationWebhook(long webhookId) => throw new NotSupportedException();

        public void ScheduleInstallationWebhook(long webhookId, DateTimeOffset at) => throw new NotSupportedException();

        public void EnqueueWebhookDelivery(long deliveryId) => throw new NotSupportedException();

        public void ScheduleWebhookDelivery(long deliveryId, DateTimeOffset at) => throw new NotSupportedException();

        public void EnqueueTenantEvents(string tenantId) => throw new NotSupportedException();

        public void ScheduleTenantEvents(string tenantId, DateTimeOffset at) => throw new NotSupportedException();
    }
}
