using System.Runtime.CompilerServices;

namespace CanUdpMulticast;

public abstract partial class CanBus
{
    /// <summary>
    /// One enumeration of <see cref="ReadAllAsync"/>: frames already there come without an asynchronous wait, then it waits
    /// for the next one. It ends when the bus is disposed (or the enumerator is); cancellation throws
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <remarks>The waiting is done by <see cref="NextFrameStateMachine"/>; this class holds the enumeration's state and
    /// the two steps the machine takes (see <see cref="ReceivedFrames"/> for why it is written by hand).</remarks>
    private sealed class ReceivedFrameEnumerator(CanBus bus, CancellationTokenSource? linked, CancellationToken cancellationToken)
        : IAsyncEnumerator<CanMessage>
    {
        /// <summary>The frame the last successful <see cref="MoveNextAsync"/> took.</summary>
        public CanMessage Current
        {
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            get;
            private set;
        }

        /// <summary>Whether the enumeration is over: the bus or the enumerator was disposed, or a step threw.</summary>
        public bool Ended { get; private set; }

        /// <summary>The bus.</summary>
        public CanBus Bus => bus;

        /// <summary>Takes the next frame that passes the filters.</summary>
        /// <returns><see langword="true"/> with <see cref="Current"/> set; <see langword="false"/> when the enumeration is over.</returns>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public ValueTask<bool> MoveNextAsync() => Ended ? new ValueTask<bool>(false) : NextFrameStateMachine.Run(this);

        /// <summary>Ends the enumeration.</summary>
        public ValueTask DisposeAsync()
        {
            Ended = true;
            linked?.Dispose();
            return default;
        }

        /// <summary>
        /// Takes frames already there until one passes the filters; otherwise starts the backend's asynchronous wait.
        /// </summary>
        /// <param name="pending">The wait, when the result is <see langword="false"/> and the enumeration is not <see cref="Ended"/>.</param>
        /// <returns>Whether a frame was taken (<see cref="Current"/>).</returns>
        /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryTakeReady(out ValueTask<CanMessage?> pending)
        {
            pending = default;
            while (!bus.IsDisposed && bus.ReceiveFrame(out var ready, TimeSpan.Zero))
            {
                if (bus.Accept(ready))
                {
                    Current = ready;
                    return true;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (bus.IsDisposed)
            {
                Ended = true;
                return false;
            }

            try
            {
                pending = bus.ReceiveFrameAsync(cancellationToken);
            }
            catch (ObjectDisposedException) when (bus.IsDisposed)
            {
                Ended = true;
            }

            return false;
        }

        /// <summary>Takes what the backend's wait brought: <see langword="null"/> (closed) ends the enumeration.</summary>
        /// <param name="received">The frame, or <see langword="null"/>.</param>
        /// <returns>Whether it passed the filters (<see cref="Current"/>); when not, and not <see cref="Ended"/>, look again.</returns>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TakeReceived(CanMessage? received)
        {
            if (received is not { } frame)
            {
                Ended = true;
                return false;
            }

            if (!bus.Accept(frame))
            {
                return false;
            }

            Current = frame;
            return true;
        }

        /// <summary>Ends the enumeration after a step threw.</summary>
        public void Fail() => Ended = true;
    }
}
