namespace GenRM.Text.Tokenizers;

/// <summary>
/// What token offsets need beside the ids, gathered while encoding: each token's characters in the
/// encoded text, and its text as Hugging Face's encodings report it (an added token's match, with
/// the whitespace its lstrip/rstrip took; a model token's vocabulary entry), which
/// <see cref="OffsetTrimming"/> reads.
/// </summary>
internal sealed class TokenTrace
{
    public List<CharSpan> Offsets { get; } = [];

    public List<string> Tokens { get; } = [];

    public void Add(CharSpan offsets, string token)
    {
        Offsets.Add(offsets);
        Tokens.Add(token);
    }
}
