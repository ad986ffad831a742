using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CanUdpMulticast.Tests.IO;

/// <summary>Runs python-can 4.1.0 (the Debian <c>python3-can</c> under <c>/usr/bin/python3</c>) for the cross-checks.</summary>
internal static class PythonCan
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Problem = new(Probe);

    private static string ScriptDirectory => Path.Combine(AppContext.BaseDirectory, "IO", "python");

    /// <summary>Skips the test when python-can 4.1 is missing, or fails it under <c>CI=true</c>.</summary>
    public static void Require() => ExternalTool.Require(Problem.Value);

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

    private static string Run(string script, string[] arguments, string? stdin)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ScriptDirectory,
        };
        start.ArgumentList.Add(Path.Combine(ScriptDirectory, script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"python {script} did not finish within 60 s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"python {script} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout.Result;
    }

    private static string? Probe()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is missing (install python3-can)";
        }

        try
        {
            var start = new ProcessStartInfo(Python, ["-c", "import can; print(can.__version__)"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start)!;
            var version = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit(TimeSpan.FromSeconds(30));
            return process.ExitCode == 0 && version.StartsWith("4.1.", StringComparison.Ordinal)
                ? null
                : $"python-can 4.1 is not importable by {Python} (got '{version}')";
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return $"{Python} cannot run: {ex.Message}";
        }
    }
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
