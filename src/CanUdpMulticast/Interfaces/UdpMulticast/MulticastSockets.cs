using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using CanUdpMulticast.Interfaces.UdpMulticast.Linux;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>Opens and configures the two sockets of a bus (shared by every transport).</summary>
internal static class MulticastSockets
{
    /// <summary>
    /// Opens the receive socket: bound to the wildcard address and the bus port with address reuse (so python-can and other
    /// buses on this host share the port), joined to the group, and isolated from other groups on Linux if asked.
    /// </summary>
    /// <param name="endpoint">Where to listen.</param>
    /// <param name="options">The bus options (buffer size, isolation).</param>
    /// <param name="logger">Where to log a capped buffer.</param>
    /// <returns>The socket; closed again if anything fails.</returns>
    /// <exception cref="CanInitializationException">A step failed; the message names it and the OS error.</exception>
    public static Socket OpenReceiveSocket(MulticastEndpoint endpoint, UdpMulticastBusOptions options, ILogger logger)
    {
        var socket = NewSocket(endpoint, "receive");
        var step = "configure";
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            step = "set the receive buffer size of";
            SetReceiveBuffer(socket, options.ReceiveBufferSize, logger);
            if (options.IsolateGroup && OperatingSystem.IsLinux())
            {
                Isolate(socket, endpoint, logger);
            }

            step = $"bind port {endpoint.Port} with";
            socket.Bind(new IPEndPoint(endpoint.IsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, endpoint.Port));
            step = $"join the group on interface {endpoint.InterfaceDescription} with";
            SetMembership(socket, endpoint, SocketOptionName.AddMembership);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new CanInitializationException(
                $"Could not {step} the receive socket for UDP multicast group {endpoint.Describe()}: {ex.Message} ({ex.SocketErrorCode}){Hint(ex)}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the send socket: bound to an ephemeral port (that is how own frames are recognised), with the hop limit, multicast
    /// loopback on (so other processes on this host receive the frames) and the chosen interface. It is non-blocking: a full
    /// send buffer is waited for with the caller's timeout.
    /// </summary>
    /// <param name="endpoint">Where to send.</param>
    /// <param name="sourceAddress">The address the kernel puts on datagrams to the group from this host now (from a probe
    /// socket connected to the group the same way); <see langword="null"/> when the platform does not say.</param>
    /// <returns>The socket; closed again if anything fails.</returns>
    /// <exception cref="CanInitializationException">A step failed.</exception>
    public static Socket OpenSendSocket(MulticastEndpoint endpoint, out IPAddress? sourceAddress)
    {
        var socket = NewSocket(endpoint, "send");
        var level = endpoint.IsIPv6 ? SocketOptionLevel.IPv6 : SocketOptionLevel.IP;
        var step = "set the hop limit of";
        try
        {
            socket.SetSocketOption(level, SocketOptionName.MulticastTimeToLive, endpoint.HopLimit);
            step = "enable multicast loopback on";
            socket.SetSocketOption(level, SocketOptionName.MulticastLoopback, true);
            if (endpoint.InterfaceIndex != 0)
            {
                step = $"select interface {endpoint.InterfaceDescription} on";
                SetMulticastInterface(socket, endpoint);
            }

            step = "bind an ephemeral port with";
            socket.Bind(new IPEndPoint(endpoint.IsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
            socket.Blocking = false;
            sourceAddress = ProbeRoute(endpoint);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new CanInitializationException(
                $"Could not {step} the send socket for UDP multicast group {endpoint.Describe()}: {ex.Message} ({ex.SocketErrorCode}){Hint(ex)}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Joins or leaves the group on the endpoint's interface.</summary>
    /// <param name="socket">The receive socket.</param>
    /// <param name="endpoint">The group and interface.</param>
    /// <param name="option"><see cref="SocketOptionName.AddMembership"/> or <see cref="SocketOptionName.DropMembership"/>.</param>
    public static void SetMembership(Socket socket, MulticastEndpoint endpoint, SocketOptionName option)
    {
        if (endpoint.IsIPv6)
        {
            socket.SetSocketOption(SocketOptionLevel.IPv6, option, new IPv6MulticastOption(endpoint.Group, endpoint.InterfaceIndex));
        }
        else
        {
            socket.SetSocketOption(SocketOptionLevel.IP, option, endpoint.InterfaceIndex == 0
                ? new MulticastOption(endpoint.Group)
                : new MulticastOption(endpoint.Group, endpoint.InterfaceIndex));
        }
    }

    /// <summary>Leaves the group, logging (not throwing) a failure: used while closing.</summary>
    /// <param name="socket">The receive socket.</param>
    /// <param name="endpoint">The group.</param>
    /// <param name="logger">Where to log.</param>
    public static void TryLeave(Socket socket, MulticastEndpoint endpoint, ILogger logger)
    {
        try
        {
            SetMembership(socket, endpoint, SocketOptionName.DropMembership);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            UdpMulticastLog.LeaveGroupFailed(logger, endpoint.Text, ex);
        }
    }

    /// <summary>Creates an unconfigured UDP socket of the endpoint's family.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="role">"receive" or "send", for the message.</param>
    /// <returns>The socket.</returns>
    /// <exception cref="CanInitializationException">The OS refused (e.g. IPv6 disabled).</exception>
    public static Socket NewSocket(MulticastEndpoint endpoint, string role)
    {
        try
        {
            var socket = new Socket(endpoint.Family, SocketType.Dgram, ProtocolType.Udp);
            if (endpoint.IsIPv6)
            {
                // IPv6 only: an IPv6 bus does not see IPv4 traffic (python-can's does not either).
                socket.DualMode = false;
            }

            return socket;
        }
        catch (SocketException ex)
        {
            throw new CanInitializationException(
                $"Could not create the {role} socket for UDP multicast group {endpoint.Describe()}: {ex.Message} ({ex.SocketErrorCode}).", ex);
        }
    }

    private static void Isolate(Socket socket, MulticastEndpoint endpoint, ILogger logger)
    {
        try
        {
            if (endpoint.IsIPv6)
            {
                socket.SetRawSocketOption(LinuxInterop.IPPROTO_IPV6, LinuxInterop.IPV6_MULTICAST_ALL, Int32Bytes(0));
            }
            else
            {
                socket.SetRawSocketOption(LinuxInterop.IPPROTO_IP, LinuxInterop.IP_MULTICAST_ALL, Int32Bytes(0));
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ProtocolOption)
        {
            // IPV6_MULTICAST_ALL needs Linux 4.20: keep python-can's behaviour there rather than refuse to open.
            UdpMulticastLog.IsolationUnavailable(logger, endpoint.Text, ex);
        }
    }

    private static void SetReceiveBuffer(Socket socket, int requested, ILogger logger)
    {
        socket.ReceiveBufferSize = requested;

        // Linux doubles the value for bookkeeping and caps it at rmem_max; privileged processes may exceed the cap.
        if (OperatingSystem.IsLinux() && socket.ReceiveBufferSize < requested)
        {
            try
            {
                socket.SetRawSocketOption(LinuxInterop.SOL_SOCKET, LinuxInterop.SO_RCVBUFFORCE, Int32Bytes(requested));
            }
            catch (SocketException)
            {
                // Not privileged: keep what the OS granted.
            }
        }

        var granted = socket.ReceiveBufferSize;
        if (granted < requested)
        {
            UdpMulticastLog.ReceiveBufferCapped(logger, requested, granted);
        }
    }

    /// <summary>
    /// Fails at open when the group cannot be sent to on the chosen interface (e.g. IPv6 on Linux's <c>lo</c>, which has
    /// no IPv6 multicast route), instead of at every send later. A UDP <c>connect</c> only looks the route up: nothing is
    /// sent. It runs on a throw-away socket, so the send socket stays unconnected.
    /// </summary>
    /// <returns>The probe's local address after the connect: the source address the kernel chose for the group (the
    /// own-echo filter matches it); <see langword="null"/> where the platform refuses the connect.</returns>
    private static IPAddress? ProbeRoute(MulticastEndpoint endpoint)
    {
        using var probe = NewSocket(endpoint, "probe");
        try
        {
            if (endpoint.InterfaceIndex != 0)
            {
                SetMulticastInterface(probe, endpoint);
            }

            probe.Connect(new IPEndPoint(endpoint.Group, endpoint.Port));
            return (probe.LocalEndPoint as IPEndPoint)?.Address;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.NetworkUnreachable or SocketError.HostUnreachable)
        {
            throw new CanInitializationException(
                $"UDP multicast group {endpoint.Describe()} cannot be sent to on interface {endpoint.InterfaceDescription}: {ex.Message} ({ex.SocketErrorCode}). " +
                "The interface has no multicast route for this group (Linux's lo carries IPv4 multicast only); choose another NetworkInterface.", ex);
        }
        catch (SocketException)
        {
            // Other platforms may refuse to connect a datagram socket to a group at all: the probe proves nothing there.
            return null;
        }
    }

    private static void SetMulticastInterface(Socket socket, MulticastEndpoint endpoint)
    {
        if (endpoint.IsIPv6)
        {
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, endpoint.InterfaceIndex);
        }
        else if (OperatingSystem.IsLinux())
        {
            // struct ip_mreqn { in_addr multiaddr; in_addr address; int ifindex; }: select the interface by index.
            Span<byte> mreqn = stackalloc byte[12];
            mreqn.Clear();
            var index = endpoint.InterfaceIndex;
            MemoryMarshal.Write(mreqn[8..], in index);

            socket.SetRawSocketOption(LinuxInterop.IPPROTO_IP, LinuxInterop.IP_MULTICAST_IF, mreqn);
        }
        else
        {
            // Windows and the BSDs take an interface index in the form 0.0.0.index (network byte order).
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.HostToNetworkOrder(endpoint.InterfaceIndex));
        }
    }

    private static string Hint(SocketException ex) => ex.SocketErrorCode switch
    {
        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.AddressNotAvailable or SocketError.SocketError =>
            ". Is there a multicast route for this group (or give NetworkInterface explicitly)?",
        SocketError.AddressAlreadyInUse => ". Another program holds the port without address reuse.",
        SocketError.AccessDenied => ". Ports below 1024 need privileges.",
        _ => ".",
    };

    private static byte[] Int32Bytes(int value) => BitConverter.GetBytes(value);
}
