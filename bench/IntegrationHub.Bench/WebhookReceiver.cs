using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace IntegrationHub.Bench;

/// <summary>
/// P7's SaaS backend: a Kestrel server in the driver (so on the load core) on https://127.0.0.1 that reads each
/// webhook's body, counts it by its <c>webhook-id</c> and answers 200 at once. Outside Development the hub delivers
/// to https endpoints only, so the receiver serves a self-signed certificate for 127.0.0.1, written as PEM to
/// <see cref="CertificatePath"/> for the hub and the baseline to trust (through <c>SSL_CERT_FILE</c>).
/// While <see cref="Capture"/> is on, it keeps each message's body and checks its signature with the StandardWebhooks package.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    public const string PathOnServer = "/hooks/hub";

    private readonly WebApplication _app;
    private ConcurrentDictionary<string, int> _seen = new(StringComparer.Ordinal);
    private long _requests;
    private long _badSignatures;

    private WebhookReceiver(WebApplication app, Uri url, string certificatePath)
    {
        _app = app;
        Url = url;
        CertificatePath = certificatePath;
    }

    public Uri Url { get; }

    public string CertificatePath { get; }

    /// <summary>The bodies of the messages received while <see cref="Capture"/> was on, by message id.</summary>
    public ConcurrentDictionary<string, string> Bodies { get; } = new(StringComparer.Ordinal);

    /// <summary>The endpoint's secret, to check signatures with while capturing; null: no capture.</summary>
    public string? Capture { get; set; }

    public long BadSignatures => Interlocked.Read(ref _badSignatures);

    /// <summary>Requests received since the last <see cref="BeginRound"/> (duplicates included).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    public static async Task<WebhookReceiver> StartAsync(string runFolder)
    {
        using var certificate = CreateCertificate();
        var certificatePath = Path.Combine(runFolder, "webhook-receiver.pem");
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem() + "\n");
        // Kestrel needs the key with the certificate; the ephemeral one from CreateSelfSigned is exported and re-imported.
        var serving = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);

        var port = ManagedProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(serving)));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, new Uri($"https://127.0.0.1:{port}{PathOnServer}"), certificatePath);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Forgets which messages were seen: a round counts its own.</summary>
    public void BeginRound()
    {
        _seen = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        Interlocked.Exchange(ref _requests, 0);
    }

    public int Distinct => _seen.Count;

    /// <summary>The ids among <paramref name="ids"/> not seen since the last <see cref="BeginRound"/>.</summary>
    public List<string> Missing(IEnumerable<string> ids) => ids.Where(id => !_seen.ContainsKey(id)).ToList();

    /// <summary>Waits (polling every 2 ms) until <paramref name="count"/> distinct messages arrived in this round; false on timeout.</summary>
    public async Task<bool> WaitForAsync(int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (_seen.Count < count)
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(2);
        }

        return true;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path != PathOnServer)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var id = context.Request.Headers["webhook-id"].ToString();
        Interlocked.Increment(ref _requests);
        if (Capture is { } secret)
        {
            try
            {
                new StandardWebhook(secret).Verify(body, context.Request.Headers);
                Bodies.TryAdd(id, body);
            }
            catch (StandardWebhooks.Diagnostics.WebhookVerificationException)
            {
                Interlocked.Increment(ref _badSignatures);
            }
        }

        _seen.AddOrUpdate(id, 1, (_, n) => n + 1);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
