using System.Globalization;
using System.Text;

namespace GenRM.Text.Jinja;

/// <summary>
/// Splits a template into text and tag tokens as jinja2's lexer does with Hugging Face's settings:
/// newlines normalised to "\n" and one trailing newline dropped, <c>trim_blocks</c> (the newline
/// after a block or comment tag is removed), <c>lstrip_blocks</c> (spaces and tabs before a block
/// or comment tag on its own line are removed), and <c>-</c>/<c>+</c> whitespace control.
/// </summary>
internal sealed class JinjaLexer
{
    static readonly string[] Operators =
        ["//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|", ";"];

    readonly string source;
    readonly List<int> lineStarts = [0];
    readonly List<JinjaToken> tokens = [];

    JinjaLexer(string source)
    {
        this.source = NormalizeNewlines(source);
        for (int i = 0; i < this.source.Length; i++)
            if (this.source[i] == '\n')
                lineStarts.Add(i + 1);
    }

    public static List<JinjaToken> Tokenize(string source)
    {
        var lexer = new JinjaLexer(source);
        lexer.Run();
        return lexer.tokens;
    }

    static string NormalizeNewlines(string text)
    {
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        // keep_trailing_newline is off: one final newline of the template source is not output.
        return normalized.EndsWith('\n') ? normalized[..^1] : normalized;
    }

    JinjaException Error(string message, int index)
    {
        var (line, column) = Position(index);
        return new JinjaException(message, line, column);
    }

    (int Line, int Column) Position(int index)
    {
        int line = lineStarts.BinarySearch(index);
        if (line < 0)
            line = ~line - 1;
        return (line + 1, index - lineStarts[line] + 1);
    }

    void Emit(JinjaTokenKind kind, string value, int index)
    {
        var (line, column) = Position(index);
        tokens.Add(new JinjaToken(kind, value, line, column));
    }

    void Run()
    {
        int p = 0;
        bool lineStarting = true;
        while (p < source.Length)
        {
            int tag = FindTagStart(p);
            if (tag < 0)
            {
                Emit(JinjaTokenKind.Text, source[p..], p);
                break;
            }
            string text = source[p..tag];
            char kind = source[tag + 1];
            int q = tag + 2;
            char sign = q < source.Length ? source[q] : '\0';
            if (sign == '-')
            {
                text = PythonText.RStrip(text);
                q++;
            }
            else if (sign == '+' && kind != '{')
                q++;
            else if (kind != '{')
                text = LStripBlock(text, lineStarting);
            if (text.Length > 0)
                Emit(JinjaTokenKind.Text, text, p);
            p = kind == '#' ? SkipComment(tag, q) : LexTag(tag, q, kind == '%');
            lineStarting = p > 0 && source[p - 1] == '\n';
        }
        Emit(JinjaTokenKind.End, "", source.Length);
    }

    int FindTagStart(int from)
    {
        for (int i = source.IndexOf('{', from); i >= 0 && i + 1 < source.Length; i = source.IndexOf('{', i + 1))
            if (source[i + 1] is '{' or '%' or '#')
                return i;
        return -1;
    }

    /// <summary>lstrip_blocks: drops the whitespace between the line's start and a block tag.</summary>
    static string LStripBlock(string text, bool lineStarting)
    {
        int lineStart = text.LastIndexOf('\n') + 1;
        if (!(lineStart > 0 || lineStarting) || lineStart == text.Length)
            return text;
        for (int i = lineStart; i < text.Length; i++)
            if (!PythonText.IsWhitespace(text[i]))
                return text;
        return text[..lineStart];
    }

    int SkipComment(int tag, int from)
    {
        int end = source.IndexOf("#}", from, StringComparison.Ordinal);
        if (end < 0)
            throw Error("Unclosed comment '{#'", tag);
        return AfterEnd(end + 2, source[end - 1] == '-', source[end - 1] == '+', trimNewline: true);
    }

    /// <summary>Where text resumes after an end delimiter, applying '-' stripping or trim_blocks.</summary>
    int AfterEnd(int after, bool strip, bool keep, bool trimNewline)
    {
        if (strip)
        {
            while (after < source.Length && PythonText.IsWhitespace(source[after]))
                after++;
        }
        else if (trimNewline && !keep && after < source.Length && source[after] == '\n')
            after++;
        return after;
    }

