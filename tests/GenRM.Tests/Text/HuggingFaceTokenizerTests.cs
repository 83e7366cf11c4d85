using System.Text;
using System.Text.Json.Nodes;
using GenRM.Data;
using GenRM.Text;

namespace GenRM.Tests.Text;

public sealed class HuggingFaceTokenizerTests : IDisposable
{
    // Ids by construction: bytes 0-255 (id = byte value), then merges in this order from 256,
    // then the special tokens.
    static readonly (string, string)[] Merges =
    [
        (" ", "t"),     // 256 " t"
        ("h", "e"),     // 257 "he"
        (" t", "he"),   // 258 " the"
        ("l", "l"),     // 259 "ll"
        ("he", "ll"),   // 260 "hell"
        ("hell", "o"),  // 261 "hello"
        ("e", "l"),     // 262 "el": ranked after "ll", so "ell" is e + ll, not el + l
        ("1", "2"),     // 263 "12"
    ];

    const int BeginOfText = 264, EotId = 265;

    readonly TempDirectory temp = new();
    readonly ByteLevelVocabulary vocabulary = ByteLevelVocabulary.Create(Merges, ["<|begin_of_text|>", "<|eot_id|>"]);

    public void Dispose() => temp.Dispose();

    HuggingFaceTokenizer Write(string? regex = null, bool mergesAsArrays = false)
    {
        string path = temp.File($"tokenizer-{Guid.NewGuid():N}.json");
        vocabulary.WriteTokenizerJson(path, regex, mergesAsArrays);
        return HuggingFaceTokenizer.Load(path);
    }

    [Fact]
    public void VocabularyIdsFollowBytesThenMergesThenSpecialTokens()
    {
        Assert.Equal(266, vocabulary.Size);
        Assert.Equal(258, vocabulary.IdOf(" the"));
        Assert.Equal(EotId, vocabulary.IdOf("<|eot_id|>"));
        Assert.Equal(266, Write().VocabSize);
    }

    [Theory]
    [InlineData("hello", new[] { 261 })]
    [InlineData(" the", new[] { 258 })]
    [InlineData("the", new[] { 116, 257 })]
    [InlineData("ell", new[] { 101, 259 })]
    [InlineData("hello the world", new[] { 261, 258, 32, 119, 111, 114, 108, 100 })]
    [InlineData("é😀", new[] { 195, 169, 240, 159, 152, 128 })]
    [InlineData("", new int[0])]
    public void EncodeAppliesMergesInRankOrder(string text, int[] expected) =>
        Assert.Equal(expected, Write().Encode(text));

    [Fact]
    public void MergesInArrayFormGiveTheSameIds() =>
        Assert.Equal(Write().Encode("hello the 12 ell"), Write(mergesAsArrays: true).Encode("hello the 12 ell"));

    [Fact]
    public void PreTokenizerRegexComesFromTheFile()
    {
        // Qwen2 splits every digit, so "12" never meets its merge; Llama 3 and GPT-2 keep "12" whole.
        Assert.Equal([263], Write(PreTokenizerPatterns.Llama3).Encode("12"));
        Assert.Equal([49, 50], Write(PreTokenizerPatterns.Qwen2).Encode("12"));
        Assert.Equal([32, 263], Write(PreTokenizerPatterns.Llama3).Encode(" 12"));
        Assert.Equal([263], Write().Encode("12"));
    }

