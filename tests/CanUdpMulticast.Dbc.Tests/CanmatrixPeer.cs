using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CanUdpMulticast.Dbc.Tests;

/// <summary>Runs python/canmatrix_peer.py (Debian's python3-canmatrix) on a batch of decode and encode requests.</summary>
internal static class CanmatrixPeer
{
    private const string Python = "/usr/bin/python3";

    public static JsonObject Run(string dbcPath, JsonArray decode, JsonArray encode)
    {
        var request = Path.GetTempFileName();
        var response = Path.GetTempFileName();
        try
        {
            File.WriteAllText(request, new JsonObject { ["dbc"] = dbcPath, ["decode"] = decode, ["encode"] = encode }.ToJsonString());
            var script = Path.Combine(AppContext.BaseDirectory, "python", "canmatrix_peer.py");
            using var process = Process.Start(new ProcessStartInfo(Python, [script, request, response])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            }) ?? throw new InvalidOperationException("python3 did not start");
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEnd();
            process.WaitForExit(TimeSpan.FromMinutes(3)).Should().BeTrue("canmatrix finishes");
            process.ExitCode.Should().Be(0, "canmatrix_peer.py failed (is python3-canmatrix installed? apt-get install python3-canmatrix): {0}", stderr.Result);
            return JsonNode.Parse(File.ReadAllText(response))!.AsObject();
        }
        finally
        {
            File.Delete(request);
            File.Delete(response);
        }
    }

    public static string Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(data);
}
