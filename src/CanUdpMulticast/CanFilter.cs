using System.Globalization;
using System.Text.Json;

namespace CanUdpMulticast;

/// <summary>
/// An acceptance filter with python-can's rules: a message passes when
/// <c>((message.ArbitrationId ^ Id) &amp; Mask) == 0</c> and, if <see cref="Extended"/> is set, its
/// extended flag equals <see cref="Extended"/>. A bus passes a message when <em>any</em> of its filters
/// does; no filters pass everything.
/// </summary>
/// <param name="Id">The id bits to compare.</param>
/// <param name="Mask">Which bits of the id are compared (1 = must match).</param>
/// <param name="Extended">When not <see langword="null"/>, the message's extended flag must equal it.</param>
/// <param name="Inverted">When <see langword="true"/>, the filter passes exactly the messages the id/mask test rejects
/// (candump's <c>id~mask</c>); the <see cref="Extended"/> condition still applies.</param>
public readonly record struct CanFilter(uint Id, uint Mask, bool? Extended = null, bool Inverted = false)
{
    /// <summary>Whether this filter passes <paramref name="message"/>.</summary>
    /// <param name="message">The message to test.</param>
    /// <returns>Whether it passes.</returns>
    public bool Matches(in CanMessage message) =>
        (Extended is not { } extended || extended == message.IsExtendedId)
        && ((((message.ArbitrationId ^ Id) & Mask) == 0) != Inverted);

    /// <summary>Whether <paramref name="message"/> passes a filter list (python-can semantics: any match; null or empty passes all).</summary>
    /// <param name="filters">The filters, or <see langword="null"/>.</param>
    /// <param name="message">The message to test.</param>
    /// <returns>Whether it passes.</returns>
    public static bool MatchesAny(ReadOnlySpan<CanFilter> filters, in CanMessage message)
    {
        if (filters.IsEmpty)
        {
            return true;
        }

        foreach (ref readonly var filter in filters)
        {
            if (filter.Matches(message))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Parses the text form of candump and python-can's command line: <c>id:mask</c> or <c>id~mask</c>,
    /// both in hexadecimal (an optional <c>0x</c> prefix is accepted). <c>id~mask</c> is candump's inverted
    /// filter: it passes the ids that <c>id:mask</c> rejects.
    /// </summary>
    /// <remarks>python-can's CLI turns <c>id~mask</c> into socketcan's <c>CAN_INV_FILTER</c> bit, which only a kernel
    /// filter understands (in its software filter it passes nothing); this type implements the inversion itself.</remarks>
    /// <param name="text">The filter text.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="FormatException">The text is not <c>id:mask</c> or <c>id~mask</c> with hexadecimal numbers.</exception>
    public static CanFilter Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var filter, out var error))
        {
            throw new FormatException(error);
        }

        return filter;
    }

    /// <summary>Tries to parse <c>id:mask</c> or <c>id~mask</c> (see <see cref="Parse(string)"/>).</summary>
    /// <param name="text">The filter text.</param>
    /// <param name="filter">The filter when parsing succeeds.</param>
    /// <returns>Whether parsing succeeded.</returns>
    public static bool TryParse(string? text, out CanFilter filter) => TryParse(text, out filter, out _);

    /// <summary>
    /// Parses a list of filters as configuration sources give it (python-can's <c>can_filters</c>): comma-separated
    /// <c>id:mask</c>/<c>id~mask</c> items (see <see cref="Parse(string)"/>), or a JSON list of
    /// <c>{"can_id": 291, "can_mask": 2047, "extended": false}</c> objects (<c>extended</c> optional). Empty text is an empty list.
    /// </summary>
    /// <param name="text">The list.</param>
    /// <returns>The filters.</returns>
    /// <exception cref="FormatException">An item is not a filter; the message names it.</exception>
    public static IReadOnlyList<CanFilter> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        List<CanFilter> filters = [];
        if (text.StartsWith('['))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                foreach (var element in document.RootElement.EnumerateArray())
                {
                    var id = element.GetProperty("can_id").GetUInt32();
                    var mask = element.GetProperty("can_mask").GetUInt32();
                    bool? extended = element.TryGetProperty("extended", out var e) ? e.GetBoolean() : null;
                    filters.Add(new CanFilter(id, mask, extended));
                }
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
            {
                throw new FormatException(
                    $"A filter list must be like [{{\"can_id\": 291, \"can_mask\": 2047, \"extended\": false}}]: {ex.Message}", ex);
            }

            return filters;
        }

        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            filters.Add(Parse(part));
        }

        return filters;
    }

    private static bool TryParse(string? text, out CanFilter filter, out string error)
    {
        filter = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "A CAN filter must look like 'id:mask' or 'id~mask' in hexadecimal (e.g. 123:7FF), not an empty string.";
            return false;
        }

        var span = text.AsSpan().Trim();
        var separator = span.IndexOfAny(':', '~');
        if (separator <= 0 || separator == span.Length - 1)
        {
            error = $"The CAN filter '{text}' must look like 'id:mask' or 'id~mask' in hexadecimal (e.g. 123:7FF).";
            return false;
        }

        if (!TryParseHex(span[..separator], out var id) || !TryParseHex(span[(separator + 1)..], out var mask))
        {
            error = $"The CAN filter '{text}' has an id or mask that is not a hexadecimal number of at most 32 bits (e.g. 123:7FF).";
            return false;
        }

        filter = new CanFilter(id, mask, Inverted: span[separator] == '~');
        error = string.Empty;
        return true;
    }

    private static bool TryParseHex(ReadOnlySpan<char> s, out uint value)
    {
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            s = s[2..];
        }

        return uint.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The text form <c>id:mask</c> (or <c>id~mask</c>) in hexadecimal, with <c>(extended)</c> or <c>(standard)</c> when restricted.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Id:X}{(Inverted ? '~' : ':')}{Mask:X}{(Extended is { } e ? (e ? " (extended)" : " (standard)") : string.Empty)}");
}
