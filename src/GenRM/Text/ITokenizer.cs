namespace GenRM.Text;

/// <summary>
/// Text to token ids and back. Implementations: Hugging Face <c>tokenizer.json</c> BPE (byte-level
/// as Llama 3, Qwen, GPT-4o; with byte fallback as Llama 2, Mistral, Gemma), and the MiniWorld tokenizer. Special tokens written in the text (for example
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

    /// <summary>
    /// Encodes text; special tokens written in it become their ids. <paramref name="addSpecialTokens"/>
    /// adds what the tokenizer's post-processor adds (Llama's BOS), as Hugging Face's
    /// <c>add_special_tokens</c> does. Unlike Hugging Face's default it is off: the workbench encodes
    /// chat-template text, which writes its own BOS, as <c>apply_chat_template(tokenize=True)</c> does.
    /// </summary>
    int[] Encode(string text, bool addSpecialTokens = false);

    /// <summary>Decodes ids to text; <paramref name="skipSpecialTokens"/> drops special tokens.</summary>
    string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false);

    /// <summary>The id of a token written exactly (a special token or a vocabulary entry), or null.</summary>
    int? TokenToId(string token);
}
