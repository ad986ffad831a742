using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace CanUdpMulticast.Nats;

/// <summary>
/// The subject scheme of one bus: <c>&lt;prefix&gt;.&lt;bus&gt;.&lt;kind&gt;.&lt;nibble&gt;...</c>, where kind is
/// <c>s</c> (11-bit id, 3 nibble tokens) or <c>x</c> (29-bit id, 8 nibble tokens), most significant nibble first,
/// e.g. <c>can.lab1.s.1.2.3</c> for standard id 0x123. One token per hex digit lets any filter whose mask covers
/// whole nibbles become one server-side subscription (<c>can.lab1.s.1.*.*</c> for id 0x100, mask 0x700).
/// </summary>
internal sealed class NatsSubjects
{
    private const int MaxCachedExtended = 8192;
    private static readonly SearchValues<char> Forbidden = SearchValues.Create(" \t\r\n*>");
    private static readonly char[] HexDigits = "0123456789ABCDEF".ToCharArray();

    private readonly string _standardPrefix;
    private readonly string _extendedPrefix;
    private readonly string?[] _standard = new string?[0x800];
    private readonly ConcurrentDictionary<uint, string> _extended = new();

    public NatsSubjects(string prefix, string bus)
    {
        Validate(prefix, "subject prefix");
        Validate(bus, "bus name (channel)");
        Root = prefix + "." + bus;
        _standardPrefix = Root + ".s";
        _extendedPrefix = Root + ".x";
    }

    /// <summary><c>&lt;prefix&gt;.&lt;bus&gt;</c>.</summary>
    public string Root { get; }

    /// <summary>The subject that receives every frame of the bus.</summary>
    public string All => Root + ".>";

    /// <summary>The subject a frame is published to (cached: no allocation after the first use of an id).</summary>
    /// <param name="extended">Whether the id is 29-bit.</param>
    /// <param name="id">The arbitration id.</param>
    /// <returns>The subject.</returns>
    public string For(bool extended, uint id)
    {
        if (!extended)
        {
            var index = id & 0x7FF;
            return _standard[index] ??= Build(_standardPrefix, index, 3);
        }

        if (_extended.TryGetValue(id, out var cached))
        {
            return cached;
        }

        var subject = Build(_extendedPrefix, id, 8);
        if (_extended.Count < MaxCachedExtended)
        {
            _extended.TryAdd(id, subject);
        }

        return subject;
    }

    /// <summary>
    /// The subscriptions that deliver what <paramref name="filters"/> pass: exactly those frames when
    /// <paramref name="exact"/> is set, else a superset the bus must filter itself.
    /// </summary>
    /// <param name="filters">The filters (empty: everything).</param>
    /// <param name="exact">Whether the server then delivers exactly the frames the filters pass.</param>
    /// <returns>Pairwise disjoint subscription subjects (a frame matches at most one, so none arrives twice).</returns>
    public IReadOnlyList<string> SubscriptionsFor(ReadOnlySpan<CanFilter> filters, out bool exact)
    {
        exact = true;
        if (filters.IsEmpty)
        {
            return [All];
        }

        var standard = new List<string[]>();
        var extended = new List<string[]>();
        foreach (var filter in filters)
        {
            if (filter.Extended != true && TryPattern(filter, 11, out var s, ref exact))
            {
                standard.Add(s);
            }

            if (filter.Extended != false && TryPattern(filter, 29, out var x, ref exact))
            {
                extended.Add(x);
            }
        }

        var result = new List<string>();
        AddDisjoint(standard, _standardPrefix, result, ref exact);
        AddDisjoint(extended, _extendedPrefix, result, ref exact);
        return result;
    }

    private static bool TryPattern(CanFilter filter, int bits, out string[] tokens, ref bool exact)
    {
        var width = (1u << bits) - 1;
        var nibbles = (bits + 3) / 4;
        tokens = new string[nibbles];
        if (filter.Inverted)
        {
            Array.Fill(tokens, "*"); // a complement is no subject pattern: take the kind, filter in the bus
            exact = false;
            return true;
        }

        if ((filter.Id & filter.Mask & ~width) != 0)
        {
            return false; // the filter wants id bits this kind does not have: no frame of the kind passes
        }

        var mask = filter.Mask & width;
        for (var i = 0; i < nibbles; i++)
        {
            var shift = 4 * (nibbles - 1 - i);
            var nibbleWidth = (width >> shift) & 0xF;
            var nibbleMask = (mask >> shift) & nibbleWidth;
            if (nibbleMask == 0)
            {
                tokens[i] = "*";
            }
            else if (nibbleMask == nibbleWidth)
            {
                tokens[i] = HexDigits[(filter.Id >> shift) & nibbleWidth].ToString();
            }
            else
            {
                tokens[i] = "*"; // part of a nibble: subscribe wider, filter in the bus
                exact = false;
            }
        }

        return true;
    }

    private static void AddDisjoint(List<string[]> patterns, string kindPrefix, List<string> result, ref bool exact)
    {
        // Drop patterns covered by another; if two still overlap, one wildcard for the kind (a frame must not arrive twice).
        var kept = new List<string[]>();
        for (var i = 0; i < patterns.Count; i++)
        {
            var covered = false;
            for (var j = 0; j < patterns.Count && !covered; j++)
            {
                covered = i != j && Covers(patterns[j], patterns[i]) && (!Covers(patterns[i], patterns[j]) || j < i);
            }

            if (!covered)
            {
                kept.Add(patterns[i]);
            }
        }

        for (var i = 0; i < kept.Count; i++)
        {
            for (var j = i + 1; j < kept.Count; j++)
            {
                if (Overlap(kept[i], kept[j]))
                {
                    exact = false;
                    result.Add(kindPrefix + ".>");
                    return;
                }
            }
        }

        foreach (var tokens in kept)
        {
            result.Add(kindPrefix + "." + string.Join('.', tokens));
        }
    }

    private static bool Covers(string[] wide, string[] narrow)
    {
        for (var i = 0; i < wide.Length; i++)
        {
            if (wide[i] != "*" && wide[i] != narrow[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool Overlap(string[] a, string[] b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != "*" && b[i] != "*" && a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }

    private static string Build(string prefix, uint id, int nibbles)
    {
        var builder = new StringBuilder(prefix.Length + (2 * nibbles));
        builder.Append(prefix);
        for (var i = nibbles - 1; i >= 0; i--)
        {
            builder.Append('.').Append(HexDigits[(id >> (4 * i)) & 0xF]);
        }

        return builder.ToString();
    }

    private static void Validate(string value, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, what);
        foreach (var token in value.Split('.'))
        {
            if (token.Length == 0 || token.AsSpan().IndexOfAny(Forbidden) >= 0)
            {
                throw new CanInitializationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The NATS {what} '{value}' is not a valid subject: tokens are separated by single dots and may not be empty or contain whitespace, '*' or '>'."));
            }
        }
    }
}
