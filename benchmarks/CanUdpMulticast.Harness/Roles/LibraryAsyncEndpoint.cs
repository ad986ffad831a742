using System.Runtime.CompilerServices;

namespace CanUdpMulticast.Harness.Roles;

/// <summary>The library's <c>SendAsync</c> and <c>ReceiveAsync</c>.</summary>
internal sealed class LibraryAsyncEndpoint(CanBus bus) : AsyncEndpoint
{
    private readonly CanMessage[] _messages = [.. Enumerable.Range(0, 8).Select(kind => Datagram.Message((byte)kind))];

    public override ValueTask SendAsync(byte kind, CancellationToken cancellationToken) =>
        bus.SendAsync(_messages[kind], cancellationToken);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<byte> ReceiveAsync(CancellationToken cancellationToken) =>
        LibraryRoles.KindOf(await bus.ReceiveAsync(cancellationToken).ConfigureAwait(false));
}
