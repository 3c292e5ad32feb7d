namespace IntegrationHub.Application.Common.Interfaces;

/// <summary>
/// The transactional outbox of the webhooks to the SaaS backend: <see cref="AddAsync"/> adds the message and one
/// delivery per enabled endpoint subscribed to its type to the caller's unit of work, so they commit with the change
/// they report (or not at all). Each delivery's job is enqueued once the save commits.
/// </summary>
public interface IWebhookOutbox
{
    /// <param name="type">One of <c>WebhookEventTypes</c>.</param>
    /// <param name="data">The resource as the API returns it.</param>
    /// <param name="resourceVersion">Grows with every change of the resource: receivers drop an update older than one they have.</param>
    Task AddAsync(string type, object data, long resourceVersion, CancellationToken cancellationToken);
}
