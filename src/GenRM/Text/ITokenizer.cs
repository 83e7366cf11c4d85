namespace GenRM.Text;

/// <summary>
/// Text to token ids and back. Implementations: Hugging Face <c>tokenizer.json</c> byte-level BPE
/// (Llama 3, Qwen2), and the MiniWorld tokenizer. Special tokens written in the text (for example
/// <c>&lt;|eot_id|&gt;</c> from a chat template) encode to their own ids, as Hugging Face does.
/// </summary>
public interface ITokenizer
{
    /// <summary>Number of ids the model's embedding must cover (the largest id plus one).</summary>
    int VocabSize { get; }

    /// <summary>Beginning-of-sequence id, or null when the tokenizer has none.</summary>
    int? BosId { get; }

    /// <summary>Ids that end generation (a chat model often has several, e.g. Llama 3's eot and eos).</summary>
    IReadOnlyList<int> EosIds { get; }

    /// <summary>Id used to pad batches (never attended to); falls back to an EOS id when the tokenizer defines none.</summary>
    int PadId { get; }

    /// <summary>Encodes text; special tokens written in it become their ids. No BOS is added: chat templates write it.</summary>
    int[] Encode(string text);

    /// <summary>Decodes ids to text; <paramref name="skipSpecialTokens"/> drops special tokens.</summary>
    string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false);

    /// <summary>The id of a token written exactly (a special token or a vocabulary entry), or null.</summary>
    int? TokenToId(string token);
}
