using System.Globalization;
using System.Text;
using System.Text.Json;
using CanUdpMulticast.Testing.Python;

namespace CanUdpMulticast.Tests.IO.Blf;

/// <summary>
/// Runs python-can 4.1.0 (Debian's python3-can, <c>/usr/bin/python3</c>) as an external reference: the script
/// <c>python/pycan_log.py</c> writes or reads a log file with python-can's own writer/reader and exchanges the
/// messages as JSON (through the shared launcher, <see cref="PythonCanProcess"/>). When python-can is missing a test
/// fails under <c>CI=true</c> and is skipped otherwise.
/// </summary>
internal static class PythonCan
{
    /// <summary>Skips the calling test when python-can 4.1 is missing, or fails it on CI.</summary>
    public static void Require() => PythonCanProcess.RequirePythonCan();

    /// <summary>The repository's checkout root (the folder holding CanUdpMulticast.sln).</summary>
    public static string RepositoryRoot => CanUdpMulticast.Testing.RepositoryRoot.Path;

    public static string Script => Path.Combine(RepositoryRoot, "tests", "CanUdpMulticast.Tests", "IO", "Blf", "python", "pycan_log.py");

    /// <summary>Writes <paramref name="messages"/> to <paramref name="path"/> with python-can's writer for <paramref name="format"/> (blf, sqlite).</summary>
    public static void Write(string format, string path, IReadOnlyList<CanMessage> messages, params string[] writerArguments) =>
        Write(format, path, messages, null, writerArguments);

    /// <summary>Writes with python-can running in the time zone <paramref name="timeZone"/> (a TZ name such as Europe/Berlin), or the inherited one.</summary>
    public static void Write(string format, string path, IReadOnlyList<CanMessage> messages, string? timeZone, params string[] writerArguments)
    {
        var json = path + ".in.json";
        File.WriteAllText(json, ToJson(messages));
        Run(["write", format, path, json, .. writerArguments], timeZone: timeZone);
        File.Delete(json);
    }

    /// <summary>Reads <paramref name="path"/> with python-can's reader for <paramref name="format"/>.</summary>
    public static List<CanMessage> Read(string format, string path, string? timeZone = null)
    {
        var json = path + ".out.json";
        Run(["read", format, path, json], timeZone: timeZone);
        var messages = FromJson(File.ReadAllText(json));
        File.Delete(json);
        return messages;
    }

    /// <summary>Runs the script and returns its standard output; throws with its error output when it fails.</summary>
    public static string Run(IEnumerable<string> arguments, TimeSpan? timeout = null, string? timeZone = null) =>
        PythonCanProcess.Run(Script, arguments, timeout: timeout, environment: timeZone is null ? null : new Dictionary<string, string?> { ["TZ"] = timeZone });

    public static string ToJson(IEnumerable<CanMessage> messages)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var m in messages)
            {
                json.WriteStartObject();
                json.WriteNumber("timestamp", m.Timestamp);
                json.WriteNumber("arbitration_id", m.ArbitrationId);
                json.WriteBoolean("is_extended_id", m.IsExtendedId);
                json.WriteBoolean("is_remote_frame", m.IsRemoteFrame);
                json.WriteBoolean("is_error_frame", m.IsErrorFrame);
                json.WriteBoolean("is_fd", m.IsFd);
                json.WriteBoolean("bitrate_switch", m.BitrateSwitch);
                json.WriteBoolean("error_state_indicator", m.ErrorStateIndicator);
                json.WriteBoolean("is_rx", m.IsRx);
                if (m.Channel.IsNumber)
                {
                    json.WriteNumber("channel", m.Channel.Number);
                }
                else if (m.Channel.IsName)
                {
                    json.WriteString("channel", m.Channel.Name);
                }
                else
                {
                    json.WriteNull("channel");
                }

                json.WriteNumber("dlc", m.Dlc);
                json.WriteString("data", Convert.ToHexString(m.Data).ToLowerInvariant());
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static List<CanMessage> FromJson(string text)
    {
        using var document = JsonDocument.Parse(text);
        var result = new List<CanMessage>();
        foreach (var e in document.RootElement.EnumerateArray())
        {
            var channelElement = e.GetProperty("channel");
            CanChannel channel = channelElement.ValueKind switch
            {
                JsonValueKind.Number => channelElement.GetInt64(),
                JsonValueKind.String => channelElement.GetString(),
                _ => CanChannel.None,
            };
            result.Add(new CanMessage(e.GetProperty("arbitration_id").GetUInt32(), Convert.FromHexString(e.GetProperty("data").GetString()!), e.GetProperty("is_extended_id").GetBoolean())
            {
                Timestamp = e.GetProperty("timestamp").GetDouble(),
                IsRemoteFrame = e.GetProperty("is_remote_frame").GetBoolean(),
                IsErrorFrame = e.GetProperty("is_error_frame").GetBoolean(),
                IsFd = e.GetProperty("is_fd").GetBoolean(),
                BitrateSwitch = e.GetProperty("bitrate_switch").GetBoolean(),
                ErrorStateIndicator = e.GetProperty("error_state_indicator").GetBoolean(),
                IsRx = e.GetProperty("is_rx").GetBoolean(),
                Channel = channel,
                Dlc = e.GetProperty("dlc").GetInt32(),
            });
        }

        return result;
    }

    /// <summary>A readable description of a message for assertion failures.</summary>
    public static string Describe(in CanMessage m) =>
        string.Create(CultureInfo.InvariantCulture, $"{m} [ts={m.Timestamp:R} rx={m.IsRx} ch={(m.Channel.IsNone ? "None" : m.Channel.ToString())}]");
}
