using System.Globalization;
using System.Text;
using System.Text.Json;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Tests.IO;
using CanUdpMulticast.Wire;

namespace CanUdpMulticast.Tests.Interfaces.UdpMulticast;

/// <summary>
/// Holds the decoder to python-can 4.1.0's receive path (<c>unpack_message(..., check=True)</c>, run by the real
/// python-can): every datagram python-can turns into a valid frame is accepted with the same fields, every one it
/// rejects is rejected, and the deliberate differences (README, wire compatibility) are exactly the listed ones.
/// </summary>
public sealed class WirePythonCanCrossCheckTests
{
    private static readonly byte[] Nil = [0xC0];
    private static readonly byte[] True = [0xC3];
    private static readonly byte[] False = [0xC2];

    // One python run for every case (starting python-can costs a few hundred milliseconds).
    private static readonly Lazy<Dictionary<string, JsonElement>> PythonResults = new(() =>
    {
        var cases = Accepted().Concat(Rejected()).Concat(DeliberatelyRejected()).Select(row => ((string)row[0], (byte[])row[1])).ToArray();
        var results = PythonCan.Unpack(cases.Select(c => c.Item2));
        return cases.Select((c, i) => (c.Item1, results[i])).ToDictionary(c => c.Item1, c => c.Item2);
    });

    // Datagrams python-can 4.1.0 accepts (the cross-check asserts that it really does).
    public static TheoryData<string, byte[]> Accepted() => new()
    {
        { "uint64 timestamp 2^63", Map(("timestamp", Hex("CF8000000000000000"))) },
        { "uint64 timestamp max", Map(("timestamp", Hex("CFFFFFFFFFFFFFFFFF"))) },
        { "channel uint64 2^63", Map(("channel", Hex("CF8000000000000000"))) },
        { "channel uint64 max", Map(("channel", Hex("CFFFFFFFFFFFFFFFFF"))) },
        { "channel int64 min", Map(("channel", Hex("D38000000000000000"))) },
        { "duplicate dlc, last wins", Map(("dlc", [0x00]), ("data", Hex("C4020102")), ("dlc", [0x02])) },
        { "duplicate id, invalid then valid", Map(("is_extended_id", False), ("arbitration_id", Hex("CD0800")), ("arbitration_id", Hex("CD0123"))) },
        { "duplicate data", Map(("data", Hex("C403010203")), ("data", Hex("C40109"))) },
        { "duplicate flag", Map(("is_fd", True), ("bitrate_switch", True), ("is_fd", True)) },
        { "flag as str", Map(("is_fd", Str("yes"))) },
        { "flag as empty str", Map(("is_extended_id", Str(string.Empty)), ("arbitration_id", Hex("CD07FF"))) },
        { "flag as float 0.0", Map(("is_extended_id", Hex("CB0000000000000000")), ("arbitration_id", Hex("CD07FF"))) },
        { "flag as float NaN", Map(("is_fd", Hex("CB7FF8000000000000"))) },
        { "flag as empty array", Map(("is_error_frame", [0x90])) },
        { "flag as array", Map(("is_error_frame", [0x91, 0x00])) },
        { "flag as empty map", Map(("is_remote_frame", [0x80])) },
        { "flag as bin", Map(("is_fd", Hex("C40100"))) },
        { "flag as ext", Map(("is_fd", Hex("D40501"))) },
        { "flag as negative int", Map(("is_fd", [0xFF])) },
        { "timestamp as str", Map(("timestamp", Str("now"))) },
        { "timestamp as nil", Map(("timestamp", Nil)) },
        { "timestamp as array", Map(("timestamp", [0x92, 0x01, 0xA1, 0x61])) },
        { "timestamp as map with bin key", Map(("timestamp", [0x81, 0xC4, 0x01, 0x61, 0x01])) },
        { "timestamp as ext 5", Map(("timestamp", Hex("D40501"))) },
        { "timestamp as msgpack timestamp", Map(("timestamp", Hex("D6FF00000001"))) },
        { "timestamp as 96-bit msgpack timestamp", Map(("timestamp", Hex("C70CFF3B9AC9FF0000000000000005"))) },
        { "timestamp negative", Map(("timestamp", Hex("CBBFF0000000000000"))) },
        { "timestamp NaN", Map(("timestamp", Hex("CB7FF8000000000000"))) },
        { "timestamp nested 1023 deep", Map(("timestamp", [.. Enumerable.Repeat((byte)0x91, 1023), 0x01])) },
        { "is_rx as str", Map(("is_rx", Str("no"))) },
        { "is_rx as array", Map(("is_rx", [0x90])) },
        { "data as empty map", Map(("data", [0x80])) },
        { "data as true", Map(("data", True)) },
        { "data as false", Map(("data", False)) },
        { "data as integer", Map(("data", [0x03])) },
        { "data as array of bools", Map(("data", [0x92, 0xC3, 0xC2])) },
        { "data as nil", Map(("data", Nil)) },
        { "id as true", Map(("arbitration_id", True)) },
        { "dlc as true", Map(("dlc", True), ("data", Hex("C40107"))) },
        { "remote with str data", Map(("is_remote_frame", True), ("data", Str("abc"))) },
        { "remote with 100 bytes", Map(("data", [0xC4, 100, .. new byte[100]]), ("is_remote_frame", True)) },
        { "remote with byte 300", Map(("data", Hex("91CD012C")), ("is_remote_frame", True)) },
        { "remote with float data", Map(("is_remote_frame", True), ("data", Hex("CB3FF0000000000000"))) },
        { "empty map", [0x80] },
        { "fd frame with 64 bytes", Map(("is_fd", True), ("data", [0xC4, 64, .. Enumerable.Range(0, 64).Select(i => (byte)i)])) },
        { "channel as str", Map(("channel", Str("vcan0"))) },
    };

