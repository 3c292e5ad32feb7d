using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;

namespace IntegrationHub.Application.Provisioning;

/// <summary>How accounts known to be due together are handed to the job runner: in batches when there are enough.</summary>
public static class ProvisioningJobs
{
    /// <summary>
    /// At least <see cref="ProvisioningOptions.BatchThreshold"/> accounts (and batching on): one batch job per
    /// <see cref="ProvisioningOptions.BatchSize"/> of them. Fewer: one single job each, as before.
    /// </summary>
    public static void Enqueue(IBackgroundJobs jobs, IReadOnlyList<long> accountIds, ProvisioningOptions options)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(accountIds);
        ArgumentNullException.ThrowIfNull(options);
        if (options.BatchEnabled && accountIds.Count >= options.BatchThreshold)
        {
            foreach (var chunk in accountIds.Chunk(options.BatchSize))
            {
                jobs.EnqueueProvisioningBatch(chunk);
            }

            return;
        }

        foreach (var id in accountIds)
        {
            jobs.EnqueueProvisioning(id);
        }
    }
}
