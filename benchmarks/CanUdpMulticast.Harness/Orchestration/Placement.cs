namespace CanUdpMulticast.Harness.Orchestration;

internal static class Placement
{
    public const string Across = "across CPUs (ping 0, pong 1)";
    public const string OneCpu = "one CPU (both on 1)";
}
