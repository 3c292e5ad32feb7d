using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.AlloySandbox.Tests.Support;

/// <summary>One webhook request the sandbox sent, as the receiver saw it.</summary>
public sealed record Delivery(string Method, string Url, string? ContentType, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>Stands in for the hub's webhook endpoint: records each delivery and answers a fixed status.</summary>
internal sealed class Receiver(HttpStatusCode status, bool fail = false)
{
    private readonly ConcurrentQueue<Delivery> _deliveries = new();
    private int _attempts;

    public HttpStatusCode Status => status;

    public bool Fail => fail;

    /// <summary>Requests that reached the receiver, including those it failed.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    public void Attempted() => Interlocked.Increment(ref _attempts);

    public void Add(Delivery delivery) => _deliveries.Enqueue(delivery);

    public IReadOnlyList<Delivery> All() => [.. _deliveries];

    public Delivery Single()
    {
        var all = All();
        all.Count.ShouldBe(1);
        return all[0];
    }
}

internal sealed class CapturingHandler(Receiver receiver) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        receiver.Attempted();
        if (receiver.Fail)
        {
            throw new HttpRequestException("Connection refused (test)");
        }

        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        receiver.Add(new Delivery(request.Method.Method, request.RequestUri!.AbsoluteUri, request.Content?.Headers.ContentType?.MediaType, headers, body));
        return new HttpResponseMessage(receiver.Status) { Content = new StringContent("{\"ok\":true}", Encoding.UTF8, "application/json") };
    }
}

internal static class WebhookSignatures
{
    /// <summary>Whether <paramref name="signature"/> is <paramref name="key"/>'s RSA PKCS#1 v1.5 SHA-256 signature of METHOD + URL + BODY.</summary>
    public static bool Verify(RSA key, byte[] signature, string method, string url, byte[] body) =>
        key.VerifyData((byte[])[.. Encoding.UTF8.GetBytes(method + url), .. body], signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
}
