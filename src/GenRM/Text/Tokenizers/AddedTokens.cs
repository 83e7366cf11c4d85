using System.Buffers;
using System.Globalization;
using System.Text;

namespace GenRM.Text.Tokenizers;

/// <summary>
/// One entry of <c>added_tokens</c>. <paramref name="Normalized"/>: matched in the normalized text
/// (else in the raw text, before normalization); <paramref name="LStrip"/>/<paramref name="RStrip"/>:
/// the whitespace to its left/right becomes part of it; <paramref name="SingleWord"/>: matched only
/// when no word character touches it; <paramref name="Special"/>: dropped by <c>skipSpecialTokens</c>.
/// </summary>
internal sealed record AddedToken(int Id, string Content, bool Special, bool SingleWord, bool LStrip, bool RStrip, bool Normalized)
{
    public static AddedToken Read(JsonPart token) => new(
        token.Int("id"),
        token.String("content") is { Length: > 0 } content ? content : throw token.Error("\"content\" is empty"),
        token.Bool("special", false),
        token.Bool("single_word", false),
        token.Bool("lstrip", false),
        token.Bool("rstrip", false),
        // Hugging Face's default: a token is normalized unless it says otherwise.
        token.Bool("normalized", true));
}

/// <summary>
/// Finds added tokens in text as Hugging Face's library does: leftmost-longest matches of their
/// contents, then each token's single_word, lstrip and rstrip rules.
/// </summary>
internal sealed class AddedTokenMatcher
{
    readonly List<Dictionary<char, int>> children = [[]];
    readonly List<AddedToken?> ends = [null];
    readonly SearchValues<char> firstCharacters;

    /// <param name="tokens">The tokens to find.</param>
    /// <param name="patternOf">The text each is matched by (its content, or its content normalized).</param>
    public AddedTokenMatcher(IEnumerable<AddedToken> tokens, Func<AddedToken, string> patternOf)
    {
        foreach (var token in tokens)
        {
            string pattern = patternOf(token);
            if (pattern.Length == 0)
                continue;
            int node = 0;
            foreach (char c in pattern)
            {
                if (!children[node].TryGetValue(c, out int child))
                {
                    child = children.Count;
                    children[node][c] = child;
                    children.Add([]);
                    ends.Add(null);
                }
                node = child;
            }
            ends[node] ??= token;
        }
        firstCharacters = SearchValues.Create([.. children[0].Keys]);
    }

    public bool IsEmpty => children[0].Count == 0;

    /// <summary>Cuts <paramref name="text"/> into stretches, each an added token (with its id) or plain text (null).</summary>
    public void Split(string text, List<(int Start, int End, AddedToken? Token)> output)
    {
        int done = 0; // end of the last stretch written
        int at = 0;
        while (at < text.Length)
        {
            int found = text.AsSpan(at).IndexOfAny(firstCharacters);
            if (found < 0)
                break;
            int start = at + found;
            var (token, length) = LongestAt(text, start);
            if (token is null)
            {
                at = start + 1;
                continue;
            }
            int stop = start + length;
            at = stop;
            if (token.SingleWord && (EndsWithWord(text, start) || StartsWithWord(text, stop)))
                continue;
            if (token.LStrip)
                start = Math.Max(done, TrimmedEnd(text, start));
            if (token.RStrip)
                stop = TrimmedStart(text, stop);
            if (start > done)
                output.Add((done, start, null));
            output.Add((start, stop, token));
            done = stop;
        }
        if (done < text.Length)
            output.Add((done, text.Length, null));
    }

    (AddedToken? Token, int Length) LongestAt(string text, int start)
    {
        AddedToken? best = null;
        int bestLength = 0, node = 0;
        for (int i = start; i < text.Length && children[node].TryGetValue(text[i], out node); i++)
        {
            if (ends[node] is AddedToken token)
                (best, bestLength) = (token, i - start + 1);
        }
        return (best, bestLength);
    }

    // Rust regex's \w: letters, marks, decimal and letter numbers, connector punctuation.
    static bool IsWordCharacter(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.ConnectorPunctuation => true,
        _ => rune.Value is 0x200C or 0x200D,
    };

    static bool EndsWithWord(string text, int end) =>
        end > 0 && Rune.DecodeLastFromUtf16(text.AsSpan(0, end), out Rune rune, out _) == OperationStatus.Done && IsWordCharacter(rune);

    static bool StartsWithWord(string text, int start) =>
        start < text.Length && Rune.DecodeFromUtf16(text.AsSpan(start), out Rune rune, out _) == OperationStatus.Done && IsWordCharacter(rune);

    /// <summary>Where the whitespace run ending at <paramref name="end"/> begins.</summary>
    static int TrimmedEnd(string text, int end)
    {
        while (end > 0 && Rune.DecodeLastFromUtf16(text.AsSpan(0, end), out Rune rune, out int length) == OperationStatus.Done && Rune.IsWhiteSpace(rune))
            end -= length;
        return end;
    }

    /// <summary>Where the whitespace run starting at <paramref name="start"/> ends.</summary>
    static int TrimmedStart(string text, int start)
    {
        while (start < text.Length && Rune.DecodeFromUtf16(text.AsSpan(start), out Rune rune, out int length) == OperationStatus.Done && Rune.IsWhiteSpace(rune))
            start += length;
        return start;
    }
}
