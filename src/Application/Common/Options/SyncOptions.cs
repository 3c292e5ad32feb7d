using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Application.Common.Options;

/// <summary>What to do when an account's Alloy user no longer exists in Alloy.</summary>
public enum DriftPolicy
{
    /// <summary>Provision a new Alloy user for the tenant (its installations in Alloy are gone either way).</summary>
    Reprovision,

    /// <summary>Mark the account Failed with the reason; an admin retries it.</summary>
    Flag,
}

/// <summary>Section <c>Sync</c>: the recurring installation sync and drift detection.</summary>
public sealed class SyncOptions
{
    public const string SectionName = "Sync";

    [EnumDataType(typeof(DriftPolicy))]
    public DriftPolicy DriftPolicy { get; set; } = DriftPolicy.Reprovision;

    /// <summary>
    /// If more than this share of the provisioned accounts (and more than <see cref="DriftGuardMinimum"/>) look
    /// missing in one run, nothing is changed: that is a wrong key or environment, not users deleted one by one.
    /// </summary>
    [Range(0.0, 1.0)]
    public double DriftGuardRatio { get; set; } = 0.2;

    [Range(0, int.MaxValue)]
    public int DriftGuardMinimum { get; set; } = 5;
}