    [Fact]
    public void BacktrackingPreTokenizerRegexIsAClearErrorNotAHang()
    {
        // (a+)+$ backtracks exponentially on a run of a's that ends in something else.
        string path = temp.File("tokenizer.json");
        ByteLevelVocabulary.Create([("a", "a")]).WriteTokenizerJson(path, "(a+)+$");
        var tokenizer = HuggingFaceTokenizer.Load(path);
        var error = Assert.Throws<BadInputException>(() => tokenizer.Encode(new string('a', 40) + "!"));
        Assert.Contains(path, error.Message);
        Assert.Contains("pre-tokenizer regex", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(PreTokenizerPatterns.Llama3)]
    public void LettersOutsideTheBmpSplitAsLettersLikeHuggingFace(string? regex)
    {
        // U+20000 is a letter (CJK extension B): the regex must see one letter, not two surrogates
        // that would swallow the apostrophe and keep "'s" from merging.
        string path = temp.File("tokenizer.json");
        ByteLevelVocabulary.Create([("'", "s")]).WriteTokenizerJson(path, regex);
        Assert.Equal([240, 160, 128, 128, 256], HuggingFaceTokenizer.Load(path).Encode("𠀀's"));
    }

    [Fact]
    public void SpecialTokensInTextEncodeToTheirIds()
    {
        var tokenizer = Write(PreTokenizerPatterns.Llama3);
        int[] ids = tokenizer.Encode("<|begin_of_text|>hello<|eot_id|> the<|eot_id|>");
        Assert.Equal([BeginOfText, 261, EotId, 258, EotId], ids);
        Assert.Equal("<|begin_of_text|>hello<|eot_id|> the<|eot_id|>", tokenizer.Decode(ids));
        Assert.Equal("hello the", tokenizer.Decode(ids, skipSpecialTokens: true));
    }

    [Fact]
    public void TokenToIdFindsSpecialTokensAndVocabularyEntries()
    {
        var tokenizer = Write();
        Assert.Equal(EotId, tokenizer.TokenToId("<|eot_id|>"));
        Assert.Equal(258, tokenizer.TokenToId("Ġthe"));
        Assert.Null(tokenizer.TokenToId("<|missing|>"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(PreTokenizerPatterns.Llama3)]
    [InlineData(PreTokenizerPatterns.Qwen2)]
    public void DecodeRoundTripsRandomUnicode(string? regex)
    {
        var tokenizer = Write(regex);
        var random = new Random(1234);
        for (int i = 0; i < 200; i++)
        {
            string text = RandomText(random, random.Next(0, 40));
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
        }
    }

    static string RandomText(Random random, int length)
    {
        // ASCII, Latin-1, CJK, emoji (outside the BMP), whitespace, and the special token text itself.
        string[] pool = ["a", "Z", " ", "  ", "\n", "\r\n", "\t", "7", "'s", "é", "ß", "中", "文", "😀", "👍🏽", "𝐀", "—", "<|eot_id|>", "hello", " the", "ll"];
        var text = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            if (random.Next(4) == 0)
                text.Append(char.ConvertFromUtf32(random.Next(2) == 0 ? random.Next(0x20, 0xD7FF) : random.Next(0x10000, 0x10FFFF)));
            else
                text.Append(pool[random.Next(pool.Length)]);
        }
        return text.ToString();
    }

    [Fact]
    public void DecodeReplacesInvalidUtf8AndSkipsUnknownIds()
    {
        var tokenizer = Write();
        Assert.Equal("\uFFFDa", tokenizer.Decode([195, 97]));
        Assert.Equal("a", tokenizer.Decode([97, 100_000]));
    }

    [Fact]
    public void IgnoreMergesTakesAWholeVocabularyEntry()
    {
        string path = temp.File("tokenizer.json");
        vocabulary.WriteTokenizerJson(path);
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        root["model"]!["vocab"]!["xyz"] = 300;
        File.WriteAllText(path, root.ToJsonString());
        Assert.Equal([120, 121, 122], HuggingFaceTokenizer.Load(path).Encode("xyz"));

        root["model"]!["ignore_merges"] = true;
        File.WriteAllText(path, root.ToJsonString());
        Assert.Equal([300], HuggingFaceTokenizer.Load(path).Encode("xyz"));
    }

    [Fact]
    public void DecodeWritesATokenOfNonByteSymbolsAsItsText()
    {
        string path = temp.File("tokenizer.json");
        vocabulary.WriteTokenizerJson(path);
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        root["model"]!["vocab"]!["中"] = 300;
        File.WriteAllText(path, root.ToJsonString());
        Assert.Equal("a中", HuggingFaceTokenizer.Load(path).Decode([97, 300]));
    }

    [Fact]
    public void NfcNormalizerComposesBeforeEncoding()
    {
        string path = temp.File("tokenizer.json");
        vocabulary.WriteTokenizerJson(path);
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        root["normalizer"] = new JsonObject { ["type"] = "NFC" };
        File.WriteAllText(path, root.ToJsonString());
        // "e" + combining acute (U+0301) composes to "é" (C3 A9).
        Assert.Equal([195, 169], HuggingFaceTokenizer.Load(path).Encode("e\u0301"));
    }

    [Fact]
    public void ConfigNamesBosEosAndPad()
    {
        string tokenizerPath = temp.File("tokenizer.json"), configPath = temp.File("tokenizer_config.json");
        vocabulary.WriteTokenizerJson(tokenizerPath);
        ByteLevelVocabulary.WriteTokenizerConfig(configPath, "<|begin_of_text|>", "<|eot_id|>", chatTemplate: "{{ messages }}");

        var tokenizer = HuggingFaceTokenizer.Load(tokenizerPath, configPath);
        Assert.Equal(BeginOfText, tokenizer.BosId);
        Assert.Equal([EotId], tokenizer.EosIds);
        Assert.Equal(EotId, tokenizer.PadId);
        Assert.Equal("{{ messages }}", tokenizer.ChatTemplateSource);

        var bare = HuggingFaceTokenizer.Load(tokenizerPath);
        Assert.Null(bare.BosId);
        Assert.Empty(bare.EosIds);
        Assert.Equal(0, bare.PadId);
    }

    [Theory]
    [InlineData("""{ "tokenizer_class": "LlamaTokenizerFast", "bos_token": "<s>", "eos_token": "</s>", "add_eos_token": true }""", true, true)]
    [InlineData("""{ "tokenizer_class": "LlamaTokenizer", "bos_token": "<s>", "eos_token": "</s>", "add_bos_token": false }""", false, false)]
    [InlineData("""{ "tokenizer_class": "GemmaTokenizer", "bos_token": "<s>", "eos_token": "</s>", "add_bos_token": false, "add_eos_token": true }""", false, true)]
    [InlineData("""{ "tokenizer_class": "GPTNeoXTokenizerFast", "bos_token": "<s>", "eos_token": "</s>" }""", false, false)]
    // A class that keeps tokenizer.json's post-processor (BOS only here) ignores the flags, as transformers does.
    [InlineData("""{ "tokenizer_class": "Qwen2Tokenizer", "bos_token": "<s>", "eos_token": "</s>", "add_bos_token": false, "add_eos_token": true }""", true, false)]
    [InlineData("""{ "bos_token": "<s>", "eos_token": "</s>", "add_eos_token": true }""", true, false)]
    public void AddBosAndEosTokenFlagsRebuildTheSpecialTokensForLlamaAndGemmaClasses(string config, bool bos, bool eos)
    {
        string tokenizerPath = TestPaths.Fixtures("tokenizers", "synthetic-llama2-style.tokenizer.json"), configPath = temp.File("tokenizer_config.json");
        File.WriteAllText(configPath, config);
        var tokenizer = HuggingFaceTokenizer.Load(tokenizerPath, configPath);
        int[] plain = HuggingFaceTokenizer.Load(tokenizerPath).Encode("Hello world");
        Assert.Equal([.. bos ? [tokenizer.BosId!.Value] : Array.Empty<int>(), .. plain, .. eos ? [tokenizer.EosIds[0]] : Array.Empty<int>()],
            tokenizer.Encode("Hello world", addSpecialTokens: true));
        Assert.Equal(plain, tokenizer.Encode("Hello world"));
    }

    [Fact]
    public void AddBosTokenWithoutABosTokenIsBadInputAsInTransformers()
    {
        string configPath = temp.File("tokenizer_config.json");
        File.WriteAllText(configPath, """{ "tokenizer_class": "LlamaTokenizerFast", "eos_token": "</s>", "add_bos_token": true }""");
        var error = Assert.Throws<BadInputException>(() => HuggingFaceTokenizer.Load(TestPaths.Fixtures("tokenizers", "synthetic-llama2-style.tokenizer.json"), configPath));
        Assert.Contains(configPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("add_bos_token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigTokensMayBeAddedTokenObjects()
    {
        string tokenizerPath = temp.File("tokenizer.json"), configPath = temp.File("tokenizer_config.json");
        vocabulary.WriteTokenizerJson(tokenizerPath);
        File.WriteAllText(configPath, """{ "bos_token": { "__type": "AddedToken", "content": "<|begin_of_text|>" }, "eos_token": "<|eot_id|>", "pad_token": "hello" }""");
        var tokenizer = HuggingFaceTokenizer.Load(tokenizerPath, configPath);
        Assert.Equal(BeginOfText, tokenizer.BosId);
        Assert.Equal(vocabulary.IdOf("hello"), tokenizer.PadId);
    }

    [Fact]
    public void FromFolderTakesEosIdsFromGenerationConfig()
    {
        vocabulary.WriteTokenizerJson(temp.File(HuggingFaceTokenizer.TokenizerFile));
        ByteLevelVocabulary.WriteTokenizerConfig(temp.File(HuggingFaceTokenizer.TokenizerConfigFile), "<|begin_of_text|>", "<|eot_id|>");
        File.WriteAllText(temp.File(HuggingFaceTokenizer.GenerationConfigFile), $$"""{ "bos_token_id": {{BeginOfText}}, "eos_token_id": [{{EotId}}, {{BeginOfText}}] }""");

        var tokenizer = HuggingFaceTokenizer.FromFolder(temp.Path);
        Assert.Equal([EotId, BeginOfText], tokenizer.EosIds);
        Assert.Equal(BeginOfText, tokenizer.BosId);
    }

    [Fact]
    public void ConfigNamingAMissingTokenIsBadInput()
    {
        string tokenizerPath = temp.File("tokenizer.json"), configPath = temp.File("tokenizer_config.json");
        vocabulary.WriteTokenizerJson(tokenizerPath);
        ByteLevelVocabulary.WriteTokenizerConfig(configPath, "<s>", "</s>");
        var error = Assert.Throws<BadInputException>(() => HuggingFaceTokenizer.Load(tokenizerPath, configPath));
        Assert.Contains(configPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("bos_token", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "expected a JSON object")]
    [InlineData("""{ "added_tokens": [] }""", "missing the \"model\" object")]
    [InlineData("""{ "model": { "type": "WordPiece", "vocab": { "a": 0 } } }""", "model.type: model type \"WordPiece\" is not supported")]
    [InlineData("""{ "model": { "type": "Unigram", "vocab": [["a", 0.0]] } }""", "model.type: model type \"Unigram\" is not supported")]
    [InlineData("""{ "model": { "type": "BPE", "merges": [] } }""", "model.vocab: missing")]
    [InlineData("""{ "model": { "type": "BPE", "vocab": { "a": 0, "b": 1 }, "merges": ["a b"] } }""", "model.merges[0]: \"ab\" is not in the vocabulary")]
    [InlineData("""{ "model": { "type": "BPE", "vocab": { "a": 0 }, "merges": [], "unk_token": "<unk>" } }""", "model.unk_token: \"<unk>\" is not in the vocabulary")]
    public void MalformedTokenizerFileIsBadInputNamingFileAndProblem(string json, string problem)
    {
        string path = temp.File("tokenizer.json");
        File.WriteAllText(path, json);
        var error = Assert.Throws<BadInputException>(() => HuggingFaceTokenizer.Load(path));
        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pre_tokenizer", """{ "type": "UnicodeScripts" }""", "pre_tokenizer: pre-tokenizer \"UnicodeScripts\" is not supported")]
    [InlineData("pre_tokenizer", """{ "type": "Sequence", "pretokenizers": [{ "type": "Digits" }, { "type": "CharDelimiterSplit", "delimiter": "x" }] }""", "pre_tokenizer.pretokenizers[1]: pre-tokenizer \"CharDelimiterSplit\" is not supported")]
    [InlineData("pre_tokenizer", """{ "type": "Split", "pattern": { "Regex": "a" }, "behavior": "Sideways" }""", "pre_tokenizer.behavior: split behavior \"Sideways\"")]
    [InlineData("pre_tokenizer", """{ "type": "Metaspace", "replacement": "_", "prepend_scheme": "sometimes" }""", "pre_tokenizer.prepend_scheme: expected one of always, first, never")]
    [InlineData("normalizer", """{ "type": "Precompiled", "precompiled_charsmap": "" }""", "normalizer: normalizer \"Precompiled\" is not supported")]
    [InlineData("normalizer", """{ "type": "Replace", "pattern": { "Glob": "*" }, "content": "x" }""", "normalizer.pattern: expected {\"String\": ...} or {\"Regex\": ...}")]
    [InlineData("decoder", """{ "type": "CTC" }""", "decoder: decoder \"CTC\" is not supported")]
    [InlineData("post_processor", """{ "type": "TemplateProcessing", "single": [{ "SpecialToken": { "id": "<bos>" } }, { "Sequence": { "id": "A" } }], "special_tokens": {} }""", "post_processor.single[0].SpecialToken: \"<bos>\" is not in special_tokens")]
    [InlineData("post_processor", """{ "type": "Mystery" }""", "post_processor: post-processor \"Mystery\" is not supported")]
    public void UnsupportedOrMalformedComponentIsBadInputNamingTheField(string field, string json, string problem)
    {
        string path = temp.File("tokenizer.json");
        vocabulary.WriteTokenizerJson(path);
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        root[field] = JsonNode.Parse(json);
        File.WriteAllText(path, root.ToJsonString());
        var error = Assert.Throws<BadInputException>(() => HuggingFaceTokenizer.Load(path));
        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A Llama-style file: its post-processor puts BOS first, as Hugging Face's default encoding does.</summary>
    HuggingFaceTokenizer LoadWithBosTemplate()
    {
        string path = temp.File($"tokenizer-{Guid.NewGuid():N}.json");
        vocabulary.WriteTokenizerJson(path);
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        root["post_processor"] = JsonNode.Parse("""
            { "type": "Sequence", "processors": [
                { "type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true },
                { "type": "TemplateProcessing",
                  "single": [{ "SpecialToken": { "id": "<|begin_of_text|>", "type_id": 0 } }, { "Sequence": { "id": "A", "type_id": 0 } }],
                  "special_tokens": { "<|begin_of_text|>": { "id": "<|begin_of_text|>", "ids": [264], "tokens": ["<|begin_of_text|>"] } } }] }
            """);
        File.WriteAllText(path, root.ToJsonString());
        return HuggingFaceTokenizer.Load(path);
    }

    [Fact]
    public void SpecialTokensOfThePostProcessorAreAddedOnlyWhenAsked()
    {
        var tokenizer = LoadWithBosTemplate();
        Assert.Equal([261], tokenizer.Encode("hello"));
        Assert.Equal([BeginOfText, 261], tokenizer.Encode("hello", addSpecialTokens: true));
        Assert.Equal([BeginOfText], tokenizer.Encode("", addSpecialTokens: true));
        Assert.Equal([BeginOfText, 261], tokenizer.Encode("<|begin_of_text|>hello"));
    }

    [Fact]
    public void OnlyThePlainDefaultTemplatesPromptGetsTheTokenizersBos()
    {
        // A chat template writes BOS itself (apply_chat_template(tokenize=True) adds none); a folder
        // without one gets BOS from the tokenizer, once, at the prompt's start.
        var tokenizer = LoadWithBosTemplate();
        ChatMessage[] chat = [new(ChatMessage.UserRole, "hello")];
        var plain = new ConversationEncoder(tokenizer, new PlainChatTemplate());
        Assert.Equal([BeginOfText, .. tokenizer.Encode("user: hello\nassistant: ")], plain.Prompt(chat));
        var (prompt, completion) = plain.Completion(chat, "hello");
        Assert.Equal(plain.Prompt(chat), prompt);
        Assert.Equal([BeginOfText, .. tokenizer.Encode("user: hello\nassistant: hello\n")], [.. prompt, .. completion]);
        var jinja = new ConversationEncoder(tokenizer, new JinjaChatTemplate("{{ '<|begin_of_text|>' }}{% for m in messages %}{{ m.content }}{% endfor %}"));
        Assert.Equal([BeginOfText, 261], jinja.Prompt(chat));
    }

    [Fact]
    public void MissingFileIsBadInput()
    {
        string path = temp.File("absent.json");
        var error = Assert.Throws<BadInputException>(() => HuggingFaceTokenizer.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BuilderRefusesAMergeOfUnknownTokens() =>
        Assert.Throws<ArgumentException>(() => ByteLevelVocabulary.Create([("he", "y")]));
}
