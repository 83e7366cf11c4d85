using System.Text;

namespace GenRM.Text.Tokenizers;

/// <summary>
/// A stretch of normalized text on its way to the model. <paramref name="AtStart"/>: it begins at
/// the start of the encoded text (Metaspace's <c>prepend_scheme: first</c> asks).
/// <paramref name="Sources"/>, kept only when token offsets are asked for: for each UTF-16 unit of
/// <paramref name="Text"/>, the position in the normalized text of the character it came from.
/// </summary>
internal readonly record struct Piece(string Text, bool AtStart, int[]? Sources = null)
{
    /// <summary>Units <paramref name="start"/> to <paramref name="end"/>.</summary>
    public Piece Slice(int start, int end) => new(Text[start..end], AtStart && start == 0, Sources?[start..end]);

    /// <summary>
    /// The piece with <paramref name="prefix"/> before it (a prefix space, Metaspace's "▁"), standing
    /// for the piece's first character as Hugging Face aligns a prepended prefix.
    /// </summary>
    public Piece Prepend(string prefix) => this with
    {
        Text = prefix + Text,
        Sources = Sources is { Length: > 0 } sources ? [.. Enumerable.Repeat(sources[0], prefix.Length), .. sources] : Sources,
    };
}

/// <summary>A <c>pre_tokenizer</c> of <c>tokenizer.json</c>: cuts a piece into the words the model encodes one by one.</summary>
internal interface IPreTokenizer
{
    /// <summary>Appends the non-empty pieces <paramref name="piece"/> becomes.</summary>
    void Split(Piece piece, List<Piece> output);
}

/// <summary>
/// Reads the pre-tokenizers of Llama 3, Qwen, GPT-4o, DeepSeek-V3 (Sequence of Split, Digits,
/// ByteLevel), of SentencePiece-style files (Metaspace, Split), Falcon's Punctuation, and the
/// whitespace splitters of tokenizers trained with Hugging Face's library (Whitespace,
/// WhitespaceSplit, BertPreTokenizer).
/// </summary>
internal static class PreTokenizers
{
    // Oniguruma's Unicode \w (Letter, Mark, Number, Connector_Punctuation) and \s, as Hugging Face's
    // Whitespace pre-tokenizer means its \w+|[^\w\s]+; .NET's \w lacks Mc, Me, Nl and No.
    const string WordsAndPunctuationRuns = @"[\p{L}\p{M}\p{N}\p{Pc}]+|[^\p{L}\p{M}\p{N}\p{Pc}\s]+";

    static readonly SplitPreTokenizer WhitespaceSplit = new(CodePointPattern.Whitespace, SplitBehavior.Removed, invert: false);

    static readonly Dictionary<string, Func<JsonPart, IPreTokenizer>> Readers = new()
    {
        ["Sequence"] = part => new SequencePreTokenizer([.. part.Items("pretokenizers").Select(Read)]),
        ["Split"] = part => new SplitPreTokenizer(
            TextPattern.Read(part.Required("pattern")), SplitPreTokenizer.ReadBehavior(part.Required("behavior")), part.Bool("invert", false)),
        ["Digits"] = part => new SplitPreTokenizer(CodePointPattern.Numeric,
            part.Bool("individual_digits", false) ? SplitBehavior.Isolated : SplitBehavior.Contiguous, invert: false),
        ["ByteLevel"] = part => new ByteLevelPreTokenizer(part.Bool("add_prefix_space", true), part.Bool("use_regex", true), part.File),
        ["Metaspace"] = MetaspacePreTokenizer.Read,
        ["Punctuation"] = part => new SplitPreTokenizer(CodePointPattern.Punctuation,
            part.Optional("behavior") is JsonPart behavior ? SplitPreTokenizer.ReadBehavior(behavior) : SplitBehavior.Isolated, invert: false),
        ["WhitespaceSplit"] = _ => WhitespaceSplit,
        ["Whitespace"] = part => new SplitPreTokenizer(new RegexPattern(new CodePointRegex(WordsAndPunctuationRuns, part.File)), SplitBehavior.Removed, invert: true),
        ["BertPreTokenizer"] = _ => new SequencePreTokenizer([WhitespaceSplit, new SplitPreTokenizer(CodePointPattern.Punctuation, SplitBehavior.Isolated, invert: false)]),
    };

    public static IPreTokenizer Read(JsonPart part) => part.ReadKind(Readers, "pre-tokenizer");
}

internal sealed class SequencePreTokenizer(IReadOnlyList<IPreTokenizer> steps) : IPreTokenizer
{
    public void Split(Piece piece, List<Piece> output)
    {
        var pieces = new List<Piece> { piece };
        var next = new List<Piece>();
        foreach (var step in steps)
        {
            foreach (var p in pieces)
                step.Split(p, next);
            (pieces, next) = (next, pieces);
            next.Clear();
        }
        output.AddRange(pieces);
    }
}

/// <summary>
/// GPT-2's byte-level step: an optional leading space, the GPT-2 regex split when <c>use_regex</c>,
/// then each piece's UTF-8 bytes written in the byte alphabet the vocabulary uses.
/// </summary>
internal sealed class ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex, string file) : IPreTokenizer
{
    readonly SplitPreTokenizer? gpt2Split = useRegex
        ? new SplitPreTokenizer(new RegexPattern(new CodePointRegex(PreTokenizerPatterns.Gpt2, file)), SplitBehavior.Isolated, invert: false)
        : null;

    public void Split(Piece piece, List<Piece> output)
    {
        if (addPrefixSpace && !piece.Text.StartsWith(' '))
            piece = piece.Prepend(" ");
        int first = output.Count;
        if (gpt2Split is null)
            output.Add(piece);
        else
            gpt2Split.Split(piece, output);
        for (int i = first; i < output.Count; i++)
            output[i] = output[i] with { Text = ByteLevelAlphabet.Encode(output[i].Text), Sources = ByteSources(output[i]) };
    }

    /// <summary>Each UTF-8 byte's symbol comes from the character the byte belongs to.</summary>
    static int[]? ByteSources(Piece piece)
    {
        if (piece.Sources is null)
            return null;
        var sources = new List<int>(piece.Text.Length * 2);
        for (int i = 0; i < piece.Text.Length;)
        {
            Rune.DecodeFromUtf16(piece.Text.AsSpan(i), out Rune rune, out int length);
            for (int b = 0; b < rune.Utf8SequenceLength; b++)
                sources.Add(piece.Sources[i]);
            i += length;
        }
        return [.. sources];
    }
}
