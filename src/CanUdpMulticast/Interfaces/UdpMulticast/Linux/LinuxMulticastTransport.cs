using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Interfaces.UdpMulticast.Linux;

/// <summary>
/// The Linux transport: receives with <c>recvmmsg(2)</c> (several datagrams per system call) and reads the kernel's
/// receive time (<c>SO_TIMESTAMPNS</c>) and drop counter (<c>SO_RXQ_OVFL</c>) from the control messages.
/// </summary>
/// <remarks>
/// <para>Every structure the kernel writes into lives in arrays on the pinned object heap, owned by this object, so
/// nothing is freed while a system call may still use it. The socket's file descriptor is used only between
/// <see cref="SafeHandle.DangerousAddRef"/> and <see cref="SafeHandle.DangerousRelease"/>: a concurrent close cannot
/// recycle the descriptor under a running call.</para>
/// <para><see cref="Close"/> calls <c>shutdown(SHUT_RD)</c>, which wakes a <c>poll</c> blocked on the socket at once
/// and makes every later read return end-of-file.</para>
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed unsafe class LinuxMulticastTransport : IMulticastTransport
{
    // Datagrams per recvmmsg call: 64 drains a burst of a full-rate sender in few calls (measured in docs/benchmarks.md).
    private const int DefaultBatchCapacity = 64;
    private const int NameSize = 32;

    private readonly MulticastEndpoint _endpoint;
    private readonly ILogger _logger;
    private readonly Socket _socket;
    private readonly SafeHandle _handle;
    private readonly MulticastSender _sender;
    private readonly LinuxBatchSender _batchSender;
    private readonly AddressFamily _family;

    // Pinned kernel-facing storage for one batch (see remarks).
    private readonly LinuxInterop.MMsgHdr[] _headers;
    private readonly LinuxInterop.IoVec[] _iovecs;
    private readonly byte[] _names;
    private readonly byte[] _control;
    private readonly int _controlSize;
    private DatagramBatch? _boundBatch;

    private volatile bool _closed;
    private int _disposed;
    private uint _dropCounter;

    /// <summary>Opens both sockets.</summary>
    /// <param name="endpoint">The group and port.</param>
    /// <param name="options">The bus options.</param>
    /// <param name="logger">Where to log.</param>
    /// <exception cref="CanInitializationException">A socket could not be opened or configured; nothing is left open.</exception>
    public LinuxMulticastTransport(MulticastEndpoint endpoint, UdpMulticastBusOptions options, ILogger logger)
    {
        _endpoint = endpoint;
        _logger = logger;
        _family = endpoint.Family;
        BatchCapacity = DefaultBatchCapacity;
        _socket = MulticastSockets.OpenReceiveSocket(endpoint, options, logger);
        try
        {
            KernelTimestamps = EnableKernelTimestamps(options.TimestampSource);
            TrySetFlag(LinuxInterop.SO_RXQ_OVFL);
            _sender = new MulticastSender(endpoint);
            _batchSender = new LinuxBatchSender(_sender, endpoint);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        _handle = _socket.SafeHandle;
        _controlSize = ControlMessages.Align(ControlMessages.BufferSize);
        _headers = GC.AllocateArray<LinuxInterop.MMsgHdr>(BatchCapacity, pinned: true);
        _iovecs = GC.AllocateArray<LinuxInterop.IoVec>(BatchCapacity, pinned: true);
        _names = GC.AllocateArray<byte>(BatchCapacity * NameSize, pinned: true);
        _control = GC.AllocateArray<byte>(BatchCapacity * _controlSize, pinned: true);
    }

    /// <inheritdoc/>
    public int SendPort => _sender.LocalPort;

    /// <inheritdoc/>
    public bool KernelTimestamps { get; }

    /// <inheritdoc/>
    public uint KernelDropCounter => Volatile.Read(ref _dropCounter);

    /// <inheritdoc/>
    public int BatchCapacity { get; }

    /// <inheritdoc/>
    public bool IsClosed => _closed;

    /// <inheritdoc/>
    public int TryReceive(DatagramBatch batch, int start, int maxCount)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Bind(batch);
        var capacity = (int)Math.Min(Math.Min(batch.Capacity, BatchCapacity), (long)start + maxCount);
        if (start >= capacity)
        {
            return 0;
        }

        while (!_closed)
        {
            var added = false;
            try
            {
                _handle.DangerousAddRef(ref added);
                var received = ReceiveOnce((int)_handle.DangerousGetHandle(), start, capacity - start, out var errno);
                if (received > 0)
                {
                    return _closed ? 0 : Parse(batch, start, received);
                }

                if (received == 0 || errno == LinuxInterop.EAGAIN || _closed)
                {
                    return 0;
                }

                if (errno != LinuxInterop.EINTR)
                {
                    throw new CanOperationException(
                        $"recvmmsg on UDP multicast group {_endpoint.Describe()} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
                }
            }
            catch (ObjectDisposedException)
            {
                // DangerousAddRef on a closed handle: the transport is closing.
                return 0;
            }
            finally
            {
                if (added)
                {
                    _handle.DangerousRelease();
                }
            }
        }

        return 0;
    }

    /// <inheritdoc/>
    public bool WaitReadable(TimeSpan timeout)
    {
        var milliseconds = timeout == Timeout.InfiniteTimeSpan ? -1 : (int)Math.Min(Math.Ceiling(timeout.TotalMilliseconds), int.MaxValue);
        while (!_closed)
        {
            var added = false;
            try
            {
                _handle.DangerousAddRef(ref added);
                var poll = new LinuxInterop.PollFd { Fd = (int)_handle.DangerousGetHandle(), Events = LinuxInterop.POLLIN };
                var ready = LinuxInterop.Poll(&poll, 1, milliseconds);
                if (ready >= 0)
                {
                    return ready > 0 && !_closed;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno != LinuxInterop.EINTR)
                {
                    if (_closed)
                    {
                        return false;
                    }

                    throw new CanOperationException(
                        $"poll on UDP multicast group {_endpoint.Describe()} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
                }

                // EINTR: the caller re-checks its own deadline, so returning "maybe" is fine.
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
            finally
            {
                if (added)
                {
                    _handle.DangerousRelease();
                }
            }
        }

        return false;
    }

    /// <inheritdoc/>
    public ValueTask<bool> WaitReadableAsync(CancellationToken cancellationToken) =>
        SocketReadiness.WaitAsync(_socket, this, _endpoint, cancellationToken);

    /// <inheritdoc/>
    public void Send(ReadOnlySpan<byte> datagram, TimeSpan timeout) => _sender.Send(datagram, timeout);

    /// <inheritdoc/>
    public int SendBatch(OutgoingBatch batch, TimeSpan timeout) => _batchSender.Send(batch, timeout);

    /// <inheritdoc/>
    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken) =>
        _sender.SendAsync(datagram, cancellationToken);

    /// <inheritdoc/>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);

            // ENOTCONN is expected for an unconnected UDP socket; the wake-up happens anyway.
            _ = LinuxInterop.Shutdown(_handle, LinuxInterop.SHUT_RD);
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }

        MulticastSockets.TryLeave(_socket, _endpoint, _logger);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Close();
        _socket.Dispose();
        _sender.Dispose();
    }

    private bool EnableKernelTimestamps(UdpMulticastTimestampSource source)
    {
        if (source == UdpMulticastTimestampSource.Software)
        {
            return false;
        }

        try
        {
            _socket.SetRawSocketOption(LinuxInterop.SOL_SOCKET, LinuxInterop.SO_TIMESTAMPNS, BitConverter.GetBytes(1));
            return true;
        }
        catch (SocketException) when (source == UdpMulticastTimestampSource.Auto)
        {
            UdpMulticastLog.SoftwareTimestamps(_logger);
            return false;
        }
        catch (SocketException ex)
        {
            throw new CanInitializationException(
                $"Kernel receive timestamps (SO_TIMESTAMPNS) are not available for UDP multicast group {_endpoint.Describe()}: {ex.Message}. Use TimestampSource Auto or Software.", ex);
        }
    }

    private void TrySetFlag(int option)
    {
        try
        {
            _socket.SetRawSocketOption(LinuxInterop.SOL_SOCKET, option, BitConverter.GetBytes(1));
        }
        catch (SocketException)
        {
            // Optional: without SO_RXQ_OVFL kernel drops are just not reported.
        }
    }

    /// <summary>Points the message headers at a batch's slots (once per batch).</summary>
    private void Bind(DatagramBatch batch)
    {
        if (ReferenceEquals(_boundBatch, batch))
        {
            return;
        }

        var capacity = Math.Min(batch.Capacity, BatchCapacity);
        var payload = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(batch.Buffer, 0);
        var iovecs = (LinuxInterop.IoVec*)Marshal.UnsafeAddrOfPinnedArrayElement(_iovecs, 0);
        var names = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(_names, 0);
        var control = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(_control, 0);
        for (var i = 0; i < capacity; i++)
        {
            iovecs[i].Base = payload + ((long)i * DatagramBatch.SlotSize);
            iovecs[i].Length = DatagramBatch.SlotSize;
            ref var header = ref _headers[i].Header;
            header.Name = names + (i * NameSize);
            header.Iov = iovecs + i;
            header.IovLength = 1;
            header.Control = control + (i * _controlSize);
        }

        _boundBatch = batch;
    }

    private int ReceiveOnce(int fd, int start, int capacity, out int errno)
    {
        for (var i = start; i < start + capacity; i++)
        {
            ref var entry = ref _headers[i];
            entry.Header.NameLength = NameSize;
            entry.Header.ControlLength = (nuint)_controlSize;
            entry.Header.Flags = 0;
            entry.Length = 0;
        }

        var headers = (LinuxInterop.MMsgHdr*)Marshal.UnsafeAddrOfPinnedArrayElement(_headers, start);
        var received = LinuxInterop.RecvMMsg(fd, headers, (uint)capacity, LinuxInterop.MSG_DONTWAIT, null);
        errno = received < 0 ? Marshal.GetLastPInvokeError() : 0;
        return received;
    }

    private int Parse(DatagramBatch batch, int start, int received)
    {
        for (var i = start; i < start + received; i++)
        {
            ref var header = ref _headers[i];

            // End-of-file after shutdown has no sender address (a real empty datagram has one); all after it are the same.
            if (header.Header.NameLength == 0)
            {
                return i - start;
            }

            ref var entry = ref batch[i];
            entry.Length = (int)Math.Min(header.Length, (uint)DatagramBatch.SlotSize);
            entry.Truncated = (header.Header.Flags & LinuxInterop.MSG_TRUNC) != 0;
            entry.Source = SourceAddress.FromSockaddr(_names.AsSpan(i * NameSize, (int)Math.Min(header.Header.NameLength, NameSize)), _family);
            if (ControlMessages.Parse((byte*)header.Header.Control, (int)header.Header.ControlLength, out entry.Timestamp, out var drops))
            {
                Volatile.Write(ref _dropCounter, drops);
            }
        }

        return received;
    }
}