    // Datagrams python-can 4.1.0 rejects.
    public static TheoryData<string, byte[]> Rejected() => new()
    {
        { "data as str", Map(("data", Str("abc"))) },
        { "data as empty str", Map(("data", Str(string.Empty))) },
        { "data as float", Map(("data", Hex("CB3FF0000000000000"))) },
        { "data as map", Map(("data", [0x81, 0xA1, 0x61, 0x01])) },
        { "data as ext", Map(("data", Hex("D40501"))) },
        { "data byte 256", Map(("data", Hex("91CD0100"))) },
        { "data as -1", Map(("data", [0xFF])) },
        { "data nested", Map(("data", [0x91, 0x91, 0x01])) },
        { "timestamp invalid utf-8", Map(("timestamp", [0xA1, 0xFF])) },
        { "timestamp map with int key", Map(("timestamp", [0x81, 0x01, 0x01])) },
        { "timestamp map with nil key", Map(("timestamp", [0x81, 0xC0, 0x01])) },
        { "timestamp ext -1 of 1 byte", Map(("timestamp", Hex("D4FF01"))) },
        { "timestamp ext -1 of 3 bytes", Map(("timestamp", Hex("C703FF000000"))) },
        { "timestamp ext -1 nanoseconds 1e9", Map(("timestamp", Hex("D7FFEE6B280000000005"))) },
        { "timestamp never-used code", Map(("timestamp", [0xC1])) },
        { "timestamp nested 1024 deep", Map(("timestamp", [.. Enumerable.Repeat((byte)0x91, 1024), 0x01])) },
        { "is_rx invalid utf-8", Map(("is_rx", [0xA1, 0xFF])) },
        { "flag as map with int key", Map(("is_fd", [0x81, 0x01, 0x01])) },
        { "unknown key check", Map(("check", True)) },
        { "unknown key priority", Map(("priority", [0x01])) },
        { "bin key", [0x81, 0xC4, 0x03, .. "dlc"u8, 0x00] },
        { "trailing bytes", [0x80, 0x00] },
        { "not a map", [0x91, 0x01] },
        { "id as str", Map(("arbitration_id", Str("291"))) },
        { "id as nil", Map(("arbitration_id", Nil)) },
        { "id as array", Map(("arbitration_id", [0x91, 0x01])) },
        { "id uint64 max", Map(("arbitration_id", Hex("CFFFFFFFFFFFFFFFFF"))) },
        { "negative id", Map(("arbitration_id", [0xFF])) },
        { "dlc as str", Map(("dlc", Str("0"))) },
        { "negative dlc", Map(("dlc", [0xFF])) },
        { "dlc uint64 max", Map(("dlc", Hex("CFFFFFFFFFFFFFFFFF"))) },
        { "duplicate dlc, last invalid", Map(("dlc", [0x00]), ("dlc", [0x09])) },
        { "duplicate remote, data kept", Map(("data", Str("abc")), ("is_remote_frame", True), ("is_remote_frame", False)) },
        { "remote and error", Map(("is_remote_frame", Str("x")), ("is_error_frame", [0x01])) },
        { "brs without fd", Map(("bitrate_switch", Str("x"))) },
    };

