using IntegrationHub.Application.Common.Interfaces;

namespace IntegrationHub.Infrastructure.Alloy;

/// <summary>What the hub last learned about its Alloy key(s); read by the readiness check and the token path.</summary>
public sealed class AlloyKeyState(TimeProvider time) : IAlloyKeyStatus
{
    private volatile bool _rejected;
    private long _changedAtTicks;
    private volatile bool _useSecondary;

    public bool Rejected => _rejected;

    public DateTimeOffset? ChangedAt => Interlocked.Read(ref _changedAtTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>Whether the secondary key is in use because Alloy rejected the primary one.</summary>
    public bool UsingSecondary => _useSecondary;

    public void ReportAccepted(bool secondary)
    {
        _useSecondary = secondary;
        if (_rejected)
        {
            _rejected = false;
            Interlocked.Exchange(ref _changedAtTicks, time.GetUtcNow().UtcTicks);
        }
    }

    public void ReportRejected()
    {
        if (!_rejected)
        {
            _rejected = true;
            Interlocked.Exchange(ref _changedAtTicks, time.GetUtcNow().UtcTicks);
        }
    }
}
