using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Interfaces.UdpMulticast.Linux;

/// <summary>
/// Drops the bus's own echoes in the kernel (a classic BPF socket filter on the receive socket that matches the send
/// socket's source address and port), so a bus that does not return its own frames is not woken, and spends no system
/// call, for each frame it sends, and its own frames never fill its receive buffer (a bus that only sends). Installed at
/// open for the source address the kernel chose for the group (<see cref="MulticastSender.SourceAddress"/>); an own echo
/// that still reaches the bus (the address was unknown or changed) re-installs it for that echo's source.
/// </summary>
/// <remarks>
/// <para>The kernel counts every datagram a socket filter drops in the socket's drop count (<c>sk_drops</c>, and in the
/// host's UDP <c>InErrors</c>), the counter the bus reads its kernel drops from. So the bus counts what it sends: every
/// own echo ends exactly once as seen in user space, dropped by the filter, or dropped for a full buffer. The corrected
/// count is the socket's count minus (sends started − echoes seen). Sends are counted before their system call and
/// un-counted when it fails, and the counters are read in the order seen, socket, sent, so the correction is never too
/// small: a real drop may be reported late (while an own echo is in flight) but an own echo is never reported as a
/// drop. What it cannot tell apart: an own echo that never reaches the socket (the loopback device's backlog
/// overflowing; or the multicast route moving to another interface than the one the socket joined on, after which the
/// bus's frames no longer reach the other local processes either) hides one later real drop.</para>
/// <para>Thread-safety: <see cref="SendsStarting"/> and <see cref="SendsFailed"/> from any sending thread;
/// <see cref="EchoSeen"/> from the one receiving thread; <see cref="Correct"/> from any thread.</para>
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed class OwnEchoFilter
{
    private const int SO_ATTACH_FILTER = 26;

    // At most this many installations: an echo from an unexpected source re-installs, but two alternating sources must
    // not make every echo a system call.
    private const int MaxInstallations = 4;

    // Classic BPF opcodes (linux/filter.h).
    private const ushort LoadHalfAbsolute = 0x28;  // BPF_LD | BPF_H | BPF_ABS
    private const ushort LoadWordAbsolute = 0x20;  // BPF_LD | BPF_W | BPF_ABS
    private const ushort JumpIfEqual = 0x15;       // BPF_JMP | BPF_JEQ | BPF_K
    private const ushort Return = 0x06;            // BPF_RET | BPF_K

    // A UDP socket's filter sees the packet from the UDP header on; the IP header is reached through SKF_NET_OFF.
    private const uint NetworkHeader = 0xFFF00000;  // SKF_NET_OFF (-0x100000)
    private const uint IPv4Source = NetworkHeader + 12;
    private const uint IPv6Source = NetworkHeader + 8;

    private readonly Socket _socket;
    private readonly ILogger _logger;
    private long _sendsStarted;   // sends started minus sends that failed
    private long _echoesSeen;     // own echoes that reached user space (written by the receiving thread only)
    private SourceAddress _installedFor;
    private int _installations;

    /// <summary>Creates the filter of one receive socket and installs it for <paramref name="source"/> when that is known.</summary>
    /// <param name="socket">The receive socket.</param>
    /// <param name="logger">Where a failed installation is logged.</param>
    /// <param name="source">Where own frames will come from (the send socket's address, as the kernel chose it, and port);
    /// the default value to install only when the first own echo arrives.</param>
    public OwnEchoFilter(Socket socket, ILogger logger, in SourceAddress source)
    {
        _socket = socket;
        _logger = logger;

        // Before any send, so every echo the filter can ever drop is one counted by SendsStarting.
        if (source.Family != AddressFamily.Unspecified)
        {
            Install(source);
        }
    }

    /// <summary>Own frames the kernel filter dropped, or that are on their way to it (sends started, echo not seen).</summary>
    public long FilteredEstimate => Math.Max(0, Volatile.Read(ref _sendsStarted) - Volatile.Read(ref _echoesSeen));

    /// <summary>Counts datagrams about to be sent (before the system call: their echoes may be filtered before it returns).</summary>
    /// <param name="count">How many.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SendsStarting(int count) => Interlocked.Add(ref _sendsStarted, count);

    /// <summary>Un-counts datagrams whose send failed.</summary>
    /// <param name="count">How many.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SendsFailed(int count) => Interlocked.Add(ref _sendsStarted, -count);

    /// <summary>Sends through the runtime's socket engine (when the send buffer is full), counted before it starts.</summary>
    /// <param name="sender">The send socket.</param>
    /// <param name="datagram">The payload.</param>
    /// <param name="cancellationToken">Cancels waiting for room.</param>
    /// <returns>A task that completes when the datagram is sent.</returns>
    public async ValueTask CountedAsync(MulticastSender sender, ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        SendsStarting(1);
        try
        {
            await sender.SendAsync(datagram, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            SendsFailed(1);
            throw;
        }
    }

    /// <summary>An own echo reached user space (the filter is not installed, or did not match it).</summary>
    /// <param name="source">Its source: the send socket's address and port as the kernel stamps them.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void EchoSeen(in SourceAddress source)
    {
        Volatile.Write(ref _echoesSeen, _echoesSeen + 1);
        if (_installations < MaxInstallations && !source.SameAddressAndPort(_installedFor))
        {
            Install(source);
        }
    }

    /// <summary>
    /// The socket's drop count without the own echoes the filter dropped. Read <paramref name="echoesSeen"/> (with
    /// <see cref="EchoesSeen"/>) before the socket's count, and call this after it.
    /// </summary>
    /// <param name="socketDrops">The socket's cumulative drop count (32 bits, wraps).</param>
    /// <param name="echoesSeen">The value of <see cref="EchoesSeen"/> read before <paramref name="socketDrops"/>.</param>
    /// <returns>The corrected cumulative count (wraps like the socket's).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public uint Correct(uint socketDrops, long echoesSeen) =>
        unchecked(socketDrops - (uint)(Volatile.Read(ref _sendsStarted) - echoesSeen));

    /// <summary>Own echoes seen in user space so far (read it before the socket's drop count; see <see cref="Correct"/>).</summary>
    public long EchoesSeen => Volatile.Read(ref _echoesSeen);

    private void Install(in SourceAddress source)
    {
        _installations++;
        _installedFor = source;
        Span<Instruction> program = stackalloc Instruction[12];
        var length = Build(source, program);
        if (length == 0)
        {
            return;
        }

        unsafe
        {
            fixed (Instruction* instructions = program)
            {
                // The kernel copies the program during the call.
                var fprog = new Program((ushort)length, instructions);
                try
                {
                    _socket.SetRawSocketOption(LinuxInterop.SOL_SOCKET, SO_ATTACH_FILTER, MemoryMarshal.AsBytes(new ReadOnlySpan<Program>(in fprog)));
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    UdpMulticastLog.OwnEchoFilterUnavailable(_logger, ex.Message);
                }
            }
        }
    }

    /// <summary>Accept everything except datagrams from the source's port and address (IPv4: 6 instructions, IPv6: 12).</summary>
    private static int Build(in SourceAddress source, Span<Instruction> program)
    {
        var words = source.Family switch
        {
            AddressFamily.InterNetwork => 1,
            AddressFamily.InterNetworkV6 => 4,
            _ => 0,
        };
        if (words == 0)
        {
            return 0;
        }

        Span<uint> address = [(uint)(source.High >> 32), (uint)source.High, (uint)(source.Low >> 32), (uint)source.Low];
        address = address[(4 - words)..];
        var accept = 2 + (2 * words) + 1; // the last instruction
        var n = 0;
        program[n++] = new(LoadHalfAbsolute, 0, 0, 0); // the UDP source port
        program[n] = new(JumpIfEqual, 0, (byte)(accept - n - 1), source.Port);
        n++;
        var first = source.Family == AddressFamily.InterNetwork ? IPv4Source : IPv6Source;
        for (var i = 0; i < words; i++)
        {
            program[n++] = new(LoadWordAbsolute, 0, 0, first + (uint)(4 * i));
            program[n] = new(JumpIfEqual, 0, (byte)(accept - n - 1), address[i]);
            n++;
        }

        program[n++] = new(Return, 0, 0, 0);           // drop: an own echo
        program[n++] = new(Return, 0, 0, uint.MaxValue); // keep all of it
        return n;
    }

    /// <summary>struct sock_fprog.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly unsafe struct Program(ushort length, Instruction* instructions)
    {
        public readonly ushort Length = length;
        public readonly Instruction* Instructions = instructions;
    }

    /// <summary>struct sock_filter.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct Instruction(ushort code, byte jumpTrue, byte jumpFalse, uint k)
    {
        public readonly ushort Code = code;
        public readonly byte JumpTrue = jumpTrue;
        public readonly byte JumpFalse = jumpFalse;
        public readonly uint K = k;
    }
}
