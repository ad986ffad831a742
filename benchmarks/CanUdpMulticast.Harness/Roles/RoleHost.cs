namespace CanUdpMulticast.Harness.Roles;

/// <summary>Runs one benchmark process: a role (send, recv, ping, pong) over an implementation.</summary>
internal static class RoleHost
{
    public static bool IsRole(string name) => name is "send" or "recv" or "ping" or "pong" or "periodic-send" or "periodic-recv" or "codec";

    public static int Run(string[] args)
    {
        var parsed = new RoleArgs(args);
        JitProbe.Start(parsed.Role, parsed.Impl);
        if (parsed.Role == "codec")
        {
            CodecRole.Run(parsed);
            return 0;
        }

        if (LibraryRoles.TryRun(parsed))
        {
            return 0;
        }

        var receiveBuffer = parsed.Int("rcvbuf", 1 << 20);
        if (parsed.Impl == "raw-async")
        {
            using var socket = new RawAsyncEndpoint(parsed.Group, parsed.Port, receiveBuffer);
            var role = parsed.Role switch
            {
                "ping" => AsyncRoles.PingAsync(parsed, socket),
                "pong" => AsyncRoles.PongAsync(parsed, socket),
                _ => throw new ArgumentException($"raw-async has only the ping and pong roles, not '{parsed.Role}'"),
            };
            role.GetAwaiter().GetResult();
            return 0;
        }

        using SyncEndpoint endpoint = parsed.Impl switch
        {
            "raw" => new RawEndpoint(parsed.Group, parsed.Port, receiveBuffer, parsed.Role != "send" || parsed.Get("join", "1") == "1"),
            "mmsg" => new MmsgEndpoint(parsed.Group, parsed.Port, receiveBuffer),
            "pattern" => new LibraryPatternEndpoint(parsed.Group, parsed.Port, receiveBuffer),
            _ => throw new ArgumentException($"unknown implementation '{parsed.Impl}'"),
        };
        switch (parsed.Role)
        {
            case "send": SyncRoles.Send(parsed, endpoint); break;
            case "recv": SyncRoles.Receive(parsed, endpoint, endpoint.SendsInBatches ? SyncEndpoint.BatchSize : 1); break;
            case "ping": SyncRoles.Ping(parsed, endpoint); break;
            case "pong": SyncRoles.Pong(parsed, endpoint); break;
        }

        return 0;
    }
}
