namespace IntegrationHub.Domain.Installations;

/// <summary>One entry of an installation's append-only history.</summary>
public sealed class InstallationChange
{
    private InstallationChange(InstallationChangeKind kind, DateTimeOffset at, InstallationChangeSource source)
    {
        Kind = kind;
        At = at;
        Source = source;
    }

    public long Id { get; private set; }

    public long InstallationRef { get; private set; }

    public InstallationChangeKind Kind { get; private set; }

    public DateTimeOffset At { get; private set; }

    public InstallationChangeSource Source { get; private set; }

    internal static InstallationChange Of(InstallationChangeKind kind, DateTimeOffset at, InstallationChangeSource source) =>
        new(kind, at, source);
}
