namespace CanUdpMulticast.Harness.Roles;

/// <summary>The library's roles (UdpMulticastBus is not on this branch yet).</summary>
internal static class LibraryRoles
{
    public static bool TryRun(RoleArgs args) => args.Impl.StartsWith("lib", StringComparison.Ordinal)
        ? throw new ArgumentException("UdpMulticastBus is not available in this build")
        : false;
}
