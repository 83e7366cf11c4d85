using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace GenRM.Text;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> byte-level BPE tokenizer (GPT-2, Llama 3, Qwen2), giving
/// the ids Hugging Face's library gives: added tokens are matched in the text first (longest
/// first), the rest is NFC-normalized when the file asks for it, split by the file's pre-tokenizer
/// regex, and each piece is merged by Microsoft.ML.Tokenizers' byte-level BPE.
/// </summary>
/// <remarks>
/// <c>clean_up_tokenization_spaces</c> (a Python-side option of <c>transformers</c>) is not applied
/// on decode, so decoding round-trips exactly.
/// </remarks>
public sealed class HuggingFaceTokenizer : ITokenizer
{
    /// <summary>The tokenizer file of a Hugging Face model folder.</summary>
    public const string TokenizerFile = "tokenizer.json";

    /// <summary>The file naming the bos, eos and pad tokens and the chat template.</summary>
    public const string TokenizerConfigFile = "tokenizer_config.json";

    /// <summary>The file whose <c>eos_token_id</c> lists every id that ends generation.</summary>
    public const string GenerationConfigFile = "generation_config.json";

    readonly BpeTokenizer bpe;
    readonly CodePointRegex preTokenizer;
    readonly Regex? addedTokenPattern;
    readonly IReadOnlyDictionary<string, int> vocabulary;
    readonly Dictionary<int, string> idToToken;
    readonly Dictionary<string, AddedToken> addedByContent;
    readonly Dictionary<int, AddedToken> addedById;
    readonly bool normalizeNfc;
    readonly bool ignoreMerges;

