using System.Globalization;
using System.Text;

namespace CanUdpMulticast.Dbc;

/// <summary>Reads the tokens of DBC text (words, numbers, strings, punctuation) and tracks line and column for errors.</summary>
internal sealed class DbcLexer(string text, string? fileName)
{
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    public int Line => _line;

    public int Column => _pos - _lineStart + 1;

    public bool AtEnd => _pos >= text.Length;

    /// <summary>Whether only spaces remain on the current line.</summary>
    public bool AtLineEnd
    {
        get
        {
            SkipSpaces();
            return AtEnd || text[_pos] == '\n';
        }
    }

    public char Peek()
    {
        SkipSpaces();
        return AtEnd ? '\0' : text[_pos];
    }

    /// <summary>The next character after spaces and line breaks.</summary>
    public char PeekAcrossLines()
    {
        SkipWhitespace();
        return AtEnd ? '\0' : text[_pos];
    }

    public void SkipSpaces()
    {
        while (_pos < text.Length && text[_pos] is ' ' or '\t' or '\r' or '\f' or '\v' or '\uFEFF')
        {
            _pos++;
        }
    }

    public void SkipWhitespace()
    {
        while (_pos < text.Length && (char.IsWhiteSpace(text[_pos]) || text[_pos] == '\uFEFF'))
        {
            Advance();
        }
    }

    public bool TryConsume(char c)
    {
        if (PeekAcrossLines() != c)
        {
            return false;
        }

        _pos++;
        return true;
    }

    public void Expect(char c)
    {
        if (!TryConsume(c))
        {
            throw Error($"expected '{c}' but found {Describe()}");
        }
    }

    /// <summary>A word: letters, digits, '_' and any other character that is not whitespace or DBC punctuation.</summary>
    public string ReadWord()
    {
        SkipWhitespace();
        var start = _pos;
        while (_pos < text.Length && !char.IsWhiteSpace(text[_pos]) && text[_pos] is not (':' or ';' or ',' or '|' or '@' or '(' or ')' or '[' or ']' or '"'))
        {
            _pos++;
        }

        if (_pos == start)
        {
            throw Error($"expected a name but found {Describe()}");
        }

        return text[start.._pos];
    }

    /// <summary>A word on the current line, or null at the end of the line.</summary>
    public string? TryReadWordOnLine() => AtLineEnd || Peek() is ';' ? null : ReadWord();

    public double ReadNumber()
    {
        SkipWhitespace();
        var start = _pos;
        while (_pos < text.Length && (char.IsAsciiDigit(text[_pos]) || text[_pos] is '+' or '-' or '.' or 'e' or 'E'))
        {
            _pos++;
        }

        var token = text.AsSpan(start, _pos - start);
        if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            _pos = start;
            throw Error($"expected a number but found {Describe()}");
        }

        return value;
    }

    public ulong ReadUnsigned()
    {
        SkipWhitespace();
        var start = _pos;
        while (_pos < text.Length && char.IsAsciiDigit(text[_pos]))
        {
            _pos++;
        }

        if (!ulong.TryParse(text.AsSpan(start, _pos - start), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            _pos = start;
            throw Error($"expected an unsigned integer but found {Describe()}");
        }

        return value;
    }

    public long ReadInteger()
    {
        var number = ReadNumber();
        if (number != Math.Floor(number) || number < long.MinValue || number > long.MaxValue)
        {
            throw Error($"expected an integer but found {DbcFormat.Number(number)}");
        }

        return (long)number;
    }

    public int ReadInt32(int min, int max, string what)
    {
        var line = _line;
        var column = Column;
        var number = ReadInteger();
        if (number < min || number > max)
        {
            throw new DbcParseException($"{what} {number} is outside {min}..{max}", fileName, line, column);
        }

        return (int)number;
    }

    public string ReadString()
    {
        if (PeekAcrossLines() != '"')
        {
            throw Error($"expected a string but found {Describe()}");
        }

        Advance();
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                throw Error("unterminated string");
            }

            var c = text[_pos];
            Advance();
            if (c == '"')
            {
                return sb.ToString();
            }

            if (c == '\\' && !AtEnd && text[_pos] is '"' or '\\')
            {
                c = text[_pos];
                Advance();
            }

            sb.Append(c);
        }
    }

    public void SkipLine()
    {
        while (!AtEnd && text[_pos] != '\n')
        {
            _pos++;
        }
    }

    /// <summary>Skips to just after the next ';' outside a string (or to the end).</summary>
    public void SkipStatement()
    {
        var inString = false;
        while (!AtEnd)
        {
            var c = text[_pos];
            Advance();
            if (inString && c == '\\' && !AtEnd)
            {
                Advance();
            }
            else if (c == '"')
            {
                inString = !inString;
            }
            else if (c == ';' && !inString)
            {
                return;
            }
        }
    }

    /// <summary>Whether the line after the current one starts with whitespace (an indented continuation such as the NS_ list).</summary>
    public bool NextLineIndented()
    {
        var p = _pos;
        while (p < text.Length && text[p] != '\n')
        {
            p++;
        }

        p++;
        return p < text.Length && (text[p] is ' ' or '\t' || text[p] is '\r' or '\n');
    }

    public void SkipToNextLine()
    {
        SkipLine();
        if (!AtEnd)
        {
            Advance();
        }
    }

    public DbcParseException Error(string reason) => new(reason, fileName, _line, Column);

    public DbcParseException ErrorAt(string reason, int line, int column) => new(reason, fileName, line, column);

    private string Describe()
    {
        if (AtEnd)
        {
            return "the end of the file";
        }

        var end = _pos;
        while (end < text.Length && end - _pos < 20 && !char.IsWhiteSpace(text[end]))
        {
            end++;
        }

        return end == _pos ? "a line break" : $"'{text[_pos..end]}'";
    }

    private void Advance()
    {
        if (text[_pos] == '\n')
        {
            _line++;
            _lineStart = _pos + 1;
        }

        _pos++;
    }
}