    int LexTag(int tag, int p, bool block)
    {
        Emit(block ? JinjaTokenKind.BlockBegin : JinjaTokenKind.VariableBegin, block ? "{%" : "{{", tag);
        int depth = 0;
        while (true)
        {
            while (p < source.Length && PythonText.IsWhitespace(source[p]))
                p++;
            if (p >= source.Length)
                throw Error(block ? "Unclosed block tag '{%'" : "Unclosed variable tag '{{'", tag);
            if (depth == 0 && TryEnd(p, block, out int after))
            {
                Emit(block ? JinjaTokenKind.BlockEnd : JinjaTokenKind.VariableEnd, block ? "%}" : "}}", p);
                return after;
            }
            char c = source[p];
            if (char.IsAsciiLetter(c) || c == '_')
            {
                int start = p;
                while (p < source.Length && (char.IsAsciiLetterOrDigit(source[p]) || source[p] == '_'))
                    p++;
                Emit(JinjaTokenKind.Name, source[start..p], start);
            }
            else if (char.IsAsciiDigit(c))
                p = LexNumber(p);
            else if (c is '\'' or '"')
                p = LexString(p);
            else
            {
                string? op = Operators.FirstOrDefault(o => string.CompareOrdinal(source, p, o, 0, o.Length) == 0);
                if (op is null)
                    throw Error($"Unexpected character '{c}'", p);
                depth += op is "(" or "[" or "{" ? 1 : op is ")" or "]" or "}" ? -1 : 0;
                Emit(JinjaTokenKind.Operator, op, p);
                p += op.Length;
            }
        }
    }

    bool TryEnd(int p, bool block, out int after)
    {
        string close = block ? "%}" : "}}";
        after = 0;
        if (string.CompareOrdinal(source, p, close, 0, 2) == 0)
        {
            after = AfterEnd(p + 2, strip: false, keep: false, trimNewline: block);
            return true;
        }
        if (p + 2 < source.Length && source[p] is '-' or '+' && string.CompareOrdinal(source, p + 1, close, 0, 2) == 0)
        {
            if (source[p] == '+' && !block)
                return false;
            after = AfterEnd(p + 3, strip: source[p] == '-', keep: source[p] == '+', trimNewline: block);
            return true;
        }
        return false;
    }

    int LexNumber(int p)
    {
        int start = p;
        while (p < source.Length && (char.IsAsciiDigit(source[p]) || source[p] == '_'))
            p++;
        bool isFloat = false;
        if (p + 1 < source.Length && source[p] == '.' && char.IsAsciiDigit(source[p + 1]))
        {
            isFloat = true;
            p++;
            while (p < source.Length && (char.IsAsciiDigit(source[p]) || source[p] == '_'))
                p++;
        }
        if (p < source.Length && source[p] is 'e' or 'E')
        {
            int e = p + 1;
            if (e < source.Length && source[e] is '+' or '-')
                e++;
            if (e < source.Length && char.IsAsciiDigit(source[e]))
            {
                isFloat = true;
                p = e;
                while (p < source.Length && char.IsAsciiDigit(source[p]))
                    p++;
            }
        }
        Emit(isFloat ? JinjaTokenKind.Float : JinjaTokenKind.Integer, source[start..p].Replace("_", "", StringComparison.Ordinal), start);
        return p;
    }

    int LexString(int p)
    {
        char quote = source[p];
        var value = new StringBuilder();
        int i = p + 1;
        while (true)
        {
            if (i >= source.Length)
                throw Error("Unterminated string literal", p);
            char c = source[i];
            if (c == quote)
                break;
            if (c != '\\')
            {
                value.Append(c);
                i++;
                continue;
            }
            if (i + 1 >= source.Length)
                throw Error("Unterminated string literal", p);
            i = Unescape(i, value);
        }
        Emit(JinjaTokenKind.String, value.ToString(), p);
        return i + 1;
    }

    /// <summary>Python's unicode-escape decoding of one escape sequence starting at the backslash.</summary>
    int Unescape(int i, StringBuilder value)
    {
        char e = source[i + 1];
        switch (e)
        {
            case '\n': return i + 2;
            case '\\': value.Append('\\'); return i + 2;
            case '\'': value.Append('\''); return i + 2;
            case '"': value.Append('"'); return i + 2;
            case 'a': value.Append('\a'); return i + 2;
            case 'b': value.Append('\b'); return i + 2;
            case 'f': value.Append('\f'); return i + 2;
            case 'n': value.Append('\n'); return i + 2;
            case 'r': value.Append('\r'); return i + 2;
            case 't': value.Append('\t'); return i + 2;
            case 'v': value.Append('\v'); return i + 2;
            case 'x': return AppendCodePoint(i, 2, value);
            case 'u': return AppendCodePoint(i, 4, value);
            case 'U': return AppendCodePoint(i, 8, value);
            case >= '0' and <= '7':
                int j = i + 1, code = 0;
                while (j < source.Length && j < i + 4 && source[j] is >= '0' and <= '7')
                    code = code * 8 + (source[j++] - '0');
                value.Append((char)code);
                return j;
            case 'N':
                throw Error("Named escapes (\\N{...}) in string literals are not supported", i);
            default:
                value.Append('\\').Append(e);
                return i + 2;
        }
    }

    int AppendCodePoint(int i, int digits, StringBuilder value)
    {
        int start = i + 2;
        if (start + digits > source.Length
            || !int.TryParse(source.AsSpan(start, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code)
            || !Rune.IsValid(code))
            throw Error($"Truncated or invalid \\{source[i + 1]} escape in a string literal", i);
        value.Append(char.ConvertFromUtf32(code));
        return start + digits;
    }
}
