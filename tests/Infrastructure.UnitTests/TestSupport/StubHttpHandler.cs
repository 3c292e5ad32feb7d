using System.Net;

namespace IntegrationHub.Infrastructure.UnitTests.TestSupport;

/// <summary>The innermost HTTP handler: records what was sent (as it was at send time) and answers from a script.</summary>
internal sealed class StubHttpHandler(Func<HttpRequestMessage, int, HttpResponseMessage> respond) : HttpMessageHandler
{
    private readonly List<SentRequest> _sent = [];

    public StubHttpHandler(HttpStatusCode status = HttpStatusCode.OK, string? json = null)
        : this((_, _) => Respond(status, json))
    {
    }

    public IReadOnlyList<SentRequest> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public static HttpResponseMessage Respond(HttpStatusCode status, string? json = null)
    {
        var response = new HttpResponseMessage(status);
        if (json is not null)
        {
            response.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var sent = new SentRequest(
            request.Method,
            request.RequestUri,
            request.Headers.Authorization?.ToString(),
            request.Headers.TryGetValues("x-api-version", out var versions) ? [.. versions] : [],
            body);
        int index;
        lock (_sent)
        {
            _sent.Add(sent);
            index = _sent.Count - 1;
        }

        var response = respond(request, index);
        response.RequestMessage ??= request;
        return response;
    }
}

internal sealed record SentRequest(
    HttpMethod Method,
    Uri? Uri,
    string? Authorization,
    IReadOnlyList<string> ApiVersions,
    string? Body);
