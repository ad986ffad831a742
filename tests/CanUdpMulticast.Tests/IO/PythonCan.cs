using System.Globalization;
using System.Text;
using System.Text.Json;
using CanUdpMulticast.Testing.Python;

namespace CanUdpMulticast.Tests.IO;

/// <summary>Runs python-can 4.1 (the Debian <c>python3-can</c> under <c>/usr/bin/python3</c>) for the cross-checks, through the shared launcher (<see cref="PythonCanProcess"/>).</summary>
internal static class PythonCan
{
    private static string ScriptDirectory => Path.Combine(AppContext.BaseDirectory, "IO", "python");

    /// <summary>Skips the test when python-can 4.1 is missing, or fails it under <c>CI=true</c>.</summary>
    public static void Require() => PythonCanProcess.RequirePythonCan();

    /// <summary>Writes frames with python-can's writer for a format (log, asc, csv, trc, txt).</summary>
    public static void Write(string format, string path, IEnumerable<CanMessage> messages)
    {
        var json = new StringBuilder("[");
        var first = true;
        foreach (var m in messages)
        {
            json.Append(first ? string.Empty : ",").Append(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["timestamp"] = m.Timestamp,
                ["arbitration_id"] = m.ArbitrationId,
                ["is_extended_id"] = m.IsExtendedId,
                ["is_remote_frame"] = m.IsRemoteFrame,
                ["is_error_frame"] = m.IsErrorFrame,
                ["is_fd"] = m.IsFd,
                ["bitrate_switch"] = m.BitrateSwitch,
                ["error_state_indicator"] = m.ErrorStateIndicator,
                ["is_rx"] = m.IsRx,
                ["channel"] = m.Channel.IsNone ? null : m.Channel.IsNumber ? m.Channel.Number : m.Channel.Name,
                ["dlc"] = m.Dlc,
                ["data"] = Convert.ToHexString(m.Data),
            }));
            first = false;
        }

        json.Append(']');
        Run("pycan_write.py", [format, path], json.ToString());
    }

    /// <summary>Reads a file with python-can's reader for a format (log, asc, csv, trc).</summary>
    public static IReadOnlyList<PyFrame> Read(string format, string path)
    {
        var output = Run("pycan_read.py", [format, path], stdin: null);
        using var document = JsonDocument.Parse(output);
        return [.. document.RootElement.EnumerateArray().Select(PyFrame.From)];
    }

    /// <summary>
    /// Decodes datagrams as python-can 4.1.0's udp_multicast bus does (<c>unpack_message(..., check=True)</c>); one
    /// JSON object per datagram: <c>ok</c> and, when true, the frame's fields (types kept where python keeps them).
    /// </summary>
    public static JsonElement[] Unpack(IEnumerable<byte[]> datagrams)
    {
        var output = Run("pycan_unpack.py", [], JsonSerializer.Serialize(datagrams.Select(Convert.ToHexString).ToArray()));
        using var document = JsonDocument.Parse(output);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static string Run(string script, string[] arguments, string? stdin) =>
        PythonCanProcess.Run(Path.Combine(ScriptDirectory, script), arguments, stdin, TimeSpan.FromSeconds(60), workingDirectory: ScriptDirectory);
}

/// <summary>A frame as python-can sees it.</summary>
internal sealed record PyFrame(
    double Timestamp,
    uint ArbitrationId,
    bool IsExtendedId,
    bool IsRemoteFrame,
    bool IsErrorFrame,
    bool IsFd,
    bool BitrateSwitch,
    bool ErrorStateIndicator,
    bool IsRx,
    CanChannel Channel,
    int Dlc,
    string Data)
{
    public static PyFrame From(JsonElement e)
    {
        var channel = e.GetProperty("channel");
        return new PyFrame(
            e.GetProperty("timestamp").GetDouble(),
            e.GetProperty("arbitration_id").GetUInt32(),
            e.GetProperty("is_extended_id").GetBoolean(),
            e.GetProperty("is_remote_frame").GetBoolean(),
            e.GetProperty("is_error_frame").GetBoolean(),
            e.GetProperty("is_fd").GetBoolean(),
            e.GetProperty("bitrate_switch").GetBoolean(),
            e.GetProperty("error_state_indicator").GetBoolean(),
            e.GetProperty("is_rx").GetBoolean(),
            channel.ValueKind switch
            {
                JsonValueKind.Null => CanChannel.None,
                JsonValueKind.Number => channel.GetInt64(),
                _ => channel.GetString(),
            },
            e.GetProperty("dlc").GetInt32(),
            e.GetProperty("data").GetString()!.ToUpperInvariant());
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Timestamp:F6} id={ArbitrationId:X} ext={IsExtendedId} rtr={IsRemoteFrame} err={IsErrorFrame} fd={IsFd} brs={BitrateSwitch} esi={ErrorStateIndicator} rx={IsRx} ch={(Channel.IsNone ? "None" : Channel.IsNumber ? Channel.Number.ToString(CultureInfo.InvariantCulture) : "'" + Channel.Name + "'")} dlc={Dlc} data={Data}");
}
