using System.CommandLine;
using System.CommandLine.Parsing;
using CanUdpMulticast.IO;

namespace CanUdpMulticast.Cli.Options;

/// <summary>The <c>FRAME...</c> argument of <c>send</c>: cansend syntax, checked while parsing so bad syntax is a usage error.</summary>
internal static class FrameArgument
{
    /// <summary>The example shown with every syntax error.</summary>
    public const string Example = "canudp send 123#DEADBEEF 12345678#00 123#R4 123##1112233";

    public static Argument<CanMessage[]> Create() => new("FRAME")
    {
        Description = "Frames in cansend syntax: 123#DEADBEEF (standard id), 12345678#00 (extended id), 123#R or 123#R4 (remote), 123##1112233 (CAN FD: first nibble = flags BRS 1, ESI 2). Raw flag ids as in cansend: an 8-digit id with bit 20000000 (socketcan CAN_ERR_FLAG) set is an ERROR FRAME whose error class is the rest of the id, so 20000000#00 sends an error frame; the other flag bits (80000000 EFF, 40000000 RTR) are rejected: 8 digits already mean extended, R means remote",
        Arity = ArgumentArity.OneOrMore,
        CustomParser = Parse,
    };

    /// <summary>Parses each token; every wrong frame becomes its own error naming its position and the wrong part.</summary>
    /// <param name="result">The tokens.</param>
    /// <returns>The frames.</returns>
    public static CanMessage[] Parse(ArgumentResult result)
    {
        var frames = new CanMessage[result.Tokens.Count];
        for (var i = 0; i < frames.Length; i++)
        {
            var text = result.Tokens[i].Value;
            if (!TryParse(text, out frames[i], out var error))
            {
                var position = frames.Length > 1 ? $"frame {i + 1} " : "frame ";
                result.AddError($"{position}'{text}': {error}");
            }
        }

        return frames;
    }

    /// <summary>Parses one frame and checks it is a valid CAN frame; an error names the wrong part and shows the right syntax.</summary>
    /// <param name="text">The frame text.</param>
    /// <param name="message">The frame.</param>
    /// <param name="error">What is wrong.</param>
    /// <returns>Whether it is valid.</returns>
    public static bool TryParse(string text, out CanMessage message, out string error)
    {
        if (!CanFrameText.TryParse(text, out message, out error))
        {
            error = WithExample(Capitalize(error.TrimEnd('.')) + ".");
            return false;
        }

        var invalid = message.GetValidationError();
        if (invalid != CanMessageError.None)
        {
            error = WithExample(Capitalize(CanMessage.Describe(invalid)) + ".");
            return false;
        }

        return true;
    }

    private static string WithExample(string error) =>
        error.Contains("123#", StringComparison.Ordinal) ? error : $"{error} Example: {Example}";

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
