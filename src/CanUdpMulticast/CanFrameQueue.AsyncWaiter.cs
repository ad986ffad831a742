using System.Threading.Tasks.Sources;

namespace CanUdpMulticast;

// The pooled awaitable behind CanFrameQueue.WaitAsync (allocation-free asynchronous waits).
public sealed partial class CanFrameQueue
{
    /// <summary>A reusable awaitable for one pending <see cref="WaitAsync"/>; completed once by data, completion or cancellation.</summary>
    private sealed class AsyncWaiter(CanFrameQueue owner) : IValueTaskSource<bool>
    {
        private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
        private CancellationTokenRegistration _registration;
        private int _state;
        private bool _cancelled;

        public AsyncWaiter? Next { get; set; }

        public ValueTask<bool> Arm(CancellationToken cancellationToken)
        {
            if (cancellationToken.CanBeCanceled)
            {
                _registration = cancellationToken.UnsafeRegister(
                    static (state, token) => ((AsyncWaiter)state!).Cancel(token), this);
            }

            return new ValueTask<bool>(this, _core.Version);
        }

        public void TryComplete(bool result)
        {
            // The registration is released by GetResult: a wake-up can come before Arm has even registered it.
            if (Interlocked.CompareExchange(ref _state, 1, 0) == 0)
            {
                _core.SetResult(result);
            }
        }

        private void Cancel(CancellationToken token)
        {
            if (Interlocked.CompareExchange(ref _state, 1, 0) == 0)
            {
                // A cancelled waiter is never reused: a concurrent wake-up may still be walking its Next link.
                _cancelled = true;
                owner.Unlink(this);
                _core.SetException(new OperationCanceledException(token));
            }
        }

        public bool GetResult(short token)
        {
            try
            {
                return _core.GetResult(token);
            }
            finally
            {
                if (!_cancelled)
                {
                    // Dispose (not Unregister) also waits for a cancellation callback that is running right now, so
                    // no callback of this wait's token can reach the waiter once it is back in the pool.
                    _registration.Dispose();
                    _registration = default;
                    _core.Reset();
                    _state = 0;
                    owner.Return(this);
                }
            }
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
