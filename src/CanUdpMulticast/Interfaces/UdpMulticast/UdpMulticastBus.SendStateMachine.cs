using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

public sealed partial class UdpMulticastBus
{
    /// <summary>
    /// One <see cref="SendFrameAsync"/>: encodes the frame into a pooled buffer and sends it, awaiting only when the send
    /// buffer is full; a send that failed because the bus was disposed under it throws <see cref="ObjectDisposedException"/>.
    /// </summary>
    /// <remarks>Written by hand instead of as an <c>async</c> method: it runs for every frame <c>SendAsync</c> sends, and
    /// Roslyn does not copy <see cref="MethodImplOptions.AggressiveOptimization"/> onto the <c>MoveNext</c> it generates, so
    /// that one went through tiering mid-stream (issue 11, 11.d). Completes synchronously when the datagram went out at once.</remarks>
    [StructLayout(LayoutKind.Auto)]
    private struct SendStateMachine : IAsyncStateMachine
    {
        private PoolingAsyncValueTaskMethodBuilder _builder;
        private UdpMulticastBus _bus;
        private CanMessage _message;
        private CancellationToken _cancellationToken;
        private byte[]? _buffer;
        private ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter _awaiter;
        private State _state;

        private enum State
        {
            /// <summary>About to encode and send.</summary>
            Starting,

            /// <summary>Suspended until the send completes (the send buffer was full).</summary>
            Sending,
        }

        /// <summary>Starts the machine.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static ValueTask Run(UdpMulticastBus bus, in CanMessage message, CancellationToken cancellationToken)
        {
            var machine = new SendStateMachine
            {
                _builder = PoolingAsyncValueTaskMethodBuilder.Create(),
                _bus = bus,
                _message = message,
                _cancellationToken = cancellationToken,
                _state = State.Starting,
            };
            machine._builder.Start(ref machine);
            return machine._builder.Task;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void MoveNext()
        {
            try
            {
                if (_state == State.Starting)
                {
                    _bus.ThrowIfFdDisabled(_message);
                    _buffer = ArrayPool<byte>.Shared.Rent(WireCodec.MaxDatagramSize);
                }

                var suspended = false;
                try
                {
                    if (_state == State.Starting)
                    {
                        var length = WireCodec.Encode(_message, _buffer!);
#pragma warning disable CA2012 // consumed once: the awaiter is kept across the suspension, as compiler-generated code does
                        _awaiter = _bus._transport.SendAsync(_buffer.AsMemory(0, length), _cancellationToken).ConfigureAwait(false).GetAwaiter();
#pragma warning restore CA2012
                        if (!_awaiter.IsCompleted)
                        {
                            _state = State.Sending;
                            suspended = true;
                            _builder.AwaitUnsafeOnCompleted(ref _awaiter, ref this);
                            return;
                        }
                    }

                    var awaiter = _awaiter;
                    _awaiter = default;
                    awaiter.GetResult();
                }
                catch (Exception ex) when (_bus.DisposedUnder(ex))
                {
                    throw _bus.Disposed(ex);
                }
                finally
                {
                    if (!suspended)
                    {
                        ArrayPool<byte>.Shared.Return(_buffer!);
                        _buffer = null;
                    }
                }
            }
            catch (Exception ex)
            {
                _builder.SetException(ex);
                return;
            }

            _builder.SetResult();
        }

        public void SetStateMachine(IAsyncStateMachine stateMachine) => _builder.SetStateMachine(stateMachine);
    }
}
