using GenRM.Text.Tokenizers;

namespace GenRM.Text;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> BPE tokenizer, giving the ids Hugging Face's library gives:
/// byte-level files (GPT-2, Llama 3, Qwen, GPT-4o, DeepSeek-V3) and SentencePiece-style ones with
/// byte fallback (Llama 2, Mistral, Gemma). As there: added tokens are found in the raw text first
/// (longest first, with their lstrip/rstrip/single_word rules), each stretch between them is
/// normalized, searched for the added tokens marked <c>normalized</c>, pre-tokenized, and each piece
/// merged by the BPE model; the post-processor's special tokens (BOS) are added only when asked.
/// Where tokenizer_config.json names a class that transformers loads as LlamaTokenizerFast,
/// GemmaTokenizerFast (or CodeLlama, Cohere, GPT-NeoX), its <c>add_bos_token</c> / <c>add_eos_token</c>
/// decide those special tokens instead of the file's post-processor, as that class's
/// <c>update_post_processor</c> does.
/// </summary>
/// <remarks>
/// Decoding follows the file's decoder as Hugging Face's library does (byte-level files round-trip
/// exactly; Llama 2's drops the space its normalizer prepended); <c>clean_up_tokenization_spaces</c>
/// (a Python-side option of <c>transformers</c>) is not applied.
/// </remarks>
public sealed class HuggingFaceTokenizer : ITokenizerWithOffsets
{
    /// <summary>The tokenizer file of a Hugging Face model folder.</summary>
    public const string TokenizerFile = "tokenizer.json";

    /// <summary>The file naming the bos, eos and pad tokens and the chat template.</summary>
    public const string TokenizerConfigFile = "tokenizer_config.json";

    /// <summary>The file whose <c>eos_token_id</c> lists every id that ends generation.</summary>
    public const string GenerationConfigFile = "generation_config.json";

    readonly BpeModel model;
    readonly INormalizer? normalizer;
    readonly IPreTokenizer? preTokenizer;
    readonly PostProcessor postProcessor;
    readonly ITokenDecoder? decoder;
    readonly AddedTokenMatcher rawAddedTokens;
    readonly AddedTokenMatcher normalizedAddedTokens;
    readonly Dictionary<int, string> idToToken;
    readonly Dictionary<string, AddedToken> addedByContent;
    readonly HashSet<string> specialContents;

    HuggingFaceTokenizer(TokenizerJson file, TokenizerConfigJson? config, string? configPath, IReadOnlyList<int>? eosIds)
    {
        model = file.Model;
        normalizer = file.Normalizer;
        preTokenizer = file.PreTokenizer;
        decoder = file.Decoder;
        idToToken = new Dictionary<int, string>(model.Vocabulary.Count);
        foreach (var (token, id) in model.Vocabulary)
            idToToken.TryAdd(id, token);
        addedByContent = new Dictionary<string, AddedToken>(StringComparer.Ordinal);
        foreach (var token in file.AddedTokens)
        {
            idToToken[token.Id] = token.Content;
            addedByContent[token.Content] = token;
        }
        specialContents = [.. file.AddedTokens.Where(t => t.Special).Select(t => t.Content)];
        rawAddedTokens = new AddedTokenMatcher(file.AddedTokens.Where(t => !t.Normalized), t => t.Content);
        // A normalized added token is looked for as its content normalized (Llama 2's "▁" prefix included).
        normalizedAddedTokens = new AddedTokenMatcher(file.AddedTokens.Where(t => t.Normalized), t => normalizer?.Normalize(t.Content) ?? t.Content);
        VocabSize = file.IdCount;

        int? IdOf(string? name, string field) => name is null ? null
            : TokenToId(name) ?? throw BadInputException.About(configPath!, $"token \"{name}\" is not in the tokenizer's vocabulary", field);

        BosId = IdOf(config?.BosToken, "bos_token");
        int? configEos = IdOf(config?.EosToken, "eos_token");
        EosIds = eosIds ?? (configEos is int eos ? [eos] : []);
        // transformers raises "add_bos_token = True but bos_token = None" (and the same for EOS).
        int[] FlaggedToken(bool added, int? id, string field) => !added ? []
            : id is int known ? [known]
            : throw BadInputException.About(configPath!, $"add_{field} is true but {field} is not set", $"add_{field}");
        postProcessor = config?.SpecialTokenFlags is (bool addBos, bool addEos)
            ? new PostProcessor(FlaggedToken(addBos, BosId, "bos_token"), FlaggedToken(addEos, configEos, "eos_token"))
            : file.PostProcessor;
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
    /// <exception cref="BadInputException">A file is missing or malformed, of a kind not supported (named with its field), or names a token it lacks.</exception>
    public static HuggingFaceTokenizer Load(string tokenizerJsonPath, string? tokenizerConfigPath = null, IReadOnlyList<int>? eosIds = null)
    {
        if (!File.Exists(tokenizerJsonPath))
            throw BadInputException.About(tokenizerJsonPath, "the tokenizer file does not exist");
        var file = TokenizerJson.Read(tokenizerJsonPath);
        var config = tokenizerConfigPath is null ? null : TokenizerConfigJson.Read(tokenizerConfigPath);
        foreach (int id in eosIds ?? [])
            if (id < 0 || id >= file.IdCount)
                throw BadInputException.About(tokenizerJsonPath, $"EOS id {id} is outside the vocabulary (size {file.IdCount})");
        return new HuggingFaceTokenizer(file, config, tokenizerConfigPath, eosIds);
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
    public int[] Encode(string text, bool addSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 1);
        Encode(text, ids, trace: null);
        return addSpecialTokens ? postProcessor.Apply(ids) : [.. ids];
    }

    /// <summary>
    /// <see cref="Encode(string, bool)"/>'s ids with the characters each stands for, as Hugging Face's
    /// encodings give them: an added token covers its match (with the whitespace its lstrip/rstrip
    /// took), a model token the characters its normalized text came from (a character the
    /// normalizer or pre-tokenizer added stands for the one it was put beside; the byte tokens of
    /// one character each stand for that whole character), then the post-processor's
    /// <c>trim_offsets</c> and its special tokens (standing for no text).
    /// </summary>
    /// <remarks>
    /// A Unicode normalizer's result follows Hugging Face's trace (NFC's "é" from "e" and a combining
    /// accent stands for the "e" alone; see <see cref="AlignedText.Normalize"/>).
    /// </remarks>
    public TokenizedText EncodeWithOffsets(string text, bool addSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 1);
        var trace = new TokenTrace();
        Encode(text, ids, trace);
        postProcessor.Trimming?.Trim(trace.Tokens, trace.Offsets, text);
        return addSpecialTokens ? new(postProcessor.Apply(ids), postProcessor.Apply(trace.Offsets)) : new([.. ids], [.. trace.Offsets]);
    }

