using System.Text.Json;

namespace CanUdpMulticast.Tests;

/// <summary>python-can 4.1.0's own datagrams (../shared/wire/python-can-vectors.json, copied into TestData).</summary>
public static class GoldenVectors
{
    private static readonly Lazy<IReadOnlyList<Vector>> Loaded = new(Load);

    public static IReadOnlyList<Vector> All => Loaded.Value;

    public static Vector Get(string name) => All.Single(v => v.Name == name);

    private static List<Vector> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "python-can-vectors.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var vectors = new List<Vector>();
        foreach (var element in document.RootElement.GetProperty("vectors").EnumerateArray())
        {
            var m = element.GetProperty("message");
            var channel = m.GetProperty("channel");
            var message = new CanMessage(
                m.GetProperty("arbitration_id").GetUInt32(),
                Convert.FromHexString(m.GetProperty("data").GetString()!),
                m.GetProperty("is_extended_id").GetBoolean())
            {
                Timestamp = m.GetProperty("timestamp").GetDouble(),
                IsRemoteFrame = m.GetProperty("is_remote_frame").GetBoolean(),
                IsErrorFrame = m.GetProperty("is_error_frame").GetBoolean(),
                Channel = channel.ValueKind switch
                {
                    JsonValueKind.String => channel.GetString(),
                    JsonValueKind.Number => channel.GetInt64(),
                    _ => CanChannel.None,
                },
                Dlc = m.GetProperty("dlc").GetInt32(),
                IsFd = m.GetProperty("is_fd").GetBoolean(),
                BitrateSwitch = m.GetProperty("bitrate_switch").GetBoolean(),
                ErrorStateIndicator = m.GetProperty("error_state_indicator").GetBoolean(),
            };
            vectors.Add(new Vector(element.GetProperty("name").GetString()!, message, element.GetProperty("hex").GetString()!));
        }

        return vectors;
    }

    public sealed record Vector(string Name, CanMessage Message, string Hex);
}
