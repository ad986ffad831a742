using System.Buffers;
using CanUdpMulticast.Wire;
using NATS.Client.Core;

namespace CanUdpMulticast.Nats;

/// <summary>Writes a frame as python-can's MessagePack map straight into the NATS client's send buffer.</summary>
internal sealed class CanMessageNatsSerializer : INatsSerialize<CanMessage>
{
    public static CanMessageNatsSerializer Instance { get; } = new();

    public void Serialize(IBufferWriter<byte> bufferWriter, CanMessage value) => PythonCanWireFormat.Encode(value, bufferWriter);
}
