using System.Text;
using CanUdpMulticast.IO.Text;

namespace CanUdpMulticast.IO.Canutils;

/// <summary>
/// Writes can-utils' compact log format (<c>.log</c>) as python-can's <c>CanutilsLogWriter</c> does:
/// <c>(1700000000.123456) can0 123#DEADBEEF R</c>, microsecond timestamps, upper-case hex, 3 id digits for
/// standard and 8 for extended ids, <c>R</c> plus the DLC for remote frames, <c>##</c> plus the flags digit for
/// CAN FD, and the direction suffix <c>R</c> (received) or <c>T</c> (sent). Files convert with can-utils'
/// <c>log2asc</c> and replay with <c>canplayer</c>.
/// </summary>
/// <remarks>
/// <para>A numbered channel, or a name that is all digits, is written as <c>can&lt;N&gt;</c>; a frame without a
/// channel gets <see cref="CanLogWriterOptions.DefaultChannel"/> (<c>vcan0</c>).</para>
/// <para>Error frames are written as can-utils and python-can write them: id <c>CAN_ERR_FLAG</c> | the error class
/// bits in <see cref="CanMessage.ArbitrationId"/> (python-can's bus-error class <c>0x80</c> when the id is 0),
/// the data, and no direction suffix.</para>
/// <para>A timestamp earlier than the previous one is written as the previous one (python-can's rule).
/// Not thread-safe: one writer per thread, as a notifier calls its listeners one at a time.</para>
/// </remarks>
public sealed class CanutilsWriter : TextLogWriter
{
    /// <summary>python-can's default channel for frames without one.</summary>
    public const string DefaultChannelName = "vcan0";

    private const uint ErrorClassBusError = 0x80;

    private readonly CanChannel _defaultChannel;
    private readonly CanChannel[] _channels = new CanChannel[4];
    private readonly byte[]?[] _channelBytes = new byte[]?[4];
    private int _nextChannelSlot;

    /// <inheritdoc cref="TextLogWriter(CanLogFile, CanLogWriterOptions?, string?)"/>
    public CanutilsWriter(CanLogFile file, CanLogWriterOptions? options = null)
        : base(file, options, singleHeaderFormat: null)
    {
        _defaultChannel = Options.DefaultChannel ?? DefaultChannelName;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The frame breaks python-can's validity rules, or its channel name is empty or holds blanks.</exception>
    /// <exception cref="ObjectDisposedException">The writer is disposed.</exception>
    public override void Write(in CanMessage message)
    {
        var channel = ChannelBytes(message.Channel.IsNone ? _defaultChannel : message.Channel);
        var timestamp = Begin(message);
        var span = Output.GetSpan(64 + channel.Length + CanFrameText.MaxFormattedLength);
        var pos = 0;
        span[pos++] = (byte)'(';
        pos += AsciiText.WriteFixed(span[pos..], timestamp, 6);
        span[pos++] = (byte)')';
        span[pos++] = (byte)' ';
        channel.CopyTo(span[pos..]);
        pos += channel.Length;
        span[pos++] = (byte)' ';

        Span<char> frame = stackalloc char[CanFrameText.MaxFormattedLength];
        int length;
        if (message.IsErrorFrame)
        {
            var errorFrame = message with
            {
                ArbitrationId = message.ArbitrationId == 0 ? ErrorClassBusError : message.ArbitrationId,
                IsExtendedId = true,
                IsFd = false,
                BitrateSwitch = false,
                ErrorStateIndicator = false,
            };
            length = CanFrameText.Format(errorFrame, frame);
        }
        else
        {
            length = CanFrameText.Format(message, frame);
        }

        for (var i = 0; i < length; i++)
        {
            span[pos++] = (byte)frame[i];
        }

        if (!message.IsErrorFrame)
        {
            span[pos++] = (byte)' ';
            span[pos++] = message.IsRx ? (byte)'R' : (byte)'T';
        }

        span[pos++] = (byte)'\n';
        Output.Advance(pos);
    }

    // The last few channels' bytes are kept: logs hold one or two channels, so formatting allocates nothing.
    private byte[] ChannelBytes(CanChannel channel)
    {
        for (var i = 0; i < _channels.Length; i++)
        {
            if (_channelBytes[i] is { } cached && _channels[i] == channel)
            {
                return cached;
            }
        }

        string text;
        if (channel.IsNumber)
        {
            text = "can" + channel.ToString();
        }
        else
        {
            text = channel.Name!;
            if (text.Length > 0 && !text.AsSpan().ContainsAnyExceptInRange('0', '9'))
            {
                text = "can" + text;
            }
        }

        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                text = string.Empty;
                break;
            }
        }

        if (text.Length == 0)
        {
            throw new ArgumentException($"The channel name '{channel}' cannot be written to a .log file: it must be non-empty and without blanks.", nameof(channel));
        }

        var slot = _nextChannelSlot;
        _nextChannelSlot = (slot + 1) % _channels.Length;
        _channels[slot] = channel;
        return _channelBytes[slot] = Encoding.UTF8.GetBytes(text);
    }
}