    /// <summary>Appends the ids of <paramref name="text"/> and, when <paramref name="trace"/> is given, each token's characters and text.</summary>
    void Encode(string text, List<int> ids, TokenTrace? trace)
    {
        foreach (var (start, end, token) in AddedTokenStretches(rawAddedTokens, text))
        {
            if (token is not null)
            {
                ids.Add(token.Id);
                trace?.Add(new CharSpan(start, end), text[start..end]);
            }
            else
            {
                EncodeStretch(text[start..end], start, ids, trace);
            }
        }
    }

    /// <summary>One stretch between raw added tokens, found at <paramref name="stretchStart"/> of the encoded text.</summary>
    void EncodeStretch(string stretch, int stretchStart, List<int> ids, TokenTrace? trace)
    {
        // Offsets need each character followed through the normalizer; plain encoding skips that work.
        AlignedText? aligned = trace is null ? null
            : normalizer is null ? AlignedText.Of(stretch, stretchStart)
            : normalizer.Normalize(AlignedText.Of(stretch, stretchStart));
        string normalized = aligned?.Text ?? normalizer?.Normalize(stretch) ?? stretch;
        foreach (var (start, end, token) in AddedTokenStretches(normalizedAddedTokens, normalized))
        {
            if (token is not null)
            {
                ids.Add(token.Id);
                trace?.Add(aligned!.Origin(start, end), normalized[start..end]);
            }
            else
            {
                int[]? sources = aligned is null ? null : [.. Enumerable.Range(start, end - start)];
                EncodePiece(new Piece(normalized[start..end], stretchStart == 0 && start == 0, sources), ids, aligned, trace);
            }
        }
    }

    static List<(int Start, int End, AddedToken? Token)> AddedTokenStretches(AddedTokenMatcher matcher, string text)
    {
        var stretches = new List<(int Start, int End, AddedToken? Token)>();
        if (matcher.IsEmpty)
            stretches.Add((0, text.Length, null));
        else
            matcher.Split(text, stretches);
        return stretches;
    }

    void EncodePiece(Piece piece, List<int> ids, AlignedText? aligned, TokenTrace? trace)
    {
        if (piece.Text.Length == 0)
            return;
        if (preTokenizer is null)
        {
            EncodeWord(piece, ids, aligned, trace);
            return;
        }
        var words = new List<Piece>();
        preTokenizer.Split(piece, words);
        foreach (var word in words)
            EncodeWord(word, ids, aligned, trace);
    }

    void EncodeWord(Piece word, List<int> ids, AlignedText? aligned, TokenTrace? trace)
    {
        if (trace is null)
        {
            model.Encode(word.Text, ids);
            return;
        }
        var spans = new List<CharSpan>();
        int first = ids.Count;
        model.Encode(word.Text, ids, spans);
        // A token's units of the word, back to the normalized text's characters, back to the encoded text's.
        for (int t = 0; t < spans.Count; t++)
            trace.Add(aligned!.Origin(word.Sources![spans[t].Start], word.Sources[spans[t].End - 1] + 1), idToToken.GetValueOrDefault(ids[first + t], ""));
    }

    /// <summary>
    /// Decodes ids as Hugging Face does: each id's token (an added token's content or a vocabulary
    /// entry; ids without one are skipped), special ones dropped when <paramref name="skipSpecialTokens"/>,
    /// then the file's decoder (byte-level bytes to UTF-8 with U+FFFD for invalid sequences; "▁" to
    /// spaces and byte-fallback tokens to bytes); without a decoder the tokens joined by spaces.
    /// </summary>
    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false)
    {
        var tokens = new List<string>(ids.Length);
        foreach (int id in ids)
            if (idToToken.TryGetValue(id, out string? token) && !(skipSpecialTokens && specialContents.Contains(token)))
                tokens.Add(token);
        return decoder is null ? string.Join(' ', tokens) : string.Concat(decoder.Decode(tokens));
    }

    /// <inheritdoc/>
    public int? TokenToId(string token) =>
        addedByContent.TryGetValue(token, out var added) ? added.Id
        : model.Vocabulary.TryGetValue(token, out int id) ? id
        : null;
}
