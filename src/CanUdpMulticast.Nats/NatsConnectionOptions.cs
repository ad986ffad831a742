using NATS.Client.Core;
using NATS.NKeys;

namespace CanUdpMulticast.Nats;

/// <summary>Maps <see cref="NatsBusOptions"/> onto the NATS client's options (reconnect and buffering made explicit).</summary>
internal static class NatsConnectionOptions
{
    /// <summary>NATS.Net's send buffer per connection (its default is 64 KB).</summary>
    internal const int WriterBufferSize = 256 << 10;

    public static NatsOpts Create(NatsBusOptions options, string sourceText)
    {
        var auth = NatsAuthOpts.Default with
        {
            Username = options.User,
            Password = options.Password,
            Token = options.Token,
            Seed = options.NKeySeed?.Trim(),
            // The client signs the server's nonce with the seed but sends only the public key it is given: derive it.
            NKey = options.NKeySeed is { } seed ? PublicKeyOf(seed, options) : null,
            CredsFile = options.CredentialsFile,
        };
        var tls = NatsTlsOpts.Default;
        if (options.TlsCaFile is not null || options.TlsCertFile is not null)
        {
            tls = tls with
            {
                Mode = TlsMode.Require,
                CaFile = options.TlsCaFile,
                CertFile = options.TlsCertFile,
                KeyFile = options.TlsKeyFile,
            };
        }

        return NatsOpts.Default with
        {
            Url = string.Join(",", options.Servers),
            Name = options.ConnectionName ?? $"canudp-{options.Bus}-{sourceText}",
            // Without own messages the server need not send our frames back at all.
            Echo = options.ReceiveOwnMessages,
            Headers = true,
            AuthOpts = auth,
            TlsOpts = tls,
            ConnectTimeout = options.ConnectTimeout,
            MaxReconnectRetry = -1,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
            ReconnectWaitMax = TimeSpan.FromSeconds(2),
            RetryOnInitialConnect = false,
            // A bad password stays bad: give up instead of retrying for ever.
            IgnoreAuthErrorAbort = false,
            // A sync Send blocks whenever NATS.Net's send buffer is full, until it has drained to half; with the 64 KB
            // default that was once every ~150 frames of a saturating sender (a blocked thread woken, a task and a
            // timer each). 256 KB makes that 4 times rarer. Not more: NATS.Net also sizes the two buffers each publish
            // encodes into at 1/256 of this and clears them whole after every publish, so 1 MB cost the sending thread
            // two 4 KB clears per frame (docs/benchmarks.md, eighth pass).
            WriterBufferSize = WriterBufferSize,
        };
    }

    private static string PublicKeyOf(string seed, NatsBusOptions options)
    {
        try
        {
            using var pair = KeyPair.FromSeed(seed.Trim());
            return pair.GetPublicKey();
        }
        catch (Exception ex) when (ex is NKeysException or ArgumentException or FormatException or IndexOutOfRangeException)
        {
            // The message never repeats the seed: it is a secret.
            throw new CanInitializationException(
                $"Cannot connect to the NATS server {string.Join(",", options.Servers)} for bus {options.SubjectPrefix}.{options.Bus}: the NKey seed is not a valid NKey seed (SU...).", ex);
        }
    }
}
