using System.Globalization;
using System.Text;

namespace GenRM.Text.Tokenizers;

/// <summary>A <c>normalizer</c> of <c>tokenizer.json</c>: rewrites each stretch of text between added tokens before it is split.</summary>
internal interface INormalizer
{
    string Normalize(string text);

    /// <summary>The same rewrite, keeping track of which characters each result unit came from (for token offsets).</summary>
    AlignedText Normalize(AlignedText text);
}

/// <summary>
/// Reads the normalizers Hugging Face files use (Llama 2 and Mistral: Prepend + Replace; Gemma:
/// Replace; Qwen: NFC) and those of tokenizers trained with its library (Lowercase, Strip,
/// StripAccents). Not read: BertNormalizer (WordPiece files, whose model is refused anyway) and
/// Precompiled (SentencePiece's compiled character map, in Unigram files such as T5's).
/// </summary>
internal static class Normalizers
{
    static readonly Dictionary<string, Func<JsonPart, INormalizer>> Readers = new()
    {
        ["Sequence"] = part => new SequenceNormalizer([.. part.Items("normalizers").Select(Read)]),
        ["NFC"] = _ => new UnicodeNormalizer(NormalizationForm.FormC),
        ["NFD"] = _ => new UnicodeNormalizer(NormalizationForm.FormD),
        ["NFKC"] = _ => new UnicodeNormalizer(NormalizationForm.FormKC),
        ["NFKD"] = _ => new UnicodeNormalizer(NormalizationForm.FormKD),
        ["Prepend"] = part => new PrependNormalizer(part.String("prepend")),
        ["Replace"] = part => new ReplaceNormalizer(TextPattern.Read(part.Required("pattern")), part.String("content")),
        ["Lowercase"] = _ => new LowercaseNormalizer(),
        ["Strip"] = part => new StripNormalizer(part.Bool("strip_left", true), part.Bool("strip_right", true)),
        ["StripAccents"] = _ => new StripAccentsNormalizer(),
    };

    public static INormalizer Read(JsonPart part) => part.ReadKind(Readers, "normalizer");
}

internal sealed class SequenceNormalizer(IReadOnlyList<INormalizer> steps) : INormalizer
{
    public string Normalize(string text)
    {
        foreach (var step in steps)
            text = step.Normalize(text);
        return text;
    }

    public AlignedText Normalize(AlignedText text)
    {
        foreach (var step in steps)
            text = step.Normalize(text);
        return text;
    }
}

internal sealed class UnicodeNormalizer(NormalizationForm form) : INormalizer
{
    public string Normalize(string text) => text.Normalize(form);

    public AlignedText Normalize(AlignedText text) => text.Normalize(form);
}

/// <summary>Puts a prefix before non-empty text (Llama 2's "▁").</summary>
internal sealed class PrependNormalizer(string prefix) : INormalizer
{
    public string Normalize(string text) => text.Length == 0 ? text : prefix + text;

    public AlignedText Normalize(AlignedText text) => text.Prepend(prefix);
}

internal sealed class ReplaceNormalizer(TextPattern pattern, string content) : INormalizer
{
    public string Normalize(string text) => pattern.Replace(text, content);

    public AlignedText Normalize(AlignedText text) => text.Replace(pattern, content);
}

/// <summary>
/// Rust's per-character <c>to_lowercase</c>: the invariant lowercase mapping, except that U+0130
/// (İ) becomes "i" + U+0307, its one multi-character unconditional mapping.
/// </summary>
internal sealed class LowercaseNormalizer : INormalizer
{
    public string Normalize(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (Rune rune in text.EnumerateRunes())
            result.Append(Lower(rune));
        return result.ToString();
    }

    public AlignedText Normalize(AlignedText text) => text.MapRunes(Lower);

    static string Lower(Rune rune) => rune.Value == 0x130 ? "i\u0307" : Rune.ToLowerInvariant(rune).ToString();
}

/// <summary>Removes whitespace from the left and/or right end (Rust's <c>char::is_whitespace</c>, the set .NET's <c>Trim</c> removes).</summary>
internal sealed class StripNormalizer(bool left, bool right) : INormalizer
{
    public string Normalize(string text) => (left, right) switch
    {
        (true, true) => text.Trim(),
        (true, false) => text.TrimStart(),
        (false, true) => text.TrimEnd(),
        _ => text,
    };

    public AlignedText Normalize(AlignedText text)
    {
        int start = left ? text.Text.Length - text.Text.AsSpan().TrimStart().Length : 0;
        int end = right ? text.Text.AsSpan().TrimEnd().Length : text.Text.Length;
        return text.Slice(start, Math.Max(start, end));
    }
}

/// <summary>Drops combining marks (general category M), as after NFD it strips accents.</summary>
internal sealed class StripAccentsNormalizer : INormalizer
{
    public string Normalize(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (Rune rune in text.EnumerateRunes())
            result.Append(Kept(rune));
        return result.ToString();
    }

    public AlignedText Normalize(AlignedText text) => text.MapRunes(Kept);

    static string Kept(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark ? "" : rune.ToString();
}
