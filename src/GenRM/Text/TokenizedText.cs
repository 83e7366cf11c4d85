namespace GenRM.Text;

/// <summary>
/// A text's token ids with, for each, the characters of the text it stands for, as Hugging Face's
/// encodings give them (<c>offset_mapping</c>). A token the post-processor added (BOS) stands for
/// no characters (0, 0); tokens made from the bytes of one character all stand for that character.
/// </summary>
public sealed record TokenizedText(int[] Ids, CharSpan[] Offsets)
{
    /// <summary>
    /// The first token whose characters include the one at <paramref name="charIndex"/>, or null
    /// when none does (the character was dropped, or lies outside the text): Hugging Face's
    /// <c>char_to_token</c>.
    /// </summary>
    public int? TokenAt(int charIndex)
    {
        for (int i = 0; i < Offsets.Length; i++)
            if (Offsets[i].Contains(charIndex))
                return i;
        return null;
    }
}
