namespace IntegrationHub.Domain.Common;

/// <summary>Thrown when code asks an aggregate for a move its invariants forbid: a bug, not an expected failure.</summary>
public sealed class DomainException : Exception
{
    public DomainException(string message) : base(message)
    {
    }

    public DomainException()
    {
    }

    public DomainException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
