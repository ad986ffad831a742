using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CanUdpMulticast.Nats.Tests.Support;

/// <summary>
/// A throw-away PKI made with .NET's <see cref="CertificateRequest"/> (no external tool): a CA, a server certificate for
/// 127.0.0.1 and a client certificate, all signed by the CA, written as PEM files into a directory.
/// </summary>
public sealed class TestCertificates
{
    private TestCertificates(string directory)
    {
        CaFile = Path.Combine(directory, "ca.pem");
        ServerCertFile = Path.Combine(directory, "server-cert.pem");
        ServerKeyFile = Path.Combine(directory, "server-key.pem");
        ClientCertFile = Path.Combine(directory, "client-cert.pem");
        ClientKeyFile = Path.Combine(directory, "client-key.pem");
    }

    /// <summary>The CA certificate (PEM): what a client or server must trust.</summary>
    public string CaFile { get; }

    /// <summary>The server certificate (PEM), for IP 127.0.0.1 and DNS localhost.</summary>
    public string ServerCertFile { get; }

    /// <summary>The server certificate's private key (PKCS#8 PEM).</summary>
    public string ServerKeyFile { get; }

    /// <summary>The client certificate (PEM) for mutual TLS.</summary>
    public string ClientCertFile { get; }

    /// <summary>The client certificate's private key (PKCS#8 PEM).</summary>
    public string ClientKeyFile { get; }

    /// <summary>Makes a new CA with a server and a client certificate and writes them into <paramref name="directory"/>.</summary>
    /// <param name="directory">An existing directory.</param>
    /// <param name="caName">The CA's common name (two PKIs with different names do not trust each other).</param>
    /// <returns>The file names.</returns>
    public static TestCertificates Create(string directory, string caName = "canudp test CA")
    {
        var files = new TestCertificates(directory);
        var notBefore = DateTimeOffset.UtcNow.AddHours(-1);
        var notAfter = DateTimeOffset.UtcNow.AddDays(1);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={caName}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter.AddHours(1));
        File.WriteAllText(files.CaFile, ca.ExportCertificatePem());

        var serverNames = new SubjectAlternativeNameBuilder();
        serverNames.AddIpAddress(IPAddress.Loopback);
        serverNames.AddDnsName("localhost");
        Issue(ca, "CN=127.0.0.1", "1.3.6.1.5.5.7.3.1", serverNames.Build(), notBefore, notAfter, files.ServerCertFile, files.ServerKeyFile, 1);
        Issue(ca, "CN=canudp test client", "1.3.6.1.5.5.7.3.2", null, notBefore, notAfter, files.ClientCertFile, files.ClientKeyFile, 2);
        return files;
    }

    private static void Issue(
        X509Certificate2 ca,
        string subject,
        string extendedKeyUsage,
        X509Extension? alternativeNames,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter,
        string certFile,
        string keyFile,
        byte serial)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(extendedKeyUsage)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (alternativeNames is not null)
        {
            request.CertificateExtensions.Add(alternativeNames);
        }

        using var certificate = request.Create(ca, notBefore, notAfter, [serial, (byte)Random.Shared.Next(1, 255)]);
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
    }
}
