using System.Globalization;
using System.Text;
using CanUdpMulticast.Dbc;

namespace CanUdpMulticast.Cli.Dbc;

/// <summary>How decoded signals are printed by <c>dump --dbc</c> and <c>decode</c>.</summary>
internal static class SignalText
{
    /// <summary>Appends <c>    Message(Signal: value unit, Other: Choice)</c> and a line break.</summary>
    /// <param name="text">The output.</param>
    /// <param name="decoded">The decoded frame.</param>
    /// <param name="indent">Spaces before the text.</param>
    public static void AppendLine(StringBuilder text, DecodedMessage decoded, int indent = 4)
    {
        text.Append(' ', indent).Append(decoded.Message.Name).Append('(');
        var first = true;
        foreach (var signal in decoded.Signals)
        {
            if (!first)
            {
                text.Append(", ");
            }

            first = false;
            text.Append(signal.Signal.Name).Append(": ").Append(signal.FormatValue());
        }

        text.Append(")\n");
    }

    /// <summary>A physical value as invariant text with up to 10 significant digits.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Number(double value) => value.ToString("G10", CultureInfo.InvariantCulture);

    /// <summary>Parses a physical value or a choice name of a signal.</summary>
    /// <param name="signal">The signal.</param>
    /// <param name="text">A number (invariant culture) or one of the signal's choice names.</param>
    /// <param name="value">The physical value.</param>
    /// <returns>Whether the text is valid for the signal.</returns>
    public static bool TryParseValue(DbcSignal signal, string text, out double value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        if (signal.TryGetChoiceValue(text, out var raw))
        {
            value = (raw * signal.Factor) + signal.Offset;
            return true;
        }

        return false;
    }

    /// <summary>Parses <c>MESSAGE SIGNAL=VALUE ...</c> tokens (a token without '=' starts the next message) into frames.</summary>
    /// <param name="tokens">The tokens.</param>
    /// <param name="dbc">The databases.</param>
    /// <returns>The encoded frames.</returns>
    /// <exception cref="UsageException">An unknown message, signal or value, or a value that does not fit its signal.</exception>
    public static CanMessage[] ParseFrames(IReadOnlyList<string> tokens, DbcSet dbc)
    {
        var frames = new List<CanMessage>();
        var i = 0;
        while (i < tokens.Count)
        {
            if (tokens[i].Contains('=', StringComparison.Ordinal))
            {
                throw new UsageException($"send --dbc: '{tokens[i]}' comes before any message name; e.g. canudp send --dbc x.dbc EngineData EngineSpeed=1200 Gear=3");
            }

            var message = dbc.GetMessage(tokens[i++]);
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            for (; i < tokens.Count && tokens[i].Contains('=', StringComparison.Ordinal); i++)
            {
                var (name, text) = (tokens[i][..tokens[i].IndexOf('=', StringComparison.Ordinal)], tokens[i][(tokens[i].IndexOf('=', StringComparison.Ordinal) + 1)..]);
                var signal = message.FindSignal(name)
                    ?? throw new UsageException($"send --dbc: message {message.Name} has no signal '{name}' (signals: {string.Join(", ", message.Signals)}).");
                if (!TryParseValue(signal, text, out var value))
                {
                    var choices = signal.Choices.Count > 0 ? $" or one of {string.Join(", ", signal.Choices.Values)}" : string.Empty;
                    throw new UsageException($"send --dbc: {message.Name}.{name}: '{text}' is not a number{choices}.");
                }

                values[name] = value;
            }

            try
            {
                frames.Add(message.Encode(values));
            }
            catch (DbcEncodingException ex)
            {
                throw new UsageException($"send --dbc: {ex.Message}", ex);
            }
        }

        return [.. frames];
    }
}
