using Mediator;

namespace IntegrationHub.Application.Common.Interfaces;

/// <summary>
/// A command whose writes commit together, wrapped by <c>TransactionBehaviour</c>. Commands that call Alloy
/// are deliberately not transactional: a database transaction must never stay open across a network call.
/// </summary>
public interface ITransactionalCommand<out TResponse> : ICommand<TResponse>;
