using CanUdpMulticast.IO.Text;

namespace CanUdpMulticast.IO.Trc;

/// <summary>The column layout of a TRC 2.x file (<c>$COLUMNS=N,O,T,B,I,d,R,L,D</c>): each column's index, -1 when absent.</summary>
internal sealed class TrcColumns
{
    public int Offset { get; private init; } = -1;

    public int Type { get; private init; } = -1;

    public int Bus { get; private init; } = -1;

    public int Id { get; private init; } = -1;

    public int Direction { get; private init; } = -1;

    public int Length { get; private init; } = -1;

    /// <summary>Whether the length column holds the DLC code (<c>L</c>) rather than the byte count (<c>l</c>).</summary>
    public bool LengthIsDlc { get; private init; }

    public int Data { get; private init; } = -1;

    /// <summary>Reads the comma-separated column letters; <see langword="null"/> and a reason when they are not a usable layout.</summary>
    public static TrcColumns? Parse(ReadOnlySpan<byte> columns, out string? problem)
    {
        problem = null;
        int index = 0, offset = -1, type = -1, bus = -1, id = -1, direction = -1, length = -1, data = -1;
        var lengthIsDlc = false;
        foreach (var range in columns.Split((byte)','))
        {
            var name = AsciiText.Trim(columns[range]);
            if (name.Length != 1)
            {
                problem = "must be single letters separated by commas";
                return null;
            }

            switch ((char)name[0])
            {
                case 'O': offset = index; break;
                case 'T': type = index; break;
                case 'B': bus = index; break;
                case 'I': id = index; break;
                case 'd': direction = index; break;
                case 'l': length = index; lengthIsDlc = false; break;
                case 'L': length = index; lengthIsDlc = true; break;
                case 'D': data = index; break;
                default: break;
            }

            index++;
        }

        if (offset < 0 || type < 0 || id < 0 || direction < 0 || length < 0 || data != index - 1)
        {
            problem = "must include O, T, I, d, l or L, and end with D";
            return null;
        }

        return new TrcColumns { Offset = offset, Type = type, Bus = bus, Id = id, Direction = direction, Length = length, LengthIsDlc = lengthIsDlc, Data = data };
    }
}