    HuggingFaceTokenizer(TokenizerJson file, string tokenizerJsonPath, TokenizerConfigJson? config, string? configPath, IReadOnlyList<int>? eosIds)
    {
        vocabulary = file.Vocabulary;
        idToToken = new Dictionary<int, string>(file.Vocabulary.Count);
        foreach (var (token, id) in file.Vocabulary)
            idToToken.TryAdd(id, token);
        addedById = new Dictionary<int, AddedToken>();
        addedByContent = new Dictionary<string, AddedToken>(StringComparer.Ordinal);
        foreach (var token in file.AddedTokens)
        {
            addedById[token.Id] = token;
            addedByContent[token.Content] = token;
        }
        addedTokenPattern = addedByContent.Count == 0 ? null : new Regex(
            string.Join('|', addedByContent.Keys.OrderByDescending(c => c.Length).Select(Regex.Escape)),
            RegexOptions.CultureInvariant);
        preTokenizer = new CodePointRegex(file.PreTokenizerRegex, tokenizerJsonPath);
        normalizeNfc = file.NormalizeNfc;
        ignoreMerges = file.IgnoreMerges;
        bpe = BpeTokenizer.Create(new BpeOptions(file.Vocabulary) { Merges = file.Merges, ByteLevel = true });
        VocabSize = file.IdCount;

        int? IdOf(string? name, string field) => name is null ? null
            : TokenToId(name) ?? throw BadInputException.About(configPath!, $"token \"{name}\" is not in the tokenizer's vocabulary", field);

        BosId = IdOf(config?.BosToken, "bos_token");
        EosIds = eosIds ?? (IdOf(config?.EosToken, "eos_token") is int eos ? [eos] : []);
        PadId = IdOf(config?.PadToken, "pad_token") ?? (EosIds.Count > 0 ? EosIds[0] : 0);
        ChatTemplateSource = config?.ChatTemplate;
        ChatTemplateFile = configPath;
        var specialTokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, token) in new[] { ("bos_token", config?.BosToken), ("eos_token", config?.EosToken), ("pad_token", config?.PadToken), ("unk_token", config?.UnkToken) })
            if (token is not null)
                specialTokens[field] = token;
        SpecialTokens = specialTokens;
    }

    /// <inheritdoc/>
    public int VocabSize { get; }

    /// <inheritdoc/>
    public int? BosId { get; }

    /// <inheritdoc/>
    public IReadOnlyList<int> EosIds { get; }

    /// <summary>The pad token's id; else the first EOS id; else 0 (padding is never attended, so any id serves).</summary>
    public int PadId { get; }

    /// <summary>The <c>chat_template</c> of <c>tokenizer_config.json</c>, for <c>ChatTemplates.Detect</c>; null when absent.</summary>
    public string? ChatTemplateSource { get; }

    /// <summary>The file <see cref="ChatTemplateSource"/> came from (for error messages); null without one.</summary>
    public string? ChatTemplateFile { get; }

    /// <summary>The special tokens <c>tokenizer_config.json</c> sets (bos_token, eos_token, pad_token, unk_token), as a chat template sees them.</summary>
    public IReadOnlyDictionary<string, string> SpecialTokens { get; }

    /// <summary>
    /// Loads <paramref name="tokenizerJsonPath"/>; token names (bos, eos, pad) and the chat template
    /// come from <paramref name="tokenizerConfigPath"/> when given. <paramref name="eosIds"/>, when
    /// given, replaces the EOS id the config names (a chat model's <c>generation_config.json</c>
    /// often lists several).
    /// </summary>
    /// <exception cref="BadInputException">A file is missing or malformed, not byte-level BPE, or names a token it lacks.</exception>
    public static HuggingFaceTokenizer Load(string tokenizerJsonPath, string? tokenizerConfigPath = null, IReadOnlyList<int>? eosIds = null)
    {
        if (!File.Exists(tokenizerJsonPath))
            throw BadInputException.About(tokenizerJsonPath, "the tokenizer file does not exist");
        var file = TokenizerJson.Read(tokenizerJsonPath);
        var config = tokenizerConfigPath is null ? null : TokenizerConfigJson.Read(tokenizerConfigPath);
        foreach (int id in eosIds ?? [])
            if (id < 0 || id >= file.IdCount)
                throw BadInputException.About(tokenizerJsonPath, $"EOS id {id} is outside the vocabulary (size {file.IdCount})");
        try
        {
            return new HuggingFaceTokenizer(file, tokenizerJsonPath, config, tokenizerConfigPath, eosIds);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // An invalid pre-tokenizer regex, or a vocabulary the BPE library refuses.
            throw BadInputException.About(tokenizerJsonPath, "the tokenizer cannot be built from this file: " + e.Message);
        }
    }

    /// <summary>
    /// Loads a Hugging Face model folder: <c>tokenizer.json</c>, plus <c>tokenizer_config.json</c>
    /// and the EOS ids of <c>generation_config.json</c> when present.
    /// </summary>
    /// <exception cref="BadInputException">See <see cref="Load"/>.</exception>
    public static HuggingFaceTokenizer FromFolder(string folder)
    {
        string config = Path.Combine(folder, TokenizerConfigFile);
        string generation = Path.Combine(folder, GenerationConfigFile);
        IReadOnlyList<int>? eos = File.Exists(generation) ? TokenizerConfigJson.ReadGenerationEosIds(generation) : null;
        return Load(Path.Combine(folder, TokenizerFile), File.Exists(config) ? config : null, eos is { Count: > 0 } ? eos : null);
    }

    /// <inheritdoc/>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 1);
        int start = 0;
        if (addedTokenPattern is not null)
        {
            foreach (Match match in addedTokenPattern.Matches(text))
            {
                EncodeOrdinary(text[start..match.Index], ids);
                ids.Add(addedByContent[match.Value].Id);
                start = match.Index + match.Length;
            }
        }
        EncodeOrdinary(text[start..], ids);
        return [.. ids];
    }

    void EncodeOrdinary(string segment, List<int> ids)
    {
        if (segment.Length == 0)
            return;
        if (normalizeNfc)
            segment = segment.Normalize(NormalizationForm.FormC);
        int start = 0;
        // Hugging Face's Split(Isolated) keeps the text between matches as pieces too.
        foreach (var (index, length) in preTokenizer.Matches(segment))
        {
            EncodePiece(segment[start..index], ids);
            EncodePiece(segment.Substring(index, length), ids);
            start = index + length;
        }
        EncodePiece(segment[start..], ids);
    }

    void EncodePiece(string piece, List<int> ids)
    {
        if (piece.Length == 0)
            return;
        // ignore_merges (Llama 3): a piece that is itself a vocabulary entry is taken whole, as tiktoken does.
        if (ignoreMerges && vocabulary.TryGetValue(ByteLevelAlphabet.Encode(piece), out int whole))
        {
            ids.Add(whole);
            return;
        }
        ids.AddRange(bpe.EncodeToIds(piece, considerPreTokenization: false, considerNormalization: false));
    }

    /// <summary>
    /// Decodes ids to text; byte sequences that are not valid UTF-8 become U+FFFD, and ids without a
    /// token (embedding rows beyond the vocabulary) are skipped, as Hugging Face does.
    /// </summary>
    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false)
    {
        var text = new StringBuilder();
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            if (addedById.TryGetValue(id, out var added))
            {
                if (skipSpecialTokens && added.Special)
                    continue;
                Flush();
                text.Append(added.Content);
            }
            else if (idToToken.TryGetValue(id, out string? token))
            {
                ByteLevelAlphabet.AppendBytes(token, bytes);
            }
        }
        Flush();
        return text.ToString();

        void Flush()
        {
            text.Append(Encoding.UTF8.GetString([.. bytes]));
            bytes.Clear();
        }
    }

    /// <inheritdoc/>
    public int? TokenToId(string token) =>
        addedByContent.TryGetValue(token, out var added) ? added.Id
        : vocabulary.TryGetValue(token, out int id) ? id
        : null;
}
