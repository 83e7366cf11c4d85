using System.Globalization;
using System.Text;

namespace GenRM.Text.Tokenizers;

/// <summary>
/// What a <c>Split</c> pre-tokenizer, a <c>Replace</c> normalizer or decoder looks for: a literal
/// string, a regex (Oniguruma in Hugging Face's library, matched per code point here), or a class of
/// single characters (Digits, Metaspace). Matches never overlap and are never empty.
/// </summary>
internal abstract class TextPattern
{
    /// <summary>Appends the matches in <paramref name="text"/> as UTF-16 start and length, left to right.</summary>
    public abstract void Matches(string text, List<(int Start, int Length)> matches);

    /// <summary><c>{"String": "..."}</c> or <c>{"Regex": "..."}</c>.</summary>
    public static TextPattern Read(JsonPart pattern)
    {
        if (pattern.Optional("String") is JsonPart literal)
            return new LiteralPattern(literal.AsString());
        if (pattern.Optional("Regex") is JsonPart regex)
        {
            try
            {
                return new RegexPattern(new CodePointRegex(regex.AsString(), pattern.File));
            }
            catch (ArgumentException e)
            {
                throw regex.Error("not a valid regex: " + e.Message);
            }
        }
        throw pattern.Error("expected {\"String\": ...} or {\"Regex\": ...}");
    }

    /// <summary>Replaces every match with <paramref name="content"/>.</summary>
    public string Replace(string text, string content)
    {
        var matches = new List<(int Start, int Length)>();
        Matches(text, matches);
        if (matches.Count == 0)
            return text;
        var result = new StringBuilder(text.Length);
        int at = 0;
        foreach (var (start, length) in matches)
        {
            result.Append(text, at, start - at).Append(content);
            at = start + length;
        }
        return result.Append(text, at, text.Length - at).ToString();
    }
}

/// <summary>Every occurrence of a fixed string, scanning left to right.</summary>
internal sealed class LiteralPattern(string literal) : TextPattern
{
    public override void Matches(string text, List<(int Start, int Length)> matches)
    {
        if (literal.Length == 0)
            return;
        for (int at = text.IndexOf(literal, StringComparison.Ordinal); at >= 0; at = text.IndexOf(literal, at + literal.Length, StringComparison.Ordinal))
            matches.Add((at, literal.Length));
    }
}

/// <summary>A file's regex, matched per code point.</summary>
internal sealed class RegexPattern(CodePointRegex regex) : TextPattern
{
    public override void Matches(string text, List<(int Start, int Length)> matches) => matches.AddRange(regex.Matches(text));
}

/// <summary>Each single code point that satisfies a test is a match of its own.</summary>
internal sealed class CodePointPattern(Func<Rune, bool> test) : TextPattern
{
    /// <summary>Rust's <c>char::is_numeric</c>: general categories Nd, Nl and No.</summary>
    public static readonly CodePointPattern Numeric = new(r => Rune.GetUnicodeCategory(r)
        is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber);

    /// <summary>Rust's <c>char::is_whitespace</c>: the Unicode White_Space property.</summary>
    public static readonly CodePointPattern Whitespace = new(Rune.IsWhiteSpace);

    /// <summary>Hugging Face's punctuation (Punctuation, BertPreTokenizer): ASCII punctuation (symbols such as $ + &lt; included) or general category P*.</summary>
    public static readonly CodePointPattern Punctuation = new(r => (r.Value is > 0x20 and < 0x7F && !char.IsAsciiLetterOrDigit((char)r.Value))
        || Rune.GetUnicodeCategory(r) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation);

    public override void Matches(string text, List<(int Start, int Length)> matches)
    {
        for (int i = 0; i < text.Length;)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out Rune rune, out int length);
            if (test(rune))
                matches.Add((i, length));
            i += length;
        }
    }
}
