using System.Buffers;
using System.Runtime.InteropServices;
using CanUdpMulticast.Wire;
using NATS.Client.Core;

namespace CanUdpMulticast.Nats;

/// <summary>Writes a frame as python-can's MessagePack map straight into the NATS client's send buffer.</summary>
/// <remarks>
/// Frames without a channel name go through the byte-array encoder, which writes the map byte by byte and costs about
/// a third of the general <see cref="IBufferWriter{T}"/> path (MessagePack's writer); NATS.Net's buffers are arrays,
/// so it writes in place. Named channels (rare, and of any length) take the general path.
/// </remarks>
internal sealed class CanMessageNatsSerializer : INatsSerialize<CanMessage>
{
    /// <summary>Room for any frame without a channel name (see <see cref="PythonCanWireFormat.Encode(in CanMessage, byte[], int)"/>).</summary>
    private const int UnnamedMaxLength = 256;

    [ThreadStatic]
    private static byte[]? t_scratch;

    public static CanMessageNatsSerializer Instance { get; } = new();

    public void Serialize(IBufferWriter<byte> bufferWriter, CanMessage value)
    {
        if (value.Channel.IsName)
        {
            PythonCanWireFormat.Encode(value, bufferWriter);
            return;
        }

        if (MemoryMarshal.TryGetArray<byte>(bufferWriter.GetMemory(UnnamedMaxLength), out var segment))
        {
            bufferWriter.Advance(PythonCanWireFormat.Encode(value, segment.Array!, segment.Offset));
            return;
        }

        var scratch = t_scratch ??= new byte[UnnamedMaxLength];
        var length = PythonCanWireFormat.Encode(value, scratch);
        bufferWriter.Write(scratch.AsSpan(0, length));
    }
}
