using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

internal sealed partial class DatagramReceiver
{
    /// <summary>
    /// The asynchronous part of <see cref="ReceiveAsync"/>: looks for a frame, and while there is none waits for the
    /// active reader or for the socket's readiness, then looks again. Ends with <see langword="null"/> when closed.
    /// </summary>
    /// <remarks>Written by hand instead of as an <c>async</c> method: Roslyn does not copy
    /// <see cref="MethodImplOptions.AggressiveOptimization"/> onto the <c>MoveNext</c> it generates, so that one went
    /// through tiering and was recompiled mid-stream (issue 11, 11.d). Its box is pooled (allocation-free when it waits).</remarks>
    [StructLayout(LayoutKind.Auto)]
    private struct WaitAndReceiveStateMachine : IAsyncStateMachine
    {
        private PoolingAsyncValueTaskMethodBuilder<CanMessage?> _builder;
        private DatagramReceiver _receiver;
        private CancellationToken _cancellationToken;
        private bool _drained;
        private ConfiguredTaskAwaitable.ConfiguredTaskAwaiter _readerAwaiter;
        private ConfiguredValueTaskAwaitable<bool>.ConfiguredValueTaskAwaiter _readableAwaiter;
        private State _state;

        private enum State
        {
            /// <summary>Looking for a frame under the lock.</summary>
            Looking,

            /// <summary>Suspended until the active reader is done.</summary>
            WaitingForReader,

            /// <summary>Suspended until the socket is readable (or closed); registered in <see cref="_asyncWaiters"/>.</summary>
            WaitingForReadable,
        }

        /// <summary>Starts the machine (<see cref="ReceiveAsync"/> has just looked: the socket is drained).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static ValueTask<CanMessage?> Run(DatagramReceiver receiver, CancellationToken cancellationToken)
        {
            var machine = new WaitAndReceiveStateMachine
            {
                _builder = PoolingAsyncValueTaskMethodBuilder<CanMessage?>.Create(),
                _receiver = receiver,
                _cancellationToken = cancellationToken,
                _drained = true,
                _state = State.Looking,
            };
            machine._builder.Start(ref machine);
            return machine._builder.Task;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void MoveNext()
        {
            CanMessage? result;
            try
            {
                while (true)
                {
                    switch (_state)
                    {
                        case State.Looking:
                            // A frame, closed, or what to wait for (registered under the lock).
                            var look = _receiver.LookForAsyncReceive(out var message, ref _drained, out var readerDone);
                            if (look == AsyncLook.Frame)
                            {
                                result = message;
                                goto Done;
                            }

                            if (look == AsyncLook.Closed)
                            {
                                result = null;
                                goto Done;
                            }

                            _drained = false;
                            if (look == AsyncLook.WaitForReader)
                            {
                                _state = State.WaitingForReader;
                                _readerAwaiter = readerDone!.WaitAsync(_cancellationToken).ConfigureAwait(false).GetAwaiter();
                                if (!_readerAwaiter.IsCompleted)
                                {
                                    _builder.AwaitUnsafeOnCompleted(ref _readerAwaiter, ref this);
                                    return;
                                }

                                continue;
                            }

                            _state = State.WaitingForReadable;
                            try
                            {
#pragma warning disable CA2012 // consumed once: the awaiter is kept across the suspension, as compiler-generated code does
                                _readableAwaiter = _receiver._transport.WaitReadableAsync(_cancellationToken).ConfigureAwait(false).GetAwaiter();
#pragma warning restore CA2012
                            }
                            catch (Exception ex) when (_receiver._transport.IsClosed && ex is not OperationCanceledException)
                            {
                                _receiver.ReadableWaitEnded();
                                result = null;
                                goto Done;
                            }
                            catch
                            {
                                _receiver.ReadableWaitEnded();
                                throw;
                            }

                            if (!_readableAwaiter.IsCompleted)
                            {
                                _builder.AwaitUnsafeOnCompleted(ref _readableAwaiter, ref this);
                                return;
                            }

                            continue;

                        case State.WaitingForReader:
                            // The reader is done (or the token fired: GetResult throws): look again.
                            _state = State.Looking;
                            var readerAwaiter = _readerAwaiter;
                            _readerAwaiter = default;
                            readerAwaiter.GetResult();
                            continue;

                        case State.WaitingForReadable:
                        default:
                            // The socket is readable: look again; closed: end with no frame.
                            _state = State.Looking;
                            if (!EndReadableWait())
                            {
                                result = null;
                                goto Done;
                            }

                            continue;
                    }
                }
            }
            catch (Exception ex)
            {
                _builder.SetException(ex);
                return;
            }

        Done:
            _builder.SetResult(result);
        }

        public void SetStateMachine(IAsyncStateMachine stateMachine) => _builder.SetStateMachine(stateMachine);

        /// <summary>Takes the readiness wait's outcome and unregisters the wait; a failure of a closed socket is "closed".</summary>
        /// <returns>Whether to look again (<see langword="false"/>: closed).</returns>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool EndReadableWait()
        {
            var awaiter = _readableAwaiter;
            _readableAwaiter = default;
            try
            {
                return awaiter.GetResult();
            }
            catch (Exception ex) when (_receiver._transport.IsClosed && ex is not OperationCanceledException)
            {
                return false;
            }
            finally
            {
                _receiver.ReadableWaitEnded();
            }
        }
    }
}
