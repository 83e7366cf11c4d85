namespace GenRM.Text;

/// <summary>A tokenizer that can also say which characters of the text each token stands for.</summary>
public interface ITokenizerWithOffsets : ITokenizer
{
    /// <summary>
    /// <see cref="ITokenizer.Encode"/>'s ids, each with the stretch of <paramref name="text"/> it
    /// came from, as Hugging Face's <c>return_offsets_mapping</c> gives them.
    /// </summary>
    TokenizedText EncodeWithOffsets(string text, bool addSpecialTokens = false);
}
