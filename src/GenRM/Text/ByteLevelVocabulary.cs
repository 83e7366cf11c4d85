using System.Text.Json;
using System.Text.Json.Nodes;

namespace GenRM.Text;

/// <summary>
/// A small byte-level BPE vocabulary built by hand, not trained, written in Hugging Face's
/// <c>tokenizer.json</c> layout so that tests and tiny models can produce a model folder that
/// <see cref="HuggingFaceTokenizer"/> (and Hugging Face's own library) loads. Ids: the 256 byte
/// symbols first, id = byte value; then one id per merge, in merge order; then the special tokens.
/// </summary>
public sealed class ByteLevelVocabulary
{
    readonly Dictionary<string, int> tokens;
    readonly List<(string Left, string Right)> merges;
    readonly Dictionary<string, int> specialTokens;

    ByteLevelVocabulary(Dictionary<string, int> tokens, List<(string, string)> merges, Dictionary<string, int> specialTokens)
    {
        this.tokens = tokens;
        this.merges = merges;
        this.specialTokens = specialTokens;
    }

    /// <summary>
    /// Builds the vocabulary. <paramref name="merges"/> are given as plain text, in rank order
    /// (e.g. <c>(" ", "t")</c>, then <c>(" t", "he")</c>); each side must be a byte or the result of
    /// an earlier merge.
    /// </summary>
    /// <exception cref="ArgumentException">A merge side is not yet a token, or a merge repeats a token.</exception>
    public static ByteLevelVocabulary Create(IEnumerable<(string Left, string Right)> merges, IEnumerable<string>? specialTokens = null)
    {
        ArgumentNullException.ThrowIfNull(merges);
        var tokens = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int b = 0; b < 256; b++)
            tokens.Add(ByteLevelAlphabet.Symbol((byte)b).ToString(), b);
        var symbolMerges = new List<(string, string)>();
        foreach (var (left, right) in merges)
        {
            string l = ByteLevelAlphabet.Encode(left), r = ByteLevelAlphabet.Encode(right);
            if (!tokens.ContainsKey(l) || !tokens.ContainsKey(r))
                throw new ArgumentException($"merge (\"{left}\", \"{right}\"): each side must be a byte or an earlier merge's result", nameof(merges));
            if (!tokens.TryAdd(l + r, tokens.Count))
                throw new ArgumentException($"merge (\"{left}\", \"{right}\"): \"{left + right}\" is already a token", nameof(merges));
            symbolMerges.Add((l, r));
        }
        var special = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string token in specialTokens ?? [])
            if (!special.TryAdd(token, tokens.Count + special.Count))
                throw new ArgumentException($"special token \"{token}\" is given twice", nameof(specialTokens));
        return new ByteLevelVocabulary(tokens, symbolMerges, special);
    }

    /// <summary>Number of ids (bytes, merges and special tokens).</summary>
    public int Size => tokens.Count + specialTokens.Count;

    /// <summary>The ids of the special tokens, by their text.</summary>
    public IReadOnlyDictionary<string, int> SpecialTokens => specialTokens;

    /// <summary>The id of a byte sequence or merge result given as plain text (e.g. <c>" the"</c>), or of a special token.</summary>
    /// <exception cref="KeyNotFoundException">It is neither.</exception>
    public int IdOf(string text) =>
        specialTokens.TryGetValue(text, out int special) ? special
        : tokens.TryGetValue(ByteLevelAlphabet.Encode(text), out int id) ? id
        : throw new KeyNotFoundException($"\"{text}\" is not a token of this vocabulary");

    /// <summary>
    /// Writes <c>tokenizer.json</c> to <paramref name="path"/>. <paramref name="preTokenizerRegex"/>
    /// null writes a plain <c>ByteLevel</c> pre-tokenizer (GPT-2's split); a regex writes
    /// <c>Sequence[Split(regex), ByteLevel]</c> as Llama 3 and Qwen2 do (see <see cref="PreTokenizerPatterns"/>).
    /// <paramref name="mergesAsArrays"/> writes merges as <c>["a", "b"]</c> (tokenizers 0.20 and later) instead of <c>"a b"</c>.
    /// </summary>
    public void WriteTokenizerJson(string path, string? preTokenizerRegex = null, bool mergesAsArrays = false)
    {
        var byteLevel = new JsonObject
        {
            ["type"] = "ByteLevel",
            ["add_prefix_space"] = false,
            ["trim_offsets"] = true,
            ["use_regex"] = preTokenizerRegex is null,
        };
        JsonNode preTokenizer = preTokenizerRegex is null ? byteLevel : new JsonObject
        {
            ["type"] = "Sequence",
            ["pretokenizers"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "Split",
                    ["pattern"] = new JsonObject { ["Regex"] = preTokenizerRegex },
                    ["behavior"] = "Isolated",
                    ["invert"] = false,
                },
                byteLevel),
        };
        var added = new JsonArray();
        foreach (var (content, id) in specialTokens)
            added.Add(new JsonObject
            {
                ["id"] = id,
                ["content"] = content,
                ["single_word"] = false,
                ["lstrip"] = false,
                ["rstrip"] = false,
                ["normalized"] = false,
                ["special"] = true,
            });
        var vocab = new JsonObject();
        foreach (var (token, id) in tokens)
            vocab[token] = id;
        var mergeArray = new JsonArray();
        foreach (var (left, right) in merges)
            mergeArray.Add(mergesAsArrays ? new JsonArray(left, right) : JsonValue.Create(left + " " + right));
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = preTokenizer,
            ["post_processor"] = null,
            ["decoder"] = new JsonObject
            {
                ["type"] = "ByteLevel",
                ["add_prefix_space"] = true,
                ["trim_offsets"] = true,
                ["use_regex"] = true,
            },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null,
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["ignore_merges"] = false,
                ["vocab"] = vocab,
                ["merges"] = mergeArray,
            },
        };
        File.WriteAllText(path, root.ToJsonString(JsonOptions));
    }

    /// <summary>
    /// Writes a <c>tokenizer_config.json</c> naming the bos, eos and pad tokens (each optional) and
    /// the chat template source, as a Hugging Face model folder carries it.
    /// </summary>
    public static void WriteTokenizerConfig(string path, string? bosToken, string? eosToken, string? padToken = null, string? chatTemplate = null)
    {
        var root = new JsonObject
        {
            ["bos_token"] = bosToken,
            ["eos_token"] = eosToken,
            ["pad_token"] = padToken,
            ["clean_up_tokenization_spaces"] = false,
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
        };
        if (chatTemplate is not null)
            root["chat_template"] = chatTemplate;
        File.WriteAllText(path, root.ToJsonString(JsonOptions));
    }

    static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
}
