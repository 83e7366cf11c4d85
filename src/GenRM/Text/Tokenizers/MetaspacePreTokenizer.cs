namespace GenRM.Text.Tokenizers;

/// <summary>When Metaspace puts its replacement character before a piece.</summary>
internal enum PrependScheme
{
    /// <summary>Before every piece that does not start with it.</summary>
    Always,

    /// <summary>Only before the piece at the start of the text.</summary>
    First,

    /// <summary>Never.</summary>
    Never,
}

/// <summary>
/// SentencePiece's whitespace handling as a pre-tokenizer: spaces become the replacement ("▁"),
/// the replacement is prepended as <c>prepend_scheme</c> says, and with <c>split</c> each
/// replacement starts a new piece.
/// </summary>
internal sealed class MetaspacePreTokenizer(char replacement, PrependScheme scheme, bool split) : IPreTokenizer
{
    static readonly Dictionary<string, PrependScheme> Schemes = new(StringComparer.Ordinal)
    {
        ["always"] = PrependScheme.Always,
        ["first"] = PrependScheme.First,
        ["never"] = PrependScheme.Never,
    };

    readonly SplitPreTokenizer splitter = new(new CodePointPattern(r => r.Value == replacement), SplitBehavior.MergedWithNext, invert: false);

    /// <summary>The replacement character (one UTF-16 unit in every published file).</summary>
    public static char ReadReplacement(JsonPart part)
    {
        string text = part.String("replacement");
        return text.Length == 1 ? text[0] : throw part.Required("replacement").Error("expected a single character");
    }

    /// <summary>
    /// <c>prepend_scheme</c>, or for files written before it existed <c>add_prefix_space</c>
    /// (true: always, false: never), as Hugging Face reads them; neither means always.
    /// </summary>
    public static PrependScheme ReadScheme(JsonPart part)
    {
        if (part.Optional("prepend_scheme") is JsonPart scheme)
            return Schemes.TryGetValue(scheme.AsString(), out var value)
                ? value
                : throw scheme.Error($"expected one of {string.Join(", ", Schemes.Keys)}");
        return part.Bool("add_prefix_space", true) ? PrependScheme.Always : PrependScheme.Never;
    }

    public static IPreTokenizer Read(JsonPart part) => new MetaspacePreTokenizer(ReadReplacement(part), ReadScheme(part), part.Bool("split", true));

    public void Split(Piece piece, List<Piece> output)
    {
        // Spaces become the replacement one for one, so each unit keeps its source.
        piece = piece with { Text = piece.Text.Replace(' ', replacement) };
        bool prepend = scheme == PrependScheme.Always || (scheme == PrependScheme.First && piece.AtStart);
        if (prepend && !piece.Text.StartsWith(replacement))
            piece = piece.Prepend(replacement.ToString());
        if (split)
            splitter.Split(piece, output);
        else
            output.Add(piece);
    }
}
