using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CanUdpMulticast;

public abstract partial class CanBus
{
    /// <summary>The asynchronous part of <see cref="SendAsync"/>: awaits the backend's send, then counts the frame.</summary>
    /// <remarks>Written by hand instead of as an <c>async</c> method so that its <c>MoveNext</c> is fully optimised from the
    /// first call (Roslyn does not copy <see cref="MethodImplOptions.AggressiveOptimization"/> onto a generated one; issue 11, 11.d).</remarks>
    [StructLayout(LayoutKind.Auto)]
    private struct AwaitSendStateMachine : IAsyncStateMachine
    {
        private PoolingAsyncValueTaskMethodBuilder _builder;
        private CanBus _bus;
        private ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter _awaiter;
        private State _state;

        private enum State
        {
            /// <summary>About to await the send.</summary>
            Awaiting,

            /// <summary>Suspended until the send completes.</summary>
            Suspended,
        }

        /// <summary>Starts the machine.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static ValueTask Run(CanBus bus, ValueTask pending)
        {
            var machine = new AwaitSendStateMachine
            {
                _builder = PoolingAsyncValueTaskMethodBuilder.Create(),
                _bus = bus,
                _awaiter = pending.ConfigureAwait(false).GetAwaiter(),
                _state = State.Awaiting,
            };
            machine._builder.Start(ref machine);
            return machine._builder.Task;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void MoveNext()
        {
            try
            {
                if (_state == State.Awaiting && !_awaiter.IsCompleted)
                {
                    _state = State.Suspended;
                    _builder.AwaitUnsafeOnCompleted(ref _awaiter, ref this);
                    return;
                }

                _awaiter.GetResult();
                _awaiter = default;
                _bus._counters.AddSent();
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
