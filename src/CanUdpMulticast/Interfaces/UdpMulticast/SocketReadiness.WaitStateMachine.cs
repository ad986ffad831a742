using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

internal static partial class SocketReadiness
{
    /// <summary>One <see cref="WaitAsync"/>: a zero-byte peek, awaited, with the socket's failures turned into the results
    /// and errors <see cref="WaitAsync"/> documents.</summary>
    /// <remarks>Written by hand instead of as an <c>async</c> method: Roslyn does not copy
    /// <see cref="MethodImplOptions.AggressiveOptimization"/> onto the <c>MoveNext</c> it generates, so that one went
    /// through tiering and was recompiled mid-stream (issue 11, 11.d). Its box is pooled (allocation-free when it waits).</remarks>
    [StructLayout(LayoutKind.Auto)]
    private struct WaitStateMachine : IAsyncStateMachine
    {
        private PoolingAsyncValueTaskMethodBuilder<bool> _builder;
        private Socket _socket;
        private IMulticastTransport _transport;
        private MulticastEndpoint _endpoint;
        private CancellationToken _cancellationToken;
        private ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter _awaiter;
        private State _state;

        private enum State
        {
            /// <summary>About to start the peek.</summary>
            Starting,

            /// <summary>Suspended until the peek completes.</summary>
            Peeking,
        }

        /// <summary>Starts the machine.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static ValueTask<bool> Run(Socket socket, IMulticastTransport transport, MulticastEndpoint endpoint, CancellationToken cancellationToken)
        {
            var machine = new WaitStateMachine
            {
                _builder = PoolingAsyncValueTaskMethodBuilder<bool>.Create(),
                _socket = socket,
                _transport = transport,
                _endpoint = endpoint,
                _cancellationToken = cancellationToken,
                _state = State.Starting,
            };
            machine._builder.Start(ref machine);
            return machine._builder.Task;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void MoveNext()
        {
            bool result;
            try
            {
                if (_state == State.Starting && _transport.IsClosed)
                {
                    result = false;
                }
                else
                {
                    try
                    {
                        if (_state == State.Starting)
                        {
                            // Completes with 0 bytes when a datagram is queued (or at end-of-file after Close shut the socket down).
#pragma warning disable CA2012 // consumed once: the awaiter is kept across the suspension, as compiler-generated code does
                            _awaiter = _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.Peek, _cancellationToken).ConfigureAwait(false).GetAwaiter();
#pragma warning restore CA2012
                            if (!_awaiter.IsCompleted)
                            {
                                _state = State.Peeking;
                                _builder.AwaitUnsafeOnCompleted(ref _awaiter, ref this);
                                return;
                            }
                        }

                        var awaiter = _awaiter;
                        _awaiter = default;
                        awaiter.GetResult();
                        result = !_transport.IsClosed;
                    }
                    catch (ObjectDisposedException)
                    {
                        result = false;
                    }
                    catch (SocketException) when (_transport.IsClosed)
                    {
                        result = false;
                    }
                    catch (SocketException ex) when (ex.SocketErrorCode == SocketError.MessageSize)
                    {
                        // Some platforms report a datagram larger than the (empty) peek buffer this way: it is queued.
                        result = true;
                    }
                    catch (SocketException ex)
                    {
                        throw new CanOperationException(
                            $"Waiting for datagrams on UDP multicast group {_endpoint.Describe()} failed: {ex.Message} ({ex.SocketErrorCode}).", ex);
                    }
                }
            }
            catch (Exception ex)
            {
                _builder.SetException(ex);
                return;
            }

            _builder.SetResult(result);
        }

        public void SetStateMachine(IAsyncStateMachine stateMachine) => _builder.SetStateMachine(stateMachine);
    }
}
