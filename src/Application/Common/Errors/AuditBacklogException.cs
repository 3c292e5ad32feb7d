namespace IntegrationHub.Application.Common.Errors;

/// <summary>
/// The audit buffer stayed full past its wait: the database does not keep up with the audit writes. Thrown instead of
/// dropping the entry; the API answers 503 (the database cannot serve right now), unlike any other timeout.
/// </summary>
public sealed class AuditBacklogException : TimeoutException
{
    public AuditBacklogException()
    {
    }

    public AuditBacklogException(string message)
        : base(message)
    {
    }

    public AuditBacklogException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
