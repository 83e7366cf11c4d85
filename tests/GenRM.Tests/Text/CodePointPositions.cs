namespace GenRM.Tests.Text;

/// <summary>
/// A string's UTF-16 positions (the workbench's) as code point positions (Python's string indices,
/// which Hugging Face's offsets and transformers' generation spans count in).
/// </summary>
internal sealed class CodePointPositions
{
    readonly int[] codePointAt;

    public CodePointPositions(string text)
    {
        codePointAt = new int[text.Length + 1];
        int codePoints = 0;
        for (int i = 0; i < text.Length; codePoints++)
        {
            int length = char.IsSurrogatePair(text, i) ? 2 : 1;
            for (int k = 0; k < length; k++)
                codePointAt[i + k] = codePoints;
            i += length;
        }
        codePointAt[text.Length] = codePoints;
    }

    /// <summary>The code point position of UTF-16 position <paramref name="unit"/> (inside a surrogate pair: the pair's).</summary>
    public int CodePoint(int unit) => codePointAt[unit];
}
