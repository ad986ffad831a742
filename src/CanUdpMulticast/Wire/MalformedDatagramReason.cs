namespace CanUdpMulticast.Wire;

/// <summary>Why a received datagram was not a frame and was dropped (python-can raises from <c>recv</c> instead).</summary>
public enum MalformedDatagramReason
{
    /// <summary>The datagram is a valid frame.</summary>
    None = 0,

    /// <summary>The bytes are not MessagePack python would unpack (e.g. a reserved type code, invalid UTF-8 in a string, a malformed timestamp extension).</summary>
    NotMessagePack,

    /// <summary>The MessagePack data ends in the middle of a value.</summary>
    Truncated,

    /// <summary>Bytes follow the map (python-can's <c>ExtraData</c>).</summary>
    TrailingBytes,

    /// <summary>The top-level value is not a map.</summary>
    NotAMap,

    /// <summary>A map key is not a string (e.g. binary or an integer).</summary>
    NonStringKey,

    /// <summary>A key is not one of python-can's message fields.</summary>
    UnknownKey,

    /// <summary>Not reported any more: a repeated key is accepted and its last value wins, as in python-can (kept so the numbers of the other members stay).</summary>
    DuplicateKey,

    /// <summary>A value has a type the field cannot take (e.g. a string as <c>arbitration_id</c>).</summary>
    WrongValueType,

    /// <summary>An array or map where a plain value belongs, or containers nested deeper than python's msgpack accepts (1024).</summary>
    TooDeep,

    /// <summary>The fields decode but break python-can's frame rules (see <see cref="CanMessageError"/>).</summary>
    InvalidFrame,

    /// <summary>The datagram is larger than <c>4096</c> bytes or was truncated by the kernel.</summary>
    Oversized,
}
