namespace CanUdpMulticast.Faults.Tests.Support;

/// <summary>
/// The battery's two sizes: the short form in scripts/test.sh (well under two minutes) and the full form of
/// scripts/faults.sh (FAULTS_FULL=1), which runs every scenario many more times and writes its figures.
/// </summary>
public static class FaultScale
{
    public static bool Full => Environment.GetEnvironmentVariable("FAULTS_FULL") == "1";

    /// <summary>Races per API for the dispose races.</summary>
    public static int DisposeRaces => Full ? 500 : 60;

    /// <summary>Frames in a burst (the 100,000 in both forms: a burst takes about a second).</summary>
    public static int Burst => 100_000;

    /// <summary>Frames each host sends in the bridge scenarios.</summary>
    public static int BridgeFrames => Full ? 2_000 : 200;

    /// <summary>Link and route faults per scenario.</summary>
    public static int FaultCycles => Full ? 10 : 2;
}
