using System.Globalization;
using System.Text;

namespace GenRM.Text.Jinja;

/// <summary>
/// Python's string rules where they differ from .NET's: the whitespace set of <c>str.strip()</c>
/// and <c>str.split()</c> (it includes U+001C-U+001F and U+0085, which <c>string.Trim()</c> treats
/// differently), lengths and indices counted in code points, and <c>repr()</c>.
/// </summary>
internal static class PythonText
{
    /// <summary>Python's <c>str.isspace()</c> for one UTF-16 unit (all such characters are in the BMP).</summary>
    public static bool IsWhitespace(char c) => c switch
    {
        >= '\t' and <= '\r' => true,
        >= '\x1c' and <= ' ' => true,
        '\x85' or '\xa0' or '\u1680' or '\u2028' or '\u2029' or '\u202f' or '\u205f' or '\u3000' => true,
        >= '\u2000' and <= '\u200a' => true,
        _ => false,
    };

    public static string Strip(string s, string? chars = null) => RStrip(LStrip(s, chars), chars);

    public static string LStrip(string s, string? chars = null)
    {
        int start = 0;
        while (start < s.Length && Strips(s[start], chars))
            start++;
        return s[start..];
    }

    public static string RStrip(string s, string? chars = null)
    {
        int end = s.Length;
        while (end > 0 && Strips(s[end - 1], chars))
            end--;
        return s[..end];
    }

    static bool Strips(char c, string? chars) => chars is null ? IsWhitespace(c) : chars.Contains(c, StringComparison.Ordinal);

    /// <summary><c>str.split()</c> with no separator: runs of whitespace separate, empty parts dropped.</summary>
    public static List<object?> SplitWhitespace(string s, long maxSplit)
    {
        var parts = new List<object?>();
        int i = 0;
        while (true)
        {
            while (i < s.Length && IsWhitespace(s[i]))
                i++;
            if (i >= s.Length)
                return parts;
            if (maxSplit >= 0 && parts.Count == maxSplit)
            {
                parts.Add(RStrip(s[i..]));
                return parts;
            }
            int start = i;
            while (i < s.Length && !IsWhitespace(s[i]))
                i++;
            parts.Add(s[start..i]);
        }
    }

    public static List<object?> Split(string s, string separator, long maxSplit)
    {
        if (separator.Length == 0)
            throw new JinjaException("str.split(): empty separator");
        var parts = new List<object?>();
        int start = 0;
        while (maxSplit < 0 || parts.Count < maxSplit)
        {
            int at = s.IndexOf(separator, start, StringComparison.Ordinal);
            if (at < 0)
                break;
            parts.Add(s[start..at]);
            start = at + separator.Length;
        }
        parts.Add(s[start..]);
        return parts;
    }

    /// <summary>The string as code points (Python's indexing unit).</summary>
    public static int[] CodePoints(string s)
    {
        var points = new List<int>(s.Length);
        foreach (var rune in s.EnumerateRunes())
            points.Add(rune.Value);
        return [.. points];
    }

    public static int Length(string s)
    {
        int n = 0;
        foreach (var _ in s.EnumerateRunes())
            n++;
        return n;
    }

    public static string FromCodePoints(IEnumerable<int> points)
    {
        var text = new StringBuilder();
        foreach (int p in points)
            text.Append(char.ConvertFromUtf32(p));
        return text.ToString();
    }

    /// <summary>Python's <c>str.title()</c>: a cased letter after an uncased character starts a word.</summary>
    public static string Title(string s)
    {
        var text = new StringBuilder(s.Length);
        bool previousCased = false;
        foreach (var rune in s.EnumerateRunes())
        {
            bool cased = Rune.IsLetter(rune) && (Rune.IsUpper(rune) || Rune.IsLower(rune) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.TitlecaseLetter);
            text.Append((previousCased ? Rune.ToLowerInvariant(rune) : Rune.ToUpperInvariant(rune)).ToString());
            previousCased = cased;
        }
        return text.ToString();
    }

    public static string Capitalize(string s)
    {
        if (s.Length == 0)
            return s;
        var first = Rune.GetRuneAt(s, 0);
        return Rune.ToUpperInvariant(first).ToString() + s[first.Utf16SequenceLength..].ToLowerInvariant();
    }

    /// <summary>Python's <c>repr()</c> of a string: single quotes unless only double quotes avoid escaping.</summary>
    public static string Repr(string s)
    {
        char quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var text = new StringBuilder(s.Length + 2).Append(quote);
        foreach (var rune in s.EnumerateRunes())
        {
            int v = rune.Value;
            if (v == quote || v == '\\')
                text.Append('\\').Append((char)v);
            else if (v == '\n')
                text.Append("\\n");
            else if (v == '\r')
                text.Append("\\r");
            else if (v == '\t')
                text.Append("\\t");
            else if (IsPrintable(rune))
                text.Append(rune.ToString());
            else if (v < 0x100)
                text.Append(CultureInfo.InvariantCulture, $"\\x{v:x2}");
            else if (v < 0x10000)
                text.Append(CultureInfo.InvariantCulture, $"\\u{v:x4}");
            else
                text.Append(CultureInfo.InvariantCulture, $"\\U{v:x8}");
        }
        return text.Append(quote).ToString();
    }

    /// <summary>Python's <c>str.isprintable()</c> for one character: not Other or Separator, except the space.</summary>
    static bool IsPrintable(Rune rune) => rune.Value == ' ' || Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.SpaceSeparator => false,
        _ => true,
    };
}
