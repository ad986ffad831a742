using System.Runtime.CompilerServices;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.IO;
using CanUdpMulticast.Wire;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace CanUdpMulticast.Nats.JetStream;

/// <summary>
/// Server-side recording of a <c>nats</c> bus in a JetStream stream (it keeps recording with no logger process
/// running; limited by age and size), and reading a time range of it back: as frames, at the original pace onto any
/// bus, or into any log format.
/// </summary>
public static class NatsRecording
{
    /// <summary>The stream name used when none is given: <c>CAN_</c> and the bus name with dots as underscores.</summary>
    /// <param name="bus">The bus name.</param>
    /// <returns>The stream name.</returns>
    public static string DefaultStreamName(string bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        return "CAN_" + bus.Replace('.', '_').Replace('-', '_').ToUpperInvariant();
    }

    /// <summary>Starts (or updates) recording every frame of a bus into a file-backed JetStream stream.</summary>
    /// <param name="bus">The bus and connection (servers, credentials, TLS, subject prefix).</param>
    /// <param name="stream">The stream name; <see langword="null"/> for <see cref="DefaultStreamName"/>.</param>
    /// <param name="maxAge">The oldest frame kept; <see cref="TimeSpan.Zero"/> keeps frames of any age.</param>
    /// <param name="maxBytes">The most bytes kept (oldest frames go first); -1 for no limit.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>What the stream holds now.</returns>
    /// <exception cref="CanOperationException">The server refused (e.g. JetStream is not enabled).</exception>
    public static async Task<NatsRecordingInfo> StartAsync(NatsBusOptions bus, string? stream = null, TimeSpan maxAge = default, long maxBytes = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bus);
        var subjects = new NatsSubjects(bus.SubjectPrefix, bus.Bus);
        var name = stream ?? DefaultStreamName(bus.Bus);
        var connection = new NatsConnection(NatsConnectionOptions.Create(bus, "recorder"));
        await using var closing = connection.ConfigureAwait(false);
        var js = new NatsJSContext(connection);
        try
        {
            var created = await js.CreateOrUpdateStreamAsync(
                new StreamConfig(name, [subjects.All])
                {
                    Storage = StreamConfigStorage.File,
                    MaxAge = maxAge,
                    MaxBytes = maxBytes,
                    Discard = StreamConfigDiscard.Old,
                },
                cancellationToken).ConfigureAwait(false);
            return Describe(created.Info);
        }
        catch (NatsException ex)
        {
            throw new CanOperationException($"Cannot record {subjects.All} into stream {name} on {string.Join(",", bus.Servers)}: {ex.Message}", ex);
        }
    }

    /// <summary>Describes a recording.</summary>
    /// <param name="bus">The bus and connection.</param>
    /// <param name="stream">The stream name; <see langword="null"/> for <see cref="DefaultStreamName"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>What the stream holds.</returns>
    /// <exception cref="CanOperationException">There is no such stream, or the server refused.</exception>
    public static async Task<NatsRecordingInfo> GetInfoAsync(NatsBusOptions bus, string? stream = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bus);
        var name = stream ?? DefaultStreamName(bus.Bus);
        var connection = new NatsConnection(NatsConnectionOptions.Create(bus, "recorder"));
        await using var closing = connection.ConfigureAwait(false);
        try
        {
            var found = await new NatsJSContext(connection).GetStreamAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return Describe(found.Info);
        }
        catch (NatsException ex)
        {
            throw new CanOperationException($"Cannot read stream {name} on {string.Join(",", bus.Servers)}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Reads the recorded frames from <paramref name="from"/> to <paramref name="to"/> in order. Each frame's
    /// <see cref="CanMessage.Timestamp"/> is the time the server stored it, so the spacing is the original one.
    /// Stored payloads that are not valid frames are skipped. Ends at the newest stored frame (it does not wait for more).
    /// </summary>
    /// <param name="bus">The bus and connection.</param>
    /// <param name="stream">The stream name; <see langword="null"/> for <see cref="DefaultStreamName"/>.</param>
    /// <param name="from">The first instant; <see langword="null"/> for the oldest stored frame.</param>
    /// <param name="to">The last instant; <see langword="null"/> for the newest stored frame.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The frames.</returns>
    public static async IAsyncEnumerable<CanMessage> ReadAsync(NatsBusOptions bus, string? stream = null, DateTimeOffset? from = null, DateTimeOffset? to = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bus);
        var name = stream ?? DefaultStreamName(bus.Bus);
        var connection = new NatsConnection(NatsConnectionOptions.Create(bus, "replay"));
        await using var closing = connection.ConfigureAwait(false);
        var js = new NatsJSContext(connection);
        INatsJSConsumer consumer;
        try
        {
            // The stream's own state says whether anything lies in the range (a consumer would wait for new frames).
            var state = (await js.GetStreamAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false)).Info.State;
            if (state.Messages == 0 || (from is { } start && ParseTime(state.LastTs) is { } last && start > last))
            {
                yield break;
            }

            consumer = await js.CreateOrderedConsumerAsync(
                name,
                new NatsJSOrderedConsumerOpts
                {
                    DeliverPolicy = from is null ? ConsumerConfigDeliverPolicy.All : ConsumerConfigDeliverPolicy.ByStartTime,
                    OptStartTime = from ?? default,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (NatsException ex)
        {
            throw new CanOperationException($"Cannot read stream {name} on {string.Join(",", bus.Servers)}: {ex.Message}", ex);
        }

        await foreach (var stored in consumer.ConsumeAsync(NatsRawSerializer<byte[]>.Default, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (stored.Metadata is not { } metadata)
            {
                continue;
            }

            if (to is { } end && metadata.Timestamp > end)
            {
                yield break;
            }

            if (stored.Data is { } payload && PythonCanWireFormat.Decode(payload, out var frame) == MalformedDatagramReason.None)
            {
                yield return frame with { Timestamp = (metadata.Timestamp - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond };
            }

            if (metadata.NumPending == 0)
            {
                yield break;
            }
        }
    }

    /// <summary>Replays a recorded time range onto a bus at the original pace (<see cref="MessageSync"/>).</summary>
    /// <param name="bus">The recorded bus and connection.</param>
    /// <param name="target">The bus to send to (any interface).</param>
    /// <param name="stream">The stream name; <see langword="null"/> for <see cref="DefaultStreamName"/>.</param>
    /// <param name="from">The first instant; <see langword="null"/> for the oldest stored frame.</param>
    /// <param name="to">The last instant; <see langword="null"/> for the newest stored frame.</param>
    /// <param name="options">Pacing options (e.g. the longest pause kept); <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops the replay.</param>
    /// <returns>The number of frames sent.</returns>
    public static async Task<long> ReplayAsync(NatsBusOptions bus, CanBus target, string? stream = null, DateTimeOffset? from = null, DateTimeOffset? to = null, MessageSyncOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        long sent = 0;
        await foreach (var frame in new MessageSync(ReadAsync(bus, stream, from, to, cancellationToken), options).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            await target.SendAsync(frame, cancellationToken).ConfigureAwait(false);
            sent++;
        }

        return sent;
    }

    /// <summary>Exports a recorded time range into a log file (any format the log registry writes, chosen by suffix).</summary>
    /// <param name="bus">The recorded bus and connection.</param>
    /// <param name="writer">The log writer.</param>
    /// <param name="stream">The stream name; <see langword="null"/> for <see cref="DefaultStreamName"/>.</param>
    /// <param name="from">The first instant; <see langword="null"/> for the oldest stored frame.</param>
    /// <param name="to">The last instant; <see langword="null"/> for the newest stored frame.</param>
    /// <param name="cancellationToken">Stops the export.</param>
    /// <returns>The number of frames written.</returns>
    public static async Task<long> ExportAsync(NatsBusOptions bus, ICanLogWriter writer, string? stream = null, DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        long written = 0;
        await foreach (var frame in ReadAsync(bus, stream, from, to, cancellationToken).ConfigureAwait(false))
        {
            writer.Write(frame);
            written++;
        }

        return written;
    }

    private static NatsRecordingInfo Describe(StreamInfo info) => new(
        info.Config.Name!,
        [.. info.Config.Subjects ?? []],
        (long)info.State.Messages,
        (long)info.State.Bytes,
        info.State.Messages == 0 ? null : ParseTime(info.State.FirstTs),
        info.State.Messages == 0 ? null : ParseTime(info.State.LastTs));

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}
