namespace CanUdpMulticast;

public abstract partial class CanBus
{
    /// <summary>The sequence <see cref="ReadAllAsync"/> returns: each enumeration is a <see cref="ReceivedFrameEnumerator"/>.</summary>
    /// <remarks>Written by hand instead of as an <c>async</c> iterator so that its per-frame code is fully optimised from
    /// the first frame (Roslyn does not copy <see cref="System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization"/>
    /// onto a generated <c>MoveNext</c>; issue 11, 11.d).</remarks>
    private sealed class ReceivedFrames(CanBus bus, CancellationToken cancellationToken) : IAsyncEnumerable<CanMessage>
    {
        /// <summary>Starts an enumeration; both tokens end it (as <c>[EnumeratorCancellation]</c> combines them).</summary>
        public IAsyncEnumerator<CanMessage> GetAsyncEnumerator(CancellationToken token = default)
        {
            if (!cancellationToken.CanBeCanceled || token == cancellationToken)
            {
                return new ReceivedFrameEnumerator(bus, linked: null, token);
            }

            if (!token.CanBeCanceled)
            {
                return new ReceivedFrameEnumerator(bus, linked: null, cancellationToken);
            }

            var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, token);
            return new ReceivedFrameEnumerator(bus, linked, linked.Token);
        }
    }
}
