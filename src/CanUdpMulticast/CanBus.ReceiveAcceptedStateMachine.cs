using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CanUdpMulticast;

public abstract partial class CanBus
{
    /// <summary>
    /// The asynchronous part of <see cref="ReceiveAsync"/>: awaits the backend's frame, and when the filters reject it
    /// waits for the next one, until a frame passes.
    /// </summary>
    /// <remarks>Written by hand instead of as an <c>async</c> method: Roslyn does not copy
    /// <see cref="MethodImplOptions.AggressiveOptimization"/> onto the <c>MoveNext</c> it generates, so that one went
    /// through tiering and was recompiled mid-stream (issue 11, target 11.d). It is what the compiler would generate,
    /// with the states named, on the same pooling builder (allocation-free when it waits).</remarks>
    [StructLayout(LayoutKind.Auto)]
    private struct ReceiveAcceptedStateMachine : IAsyncStateMachine
    {
        private PoolingAsyncValueTaskMethodBuilder<CanMessage> _builder;
        private CanBus _bus;
        private ValueTask<CanMessage?> _pending;
        private CancellationToken _cancellationToken;
        private ConfiguredValueTaskAwaitable<CanMessage?>.ConfiguredValueTaskAwaiter _awaiter;
        private State _state;

        private enum State
        {
            /// <summary>About to await <see cref="_pending"/>.</summary>
            Awaiting,

            /// <summary>Suspended until <see cref="_pending"/> completes.</summary>
            Suspended,
        }

        /// <summary>Starts the machine; completes synchronously (without a box) when the frames are already there.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static ValueTask<CanMessage> Run(CanBus bus, ValueTask<CanMessage?> pending, CancellationToken cancellationToken)
        {
            var machine = new ReceiveAcceptedStateMachine
            {
                _builder = PoolingAsyncValueTaskMethodBuilder<CanMessage>.Create(),
                _bus = bus,
                _pending = pending,
                _cancellationToken = cancellationToken,
                _state = State.Awaiting,
            };
            machine._builder.Start(ref machine);
            return machine._builder.Task;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void MoveNext()
        {
            CanMessage frame;
            try
            {
                while (true)
                {
                    if (_state == State.Awaiting)
                    {
                        _awaiter = _pending.ConfigureAwait(false).GetAwaiter();
                        _pending = default;
                        if (!_awaiter.IsCompleted)
                        {
                            _state = State.Suspended;
                            _builder.AwaitUnsafeOnCompleted(ref _awaiter, ref this);
                            return;
                        }
                    }

                    _state = State.Awaiting;
                    var received = _awaiter.GetResult();
                    _awaiter = default;
                    ObjectDisposedException.ThrowIf(received is null, _bus);
                    frame = received.GetValueOrDefault();
                    if (_bus.Accept(frame))
                    {
                        break;
                    }

                    // Rejected by the filters: wait for the next frame.
                    _bus.ThrowIfDisposed();
                    _cancellationToken.ThrowIfCancellationRequested();
#pragma warning disable CA2012 // consumed once: the awaiter is kept across the suspension, as compiler-generated code does
                    _pending = _bus.ReceiveFrameAsync(_cancellationToken);
#pragma warning restore CA2012
                }
            }
            catch (Exception ex)
            {
                _builder.SetException(ex);
                return;
            }

            _builder.SetResult(frame);
        }

        public void SetStateMachine(IAsyncStateMachine stateMachine) => _builder.SetStateMachine(stateMachine);
    }
}
