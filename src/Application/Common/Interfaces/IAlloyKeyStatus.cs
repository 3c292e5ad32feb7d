namespace IntegrationHub.Application.Common.Interfaces;

/// <summary>What the hub last learned about its Alloy API key(s) from Alloy's answers.</summary>
public interface IAlloyKeyStatus
{
    /// <summary>
    /// Alloy rejected every configured key on the latest call (401/403); false again as soon as a call is accepted.
    /// While true no provisioning attempt can succeed, so nobody should wait for one.
    /// </summary>
    bool Rejected { get; }
}