    // python-can accepts these; the decoder refuses them on purpose (README, wire compatibility).
    public static TheoryData<string, byte[]> DeliberatelyRejected() => new()
    {
        { "id as float", Map(("arbitration_id", Hex("CB4072300000000000"))) },
        { "id as fractional float", Map(("arbitration_id", Hex("CB3FF8000000000000"))) },
        { "dlc as float", Map(("dlc", Hex("CB0000000000000000"))) },
        { "channel as float", Map(("channel", Hex("CB3FF8000000000000"))) },
        { "channel as bool", Map(("channel", True)) },
        { "channel as bin", Map(("channel", Hex("C40130"))) },
        { "channel as array", Map(("channel", [0x91, 0x01])) },
        { "channel as map", Map(("channel", [0x80])) },
        { "channel as ext", Map(("channel", Hex("D40501"))) },
    };

    [SkippableTheory]
    [MemberData(nameof(Accepted))]
    public void Decode_DatagramPythonCanAccepts_GivesTheSameFrame(string description, byte[] datagram)
    {
        PythonCan.Require();
        var python = PythonResults.Value[description];
        python.GetProperty("ok").GetBoolean().Should().BeTrue($"python-can accepts \"{description}\" (else the case is misfiled)");

        WireCodec.Decode(datagram, out var message).Should().Be(MalformedDatagramReason.None, description);
        Describe(message).Should().Be(Describe(python), description);
    }

    [SkippableTheory]
    [MemberData(nameof(Rejected))]
    public void Decode_DatagramPythonCanRejects_IsRejected(string description, byte[] datagram)
    {
        PythonCan.Require();
        var python = PythonResults.Value[description];
        python.GetProperty("ok").GetBoolean().Should().BeFalse($"python-can rejects \"{description}\" (else the case is misfiled)");

        WireCodec.Decode(datagram, out _).Should().NotBe(MalformedDatagramReason.None, description);
    }

    [SkippableTheory]
    [MemberData(nameof(DeliberatelyRejected))]
    public void Decode_DeliberateDifference_PythonCanAcceptsAndTheDecoderRefuses(string description, byte[] datagram)
    {
        PythonCan.Require();
        var python = PythonResults.Value[description];
        python.GetProperty("ok").GetBoolean().Should().BeTrue($"the difference \"{description}\" exists only while python-can accepts it");

        WireCodec.Decode(datagram, out _).Should().Be(MalformedDatagramReason.WrongValueType, description);
    }

    private static string Describe(in CanMessage m) => string.Create(CultureInfo.InvariantCulture,
        $"id={m.ArbitrationId} ext={m.IsExtendedId} rtr={m.IsRemoteFrame} err={m.IsErrorFrame} fd={m.IsFd} brs={m.BitrateSwitch} esi={m.ErrorStateIndicator} " +
        $"ch={(m.Channel.IsNone ? "None" : m.Channel.IsNumber ? m.Channel.Number.ToString(CultureInfo.InvariantCulture) : m.Channel.Name)} dlc={m.Dlc} data={Convert.ToHexStringLower(m.Data)}");

    private static string Describe(JsonElement p)
    {
        var channel = p.GetProperty("channel");
        var channelText = channel.GetProperty("type").GetString() switch
        {
            "NoneType" => "None",
            "str" => channel.GetProperty("repr").GetString()!.Trim('\''),
            "int" => channel.GetProperty("repr").GetString(),
            var other => "python type " + other,
        };
        return $"id={Int(p.GetProperty("arbitration_id"))} ext={Flag(p, "is_extended_id")} rtr={Flag(p, "is_remote_frame")} err={Flag(p, "is_error_frame")} " +
            $"fd={Flag(p, "is_fd")} brs={Flag(p, "bitrate_switch")} esi={Flag(p, "error_state_indicator")} ch={channelText} dlc={Int(p.GetProperty("dlc"))} data={p.GetProperty("data").GetString()}";

        static string Flag(JsonElement p, string name) => p.GetProperty(name).GetBoolean() ? "True" : "False";

        // python's bool is an int: True is 1.
        static string? Int(JsonElement value) => value.GetProperty("repr").GetString() switch
        {
            "True" => "1",
            "False" => "0",
            var text => text,
        };
    }

    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    private static byte[] Str(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        return [(byte)(0xA0 | utf8.Length), .. utf8];
    }

    /// <summary>A map of fixstr keys and raw MessagePack values, keys repeated as given.</summary>
    private static byte[] Map(params (string Key, byte[] Value)[] entries)
    {
        var bytes = new List<byte> { (byte)(0x80 | entries.Length) };
        foreach (var (key, value) in entries)
        {
            bytes.AddRange(Str(key));
            bytes.AddRange(value);
        }

        return [.. bytes];
    }
}
