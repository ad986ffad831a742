using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace CanUdpMulticast.Nats;

/// <summary>The connection side of <see cref="NatsBus"/>: opening, subscribing, and the client's connection events.</summary>
public sealed partial class NatsBus
{
    // Set at the end of the constructor (which calls the methods that read it): a failure after that is an operation
    // failure on an open bus, not an open failure.
    private readonly bool _opened;

    private async Task OpenAsync(IReadOnlyList<CanFilter> filters)
    {
        try
        {
            await _connection.ConnectAsync().ConfigureAwait(false);
        }
        catch (NatsException ex)
        {
            throw new CanInitializationException(
                $"Cannot connect to the NATS server {Servers} for bus {_subjects.Root}: {Describe(ex)}{TlsHint(ex)}", ex);
        }

        _connected.Set();
        if (filters.Count == 0)
        {
            await ResubscribeAsync([_subjects.All]).ConfigureAwait(false);
        }
    }

    private async Task ResubscribeAsync(IReadOnlyList<string> subjects, CancellationToken cancellationToken = default)
    {
        await _subscriptionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _subscribeRefusals.Clear();
            var added = new List<NatsFrameSubscription>();
            try
            {
                foreach (var subject in subjects)
                {
                    var subscription = new NatsFrameSubscription(_connection, subject, this);
                    // Not cancelled half way: a SUB is only buffered, and each one added is undone below.
                    await _connection.AddSubAsync(subscription, CancellationToken.None).ConfigureAwait(false);
                    added.Add(subscription);
                }

                // The server answers a PING after it has processed the SUBs before it, and refuses a SUB before that
                // PONG: the client's read loop has recorded every refusal of this change by the time the ping returns.
                await _connection.PingAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The caller gave up (timeout) and was told the change failed: keep the old subscriptions.
                foreach (var subscription in added)
                {
                    await subscription.DisposeAsync().ConfigureAwait(false);
                }

                throw;
            }

            var refused = _subscribeRefusals.TakeFirst(); // more refusals of the same change: the first is reported

            var old = Interlocked.Exchange(ref _subscriptions, refused is null ? added : _subscriptions);
            foreach (var subscription in refused is null ? old : added)
            {
                await subscription.DisposeAsync().ConfigureAwait(false);
            }

            if (refused is not null)
            {
                throw Failed(
                    $"The NATS server {Servers} does not permit subscribing to {string.Join(", ", subjects)}: {refused}", null);
            }
        }
        finally
        {
            _subscriptionLock.Release();
        }
    }

    private void RunBlocking(Func<Task> work, TimeSpan timeout, string what) => RunBlocking(_ => work(), timeout, what);

    /// <summary>Runs <paramref name="work"/> to completion or, after <paramref name="timeout"/>, cancels it (so it
    /// leaves nothing half done behind) and throws.</summary>
    private void RunBlocking(Func<CancellationToken, Task> work, TimeSpan timeout, string what)
    {
        using var cancel = new CancellationTokenSource();
        var task = Task.Run(() => work(cancel.Token));
        try
        {
            if (!task.Wait(timeout))
            {
                cancel.Cancel();
                ObserveInBackground(task, what);
                var message = $"NATS bus {_subjects.Root}: could not {what} on {Servers} within {timeout.TotalSeconds:0.###} s (server unreachable or not answering).";
                throw _opened ? new CanTimeoutException(message) : new CanInitializationException(message);
            }
        }
        catch (AggregateException ex) when (ex.InnerException is { } inner)
        {
            throw inner as CanException ?? Failed($"NATS bus {_subjects.Root}: could not {what} on {Servers}: {Describe(inner)}", inner);
        }
    }

    /// <summary>The error for a failure while opening (<see cref="CanInitializationException"/>) or later, on the open
    /// bus (<see cref="CanOperationException"/>, e.g. a refused subscription when the filters change).</summary>
    private CanException Failed(string message, Exception? inner) =>
        _opened ? new CanOperationException(message, inner) : new CanInitializationException(message, inner);

    /// <summary>A TLS failure surfaces from the client as "TLS authentication failed" or, when the server refuses the
    /// client's certificate after the handshake, only as a closed socket: say what to check.</summary>
    private string TlsHint(Exception ex)
    {
        var tls = _options.TlsCaFile is not null || _options.TlsCertFile is not null;
        if (!tls && !Describe(ex).Contains("TLS", StringComparison.OrdinalIgnoreCase))
        {
            return "";
        }

        return _options.TlsCertFile is null
            ? ". TLS: tls_ca must name the CA that signs the server's certificate; a server that verifies clients also needs tls_cert and tls_key."
            : ". TLS: tls_ca must name the CA that signs the server's certificate, and the server must trust the CA that signs tls_cert.";
    }

    /// <summary>Whether a subscription change is under way (tests: a timed-out change has finished undoing itself).</summary>
    internal bool IsResubscribing => _subscriptionLock.CurrentCount == 0;

    private static string Describe(Exception ex) =>
        ex.InnerException is { } inner && inner.Message != ex.Message ? $"{ex.Message} ({inner.Message})" : ex.Message;

    private ValueTask OnConnectionOpenedAsync(object? sender, NatsEventArgs args)
    {
        Interlocked.Exchange(ref _pendingWhileDisconnected, 0);
        if (_connected.IsSet)
        {
            return default;
        }

        _connected.Set();
        _counters.AddReconnection();
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var server = _connection.ServerInfo?.Host + ":" + _connection.ServerInfo?.Port;
            NatsBusLog.Reconnected(_logger, _subjects.Root, server);
        }
        return default;
    }

    private ValueTask OnConnectionDisconnectedAsync(object? sender, NatsEventArgs args)
    {
        if (IsDisposed)
        {
            return default;
        }

        _connected.Reset();
        _counters.AddDisconnection();
        NatsBusLog.Disconnected(_logger, _subjects.Root, args.Message);
        return default;
    }

    private ValueTask OnServerErrorAsync(object? sender, NatsServerErrorEventArgs args)
    {
        NatsBusLog.ServerError(_logger, _subjects.Root, args.Error);
        if (args.Kind == NatsServerErrorKind.PermissionsViolation)
        {
            var error = args.Error;
            // A refused subscription was recorded by the client's logger already (NatsSubscribeRefusals).
            var subject = QuotedSubject(error);
            if (!NatsSubscribeRefusals.IsSubscribeRefusal(error) && subject is not null)
            {
                _publishViolations[subject] = error;
                _anyPublishViolation = true;
            }
        }

        return default;
    }

    private static string? QuotedSubject(string error)
    {
        var start = error.IndexOf('"', StringComparison.Ordinal);
        var end = start < 0 ? -1 : error.IndexOf('"', start + 1);
        return end > start ? error[(start + 1)..end] : null;
    }
}
