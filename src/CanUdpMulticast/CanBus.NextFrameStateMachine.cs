using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CanUdpMulticast;

public abstract partial class CanBus
{
    /// <summary>
    /// One <see cref="ReceivedFrameEnumerator.MoveNextAsync"/>: takes a ready frame, or awaits the backend's wait and
    /// looks again while the filters reject what it brought.
    /// </summary>
    /// <remarks>Written by hand instead of as an <c>async</c> method so that its <c>MoveNext</c> is fully optimised from the
    /// first call (Roslyn does not copy <see cref="MethodImplOptions.AggressiveOptimization"/> onto a generated one; issue 11,
    /// 11.d). Completes synchronously, without a box, when a frame is already there; when it waits, its box is pooled.</remarks>
    [StructLayout(LayoutKind.Auto)]
    private struct NextFrameStateMachine : IAsyncStateMachine
    {
        private PoolingAsyncValueTaskMethodBuilder<bool> _builder;
        private ReceivedFrameEnumerator _enumerator;
        private ConfiguredValueTaskAwaitable<CanMessage?>.ConfiguredValueTaskAwaiter _awaiter;
        private State _state;

        private enum State
        {
            /// <summary>Looking for a ready frame (or starting a wait).</summary>
            Looking,

            /// <summary>Suspended until the backend's wait completes.</summary>
            Suspended,
        }

        /// <summary>Starts the machine.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static ValueTask<bool> Run(ReceivedFrameEnumerator enumerator)
        {
            var machine = new NextFrameStateMachine
            {
                _builder = PoolingAsyncValueTaskMethodBuilder<bool>.Create(),
                _enumerator = enumerator,
                _state = State.Looking,
            };
            machine._builder.Start(ref machine);
            return machine._builder.Task;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void MoveNext()
        {
            bool taken;
            try
            {
                while (true)
                {
                    if (_state == State.Looking)
                    {
                        if (_enumerator.TryTakeReady(out var pending))
                        {
                            taken = true;
                            break;
                        }

                        if (_enumerator.Ended)
                        {
                            taken = false;
                            break;
                        }

                        _awaiter = pending.ConfigureAwait(false).GetAwaiter();
                        if (!_awaiter.IsCompleted)
                        {
                            _state = State.Suspended;
                            _builder.AwaitUnsafeOnCompleted(ref _awaiter, ref this);
                            return;
                        }
                    }

                    _state = State.Looking;
                    CanMessage? received;
                    try
                    {
                        received = _awaiter.GetResult();
                    }
                    catch (ObjectDisposedException) when (_enumerator.Bus.IsDisposed)
                    {
                        received = null;
                    }

                    _awaiter = default;
                    if (_enumerator.TakeReceived(received))
                    {
                        taken = true;
                        break;
                    }

                    if (_enumerator.Ended)
                    {
                        taken = false;
                        break;
                    }
                }
            }
            catch (Exception ex)
            {
                _enumerator.Fail();
                _builder.SetException(ex);
                return;
            }

            _builder.SetResult(taken);
        }

        public void SetStateMachine(IAsyncStateMachine stateMachine) => _builder.SetStateMachine(stateMachine);
    }
}
