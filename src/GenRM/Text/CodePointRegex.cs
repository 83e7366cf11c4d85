using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace GenRM.Text;

/// <summary>
/// A pre-tokenizer regex matched per Unicode code point, as Hugging Face's Rust regex matches.
/// .NET's regex sees UTF-16 code units, so a letter or digit outside the Basic Multilingual Plane
/// (CJK extension B, 𝐀) would fall into <c>[^\s\p{L}\p{N}]</c> as two surrogates and split the text
/// differently. Text holding such characters is matched on a stand-in string with one character
/// per code point, of the same general category, and the matches are mapped back.
/// </summary>
internal sealed class CodePointRegex(string pattern, string source)
{
    // A tokenizer.json from a stranger can hold a pattern that backtracks for ever on some text;
    // the published ones take microseconds per match.
    static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    readonly Regex regex = new(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout);

    /// <summary>The non-empty matches in <paramref name="text"/>, as UTF-16 start and length.</summary>
    /// <exception cref="BadInputException">One match ran past the time limit (named after <c>source</c>).</exception>
    public IReadOnlyList<(int Start, int Length)> Matches(string text)
    {
        try
        {
            return MatchAll(text);
        }
        catch (RegexMatchTimeoutException)
        {
            throw BadInputException.About(source,
                $"the pre-tokenizer regex ran past {MatchTimeout.TotalSeconds:0} s on a {text.Length}-character text (catastrophic backtracking)", "pre_tokenizer");
        }
    }

    List<(int Start, int Length)> MatchAll(string text)
    {
        var matches = new List<(int Start, int Length)>();
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            foreach (Match match in regex.Matches(text))
                if (match.Length > 0)
                    matches.Add((match.Index, match.Length));
            return matches;
        }

        var standIn = new StringBuilder(text.Length);
        var offsets = new List<int>(text.Length + 1); // UTF-16 index of each code point, then the end
        for (int i = 0; i < text.Length; i++)
        {
            offsets.Add(i);
            if (char.IsSurrogatePair(text, i))
                standIn.Append(StandIn(char.ConvertToUtf32(text[i], text[++i])));
            else
                standIn.Append(text[i]);
        }
        offsets.Add(text.Length);
        foreach (Match match in regex.Matches(standIn.ToString()))
            if (match.Length > 0)
                matches.Add((offsets[match.Index], offsets[match.Index + match.Length] - offsets[match.Index]));
        return matches;
    }

    // No astral character is whitespace or ASCII, so its general category is all a pattern can ask
    // about (\p{L}, \p{Lu}, \p{P}, \p{S}, \p{M}, \p{N} in the published ones); each stand-in is a
    // BMP character of the same category, outside the explicit ranges those patterns name (ASCII, CJK, kana).
    static readonly char[] StandIns = BuildStandIns();

    static char StandIn(int codePoint) => StandIns[(int)CharUnicodeInfo.GetUnicodeCategory(codePoint)];

    static char[] BuildStandIns()
    {
        var table = new char[Enum.GetValues<UnicodeCategory>().Length];
        foreach (char c in "\u00C0\u00E0\u01C5\u02B0\u05D0\u0363\u0903\u20DD\u0660\u2160\u00B2\u00AD\uE000\u0378\u203F\u2010\u2045\u2046\u00AB\u00BB\u00A1\u00D7\u00A2\u00B4\u00A6")
            table[(int)CharUnicodeInfo.GetUnicodeCategory(c)] = c;
        // Categories no astral code point has (spaces, separators, controls, surrogates) keep '\0'.
        return table;
    }
}
