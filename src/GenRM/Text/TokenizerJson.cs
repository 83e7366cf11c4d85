using System.Text.Json;
using GenRM.IO;

namespace GenRM.Text;

/// <summary>
/// One entry of <c>added_tokens</c> in a Hugging Face <c>tokenizer.json</c>. Every added token is
/// matched in text; only special ones are dropped by <c>Decode(skipSpecialTokens: true)</c>.
/// </summary>
internal sealed record AddedToken(int Id, string Content, bool Special);

/// <summary>
/// What <see cref="HuggingFaceTokenizer"/> needs from a Hugging Face <c>tokenizer.json</c>: a
/// byte-level BPE model (vocabulary, merges in rank order), the added tokens, the pre-tokenizer
/// regex and the normalizer. Anything else is rejected with a <see cref="BadInputException"/>,
/// because a silently different pipeline would give different ids.
/// </summary>
internal sealed record TokenizerJson(
    IReadOnlyDictionary<string, int> Vocabulary,
    IReadOnlyList<string> Merges,
    IReadOnlyList<AddedToken> AddedTokens,
    string PreTokenizerRegex,
    bool NormalizeNfc,
    bool IgnoreMerges)
{
    /// <summary>The largest id of the vocabulary or the added tokens, plus one.</summary>
    public int IdCount => Math.Max(Vocabulary.Values.Max(), AddedTokens.Select(t => t.Id).DefaultIfEmpty(-1).Max()) + 1;

    public static TokenizerJson Read(string path)
    {
        JsonDocument document = JsonFile.Parse(path);
        using (document)
            return JsonFile.Interpret(path, () => Read(path, document.RootElement));
    }

    static TokenizerJson Read(string path, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw BadInputException.About(path, "expected a JSON object");
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
            throw BadInputException.About(path, "missing the \"model\" object");
        if (model.TryGetProperty("type", out var type) && type.GetString() != "BPE")
            throw BadInputException.About(path, $"model type \"{type}\" is not supported (only byte-level BPE)", "model.type");

        var vocabulary = ReadVocabulary(path, model);
        return new TokenizerJson(
            vocabulary,
            ReadMerges(path, model, vocabulary),
            ReadAddedTokens(path, root),
            ReadPreTokenizerRegex(path, root),
            ReadNormalizer(path, root),
            model.TryGetProperty("ignore_merges", out var ignore) && ignore.ValueKind == JsonValueKind.True);
    }

    static Dictionary<string, int> ReadVocabulary(string path, JsonElement model)
    {
        if (!model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object)
            throw BadInputException.About(path, "missing the vocabulary object", "model.vocab");
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocab.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out int id) || id < 0)
                throw BadInputException.About(path, "the id is not a non-negative integer", $"model.vocab[\"{entry.Name}\"]");
            result[entry.Name] = id;
        }
        if (result.Count == 0)
            throw BadInputException.About(path, "the vocabulary is empty", "model.vocab");
        for (int b = 0; b < 256; b++)
        {
            string symbol = ByteLevelAlphabet.Symbol((byte)b).ToString();
            if (!result.ContainsKey(symbol))
                throw BadInputException.About(path, $"not a byte-level vocabulary: the symbol \"{symbol}\" for byte {b} is missing", "model.vocab");
        }
        return result;
    }

    // Merges come as "a b" strings (older files) or as ["a", "b"] arrays (tokenizers >= 0.20).
    // Byte-level symbols never contain a space, so both forms become "a b".
    // Each side must be a token and no pair may repeat: the BPE library would otherwise throw its own errors.
    static List<string> ReadMerges(string path, JsonElement model, Dictionary<string, int> vocabulary)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (!model.TryGetProperty("merges", out var merges) || merges.ValueKind != JsonValueKind.Array)
            throw BadInputException.About(path, "missing the merges array", "model.merges");
        var result = new List<string>(merges.GetArrayLength());
        int index = 0;
        foreach (var merge in merges.EnumerateArray())
        {
            string? pair = merge.ValueKind switch
            {
                JsonValueKind.String => merge.GetString(),
                JsonValueKind.Array when merge.GetArrayLength() == 2
                    && merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String
                    && !merge[0].GetString()!.Contains(' ', StringComparison.Ordinal)
                    => merge[0].GetString() + " " + merge[1].GetString(),
                _ => null,
            };
            string[]? sides = pair?.Split(' ');
            if (sides is not { Length: 2 })
                throw BadInputException.About(path, "expected \"left right\" or [\"left\", \"right\"]", $"model.merges[{index}]");
            if (sides.FirstOrDefault(side => !vocabulary.ContainsKey(side)) is string missing)
                throw BadInputException.About(path, $"\"{missing}\" is not in the vocabulary", $"model.merges[{index}]");
            if (!seen.Add(pair!))
                throw BadInputException.About(path, $"the merge \"{pair}\" appears twice", $"model.merges[{index}]");
            result.Add(pair!);
            index++;
        }
        return result;
    }

    static List<AddedToken> ReadAddedTokens(string path, JsonElement root)
    {
        var result = new List<AddedToken>();
        if (!root.TryGetProperty("added_tokens", out var added) || added.ValueKind == JsonValueKind.Null)
            return result;
        if (added.ValueKind != JsonValueKind.Array)
            throw BadInputException.About(path, "expected an array", "added_tokens");
        int index = 0;
        foreach (var token in added.EnumerateArray())
        {
            if (token.ValueKind != JsonValueKind.Object
                || !token.TryGetProperty("id", out var id) || !id.TryGetInt32(out int value) || value < 0
                || !token.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String
                || string.IsNullOrEmpty(content.GetString()))
                throw BadInputException.About(path, "expected an object with an integer \"id\" and a non-empty \"content\"", $"added_tokens[{index}]");
            bool special = token.TryGetProperty("special", out var s) && s.ValueKind == JsonValueKind.True;
            result.Add(new AddedToken(value, content.GetString()!, special));
            index++;
        }
        return result;
    }

    // Supported: ByteLevel(use_regex) alone (GPT-2), or Sequence[Split(Regex, Isolated), ByteLevel(no regex)]
    // (Llama 3 and Qwen2, each with its own regex). add_prefix_space would change ids, so it is refused.
    static string ReadPreTokenizerRegex(string path, JsonElement root)
    {
        const string Item = "pre_tokenizer";
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind != JsonValueKind.Object)
            throw BadInputException.About(path, "missing: only byte-level pre-tokenizers are supported", Item);
        string? type = pre.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type == "ByteLevel")
        {
            CheckByteLevel(path, pre);
            if (pre.TryGetProperty("use_regex", out var useRegex) && useRegex.ValueKind == JsonValueKind.False)
                throw BadInputException.About(path, "a ByteLevel pre-tokenizer without a regex is not supported", Item);
            return PreTokenizerPatterns.Gpt2;
        }
        if (type == "Sequence" && pre.TryGetProperty("pretokenizers", out var steps)
            && steps.ValueKind == JsonValueKind.Array && steps.GetArrayLength() == 2)
        {
            var split = steps[0];
            var byteLevel = steps[1];
            if (split.TryGetProperty("type", out var st) && st.GetString() == "Split"
                && split.TryGetProperty("pattern", out var pattern) && pattern.TryGetProperty("Regex", out var regex)
                && regex.ValueKind == JsonValueKind.String
                && split.TryGetProperty("behavior", out var behavior) && behavior.GetString() == "Isolated"
                && !(split.TryGetProperty("invert", out var invert) && invert.ValueKind == JsonValueKind.True)
                && byteLevel.TryGetProperty("type", out var bt) && bt.GetString() == "ByteLevel"
                && byteLevel.TryGetProperty("use_regex", out var bu) && bu.ValueKind == JsonValueKind.False)
            {
                CheckByteLevel(path, byteLevel);
                return regex.GetString()!;
            }
        }
        throw BadInputException.About(path,
            $"pre-tokenizer \"{type}\" is not supported (only ByteLevel, or Sequence[Split(Regex, Isolated), ByteLevel] as Llama 3 and Qwen2 use)", Item);
    }

    static void CheckByteLevel(string path, JsonElement byteLevel)
    {
        if (byteLevel.TryGetProperty("add_prefix_space", out var prefix) && prefix.ValueKind == JsonValueKind.True)
            throw BadInputException.About(path, "add_prefix_space is not supported", "pre_tokenizer");
    }

    static bool ReadNormalizer(string path, JsonElement root)
    {
        if (!root.TryGetProperty("normalizer", out var normalizer) || normalizer.ValueKind == JsonValueKind.Null)
            return false;
        string? type = normalizer.TryGetProperty("type", out var t) ? t.GetString() : null;
        return type == "NFC"
            ? true
            : throw BadInputException.About(path, $"normalizer \"{type}\" is not supported (only none or NFC, as Qwen2 uses)", "normalizer");
    }
}
