using System.Runtime.CompilerServices;
namespace CanUdpMulticast.Harness.Roles;

/// <summary>
/// The library over its blocking API: <c>Send</c> one frame per call or <c>SendBatch</c>, and <c>Receive</c> or
/// <c>ReceiveBatch</c>.
/// </summary>
internal sealed class LibraryEndpoint : SyncEndpoint
{
    private readonly CanBus _bus;
    private readonly bool _batch;
    private readonly CanMessage[] _messages = new CanMessage[8];
    private readonly CanMessage[][] _batches = new CanMessage[8][];
    private readonly CanMessage[] _received = new CanMessage[BatchSize];

    public LibraryEndpoint(CanBus bus, bool batch)
    {
        _bus = bus;
        _batch = batch;
        for (byte kind = 1; kind < _messages.Length; kind++)
        {
            _messages[kind] = Datagram.Message(kind);
            _batches[kind] = Enumerable.Repeat(_messages[kind], BatchSize).ToArray();
        }
    }

    public override bool SendsInBatches => _batch;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Send(byte kind) => _bus.Send(_messages[kind]);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void SendMany(byte kind, int count)
    {
        var sent = _bus.SendBatch(_batches[kind].AsSpan(0, count));
        if (sent != count)
        {
            throw new InvalidOperationException($"SendBatch sent {sent} of {count}");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int Receive(Span<byte> kinds)
    {
        if (_batch)
        {
            var count = _bus.ReceiveBatch(_received.AsSpan(0, Math.Min(kinds.Length, BatchSize)), ReceiveTimeout);
            for (var i = 0; i < count; i++)
            {
                kinds[i] = LibraryRoles.KindOf(_received[i]);
            }

            return count;
        }

        if (!_bus.TryReceive(out var message, ReceiveTimeout))
        {
            return 0;
        }

        kinds[0] = LibraryRoles.KindOf(message);
        return 1;
    }

    public override IEnumerable<(string Key, double Value)> Fields() => LibraryRoles.StatisticsFields(_bus);
}
