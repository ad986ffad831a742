using CanUdpMulticast.Dbc;

namespace CanUdpMulticast.Dbc.Tests;

/// <summary>The DBC files under TestData, next to the test assembly.</summary>
internal static class DbcFiles
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    public static DbcDatabase Load(string name) => DbcDatabase.Load(PathOf(name));

    public static DbcDatabase Features => Load("features.dbc");
}
