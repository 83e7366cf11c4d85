using System.Text.Json;
using GenRM.Data;
using GenRM.Text;
using GenRM.Text.Jinja;
using Xunit.Abstractions;

namespace GenRM.Tests.Text;

/// <summary>
/// Chat templates with <c>{% generation %}</c> blocks give transformers' assistant mask
/// (<c>apply_chat_template(..., return_assistant_tokens_mask=True, return_dict=True)</c>, what TRL's
/// <c>assistant_only_loss</c> trains on). Fixtures/assistant-masks holds TRL's published training
/// templates (Llama 3, Qwen2.5, Qwen3) with the real tokenizers, and one written here with three
/// synthetic tokenizers (byte-level; SentencePiece-style with byte fallback; NFKC with
/// RobertaProcessing's trimmed offsets): jinja2's rendering and generation spans as transformers'
/// AssistantTracker records them, the Rust library's ids and its <c>char_to_token</c> mask
/// (tools/make_assistant_mask_reference.py, then tools/hfref/tokenizers-node/assistant-masks.js).
/// Per chat the rendering, spans, ids and mask must be equal, and a chat ending with an assistant
/// reply must train as <see cref="ConversationEncoder.Completion"/> says: the marked run after its
/// prompt when the mask is one run, refused otherwise.
/// </summary>
public sealed class AssistantMaskTests(ITestOutputHelper output)
{
    static readonly string Folder = TestPaths.Fixtures("assistant-masks");

    public static TheoryData<string> Families => new(Directory.GetFiles(Folder, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!);

    static List<ChatMessage> Messages(JsonElement item) =>
        [.. item.GetProperty("messages").EnumerateArray().Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!))];

    static int[] Numbers(JsonElement array) => [.. array.EnumerateArray().Select(n => n.GetInt32())];

    static string Show(IEnumerable<int> numbers) => $"[{string.Join(", ", numbers)}]";

    [SkippableTheory]
    [MemberData(nameof(Families))]
    public void AssistantMaskEqualsTransformers(string family)
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, family + ".json")));
        var root = fixture.RootElement;
        string name = root.GetProperty("tokenizer").GetString()!;
        string path = name.StartsWith("synthetic", StringComparison.Ordinal)
            ? TestPaths.Fixtures("tokenizers", name + ".tokenizer.json")
            : RealTokenizers.PathOrSkip(name, $"the {family} assistant masks");
        RealTokenizers.AssertIsTheReferenceFile(path, root.GetProperty("sha256").GetString()!);
        var tokenizer = HuggingFaceTokenizer.Load(path);
        var specialTokens = root.GetProperty("special_tokens").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        var template = new JinjaChatTemplate(File.ReadAllText(Path.Combine(Folder, root.GetProperty("template").GetString()!)), specialTokens, name: family);
        Assert.True(template.HasGenerationBlocks);
        var encoder = new ConversationEncoder(tokenizer, template, TextWriter.Null);
        var mismatches = new List<string>();
        int chats = 0, marked = 0, completions = 0, refused = 0, pairs = 0;
        foreach (var item in root.GetProperty("cases").EnumerateArray())
        {
            var messages = Messages(item);
            string label = JsonSerializer.Serialize(messages.Select(m => m.Content));
            if (item.TryGetProperty("error", out var error))
            {
                Assert.Equal(error.GetString(), Assert.Throws<JinjaRaisedException>(() => template.RenderWithGenerationSpans(messages, addGenerationPrompt: false)).Message);
                continue;
            }
            chats++;
            string text = item.GetProperty("text").GetString()!;
            var rendered = template.RenderWithGenerationSpans(messages, addGenerationPrompt: false);
            if (rendered.Text != text)
            {
                mismatches.Add($"{label}: rendered {JsonSerializer.Serialize(rendered.Text)}, jinja2 {JsonSerializer.Serialize(text)}");
                continue;
            }
            var positions = new CodePointPositions(text);
            int[] spans = [.. rendered.GenerationSpans.SelectMany(s => new[] { positions.CodePoint(s.Start), positions.CodePoint(s.End) })];
            int[] expectedSpans = [.. item.GetProperty("generation_spans").EnumerateArray().SelectMany(Numbers)];
            if (!spans.SequenceEqual(expectedSpans))
                mismatches.Add($"{label}: generation spans {Show(spans)}, transformers {Show(expectedSpans)}");

            int[] expectedIds = Numbers(item.GetProperty("ids")), expectedMask = Numbers(item.GetProperty("assistant_masks"));
            var (ids, mask) = encoder.AssistantTokens(messages);
            if (!ids.SequenceEqual(expectedIds))
                mismatches.Add($"{label}: ids {Show(ids)}, Rust library {Show(expectedIds)}");
            else if (!mask.Select(m => m ? 1 : 0).SequenceEqual(expectedMask))
                mismatches.Add($"{label}: mask {Show(mask.Select(m => m ? 1 : 0))}, transformers {Show(expectedMask)}");
            int first = Array.IndexOf(expectedMask, 1), last = Array.LastIndexOf(expectedMask, 1);
            if (first >= 0)
                marked++;
            if (messages is not [.., { Role: ChatMessage.AssistantRole } reply])
                continue;
            // As a training sequence: the reply's marked run after its prompt, or refused when the mask is not one run.
            if (first >= 0 && expectedMask[first..(last + 1)].All(m => m == 1))
            {
                var (prompt, completion) = encoder.Completion(messages[..^1], reply.Content);
                if (!prompt.AsSpan().SequenceEqual(expectedIds.AsSpan(0, first)) || !completion.AsSpan().SequenceEqual(expectedIds.AsSpan(first, last + 1 - first)))
                    mismatches.Add($"{label}: Completion gave {Show(prompt)} + {Show(completion)}, the mask marks {first}..{last} of {Show(expectedIds)}");
                completions++;
            }
            else
            {
                Assert.Throws<InvalidOperationException>(() => encoder.Completion(messages[..^1], reply.Content));
                refused++;
                if (first < 0)
                    continue;
                // As a preference pair the reply is its last marked run; the history's turns are prompt.
                int lastRun = Array.LastIndexOf(expectedMask, 0, last) + 1;
                var (pairPrompt, chosen, rejected) = encoder.Completions(messages[..^1], reply.Content, reply.Content);
                if (!pairPrompt.AsSpan().SequenceEqual(expectedIds.AsSpan(0, lastRun)) || !chosen.AsSpan().SequenceEqual(expectedIds.AsSpan(lastRun, last + 1 - lastRun)) || !chosen.SequenceEqual(rejected))
                    mismatches.Add($"{label}: Completions gave {Show(pairPrompt)} + {Show(chosen)}, the mask's last run is {lastRun}..{last} of {Show(expectedIds)}");
                pairs++;
            }
        }
        output.WriteLine($"{family}: {chats} chats ({marked} with marked tokens), {completions} training sequences split at the mask, {refused} refused (mask empty or not one run; {pairs} of them split as pairs at the last run), {mismatches.Count} mismatches");
        Assert.True(chats >= 40 && completions >= 40, $"{family}: only {chats} chats and {completions} training sequences");
        Assert.True(mismatches.Count == 0, $"{family}: {mismatches.Count} differences from transformers, first ones:\n" + string.Join("\n", mismatches.Take(6)));
    }

    [Theory]
    [InlineData("A{% generation %}BC{% endgeneration %}D", "ABCD", new[] { 1, 3 })]
    // Nothing output before the first: transformers' tracker records it not; the second it does.
    [InlineData("{% generation %}AB{% endgeneration %}C{% generation %}D{% endgeneration %}", "ABCD", new[] { 3, 4 })]
    // Output before the first block or a recorded one: recorded, empty ones too.
    [InlineData("x{% generation %}{% endgeneration %}{% generation %}Y{% endgeneration %}", "xY", new[] { 1, 1, 1, 2 })]
    // jinja2 yields an empty chunk for an empty output or generation block, and the tracker then
    // records (jinja2 3.1 with the reference's tracker gave each of these); text lstrip_blocks removed,
    // a false branch or a set block's capture yield nothing.
    [InlineData("{{ '' }}{% generation %}AB{% endgeneration %}", "AB", new[] { 0, 2 })]
    [InlineData("{% generation %}{% endgeneration %}{% generation %}A{% endgeneration %}", "A", new[] { 0, 1 })]
    [InlineData("{% macro m() %}{% endmacro %}{{ m() }}{% generation %}A{% endgeneration %}", "A", new[] { 0, 1 })]
    [InlineData("{% if false %}x{% endif %}{% generation %}AB{% endgeneration %}", "AB", new int[0])]
    [InlineData("{% set s %}{{ '' }}{% endset %}{% generation %}A{% endgeneration %}", "A", new int[0])]
    [InlineData("   {% generation %}A{% endgeneration %}", "A", new int[0])]
    // Inside a macro or a set block the block is counted from the template's own output so far, as transformers counts it.
    [InlineData("{% macro m() %}ab{% generation %}C{% endgeneration %}{% endmacro %}xy{{ m() }}", "xyabC", new[] { 2, 3 })]
    [InlineData("x{% set s %}{% generation %}AB{% endgeneration %}{% endset %}yz{{ s }}", "xyzAB", new[] { 1, 3 })]
    // A block inside another: the inner one first, both from where the outer one starts.
    [InlineData("x{% generation %}a{% generation %}B{% endgeneration %}{% endgeneration %}", "xaB", new[] { 1, 2, 1, 3 })]
    public void GenerationSpansAreWhereTransformersRecordsThem(string source, string text, int[] spans)
    {
        var rendered = JinjaTemplate.Parse(source).RenderWithGenerationSpans(new Dictionary<string, object?>());
        Assert.Equal(text, rendered.Text);
        Assert.Equal(spans, rendered.GenerationSpans.SelectMany(s => new[] { s.Start, s.End }));
        Assert.Equal(text, JinjaTemplate.Parse(source).Render(new Dictionary<string, object?>()));
    }

    [Fact]
    public void TokensAreMarkedFromTheOneHoldingASpansFirstCharacterThroughTheOneHoldingItsLast()
    {
        var tokens = new TokenizedText([10, 11, 12, 13, 14], [new(0, 2), new(2, 5), new(5, 6), new(6, 6), new(7, 9)]);
        // A span starting inside token 1 and ending inside token 2 marks both.
        Assert.Equal(new[] { false, true, true, false, false }, Mask(tokens, new CharSpan(3, 6)));
        // A last character no token holds (6: token 3 is empty) marks through the end, as transformers does.
        Assert.Equal(new[] { false, true, true, true, true }, Mask(tokens, new CharSpan(3, 7)));
        // A first character no token holds stops the marking, later spans included.
        Assert.Equal(new[] { false, false, false, false, false }, Mask(tokens, new CharSpan(6, 8), new CharSpan(0, 2)));
        // A span whose last character is in token 0 marks through the end (transformers tests the index for truth).
        Assert.Equal(new[] { true, true, true, true, true }, Mask(tokens, new CharSpan(0, 1)));
    }

    static bool[] Mask(TokenizedText tokens, params CharSpan[] spans)
    {
        var tokenizer = new FixedTokenizer(tokens);
        var template = new SpanTemplate(spans);
        return new ConversationEncoder(tokenizer, template, TextWriter.Null).AssistantTokens([ChatMessage.User("x")]).Mask;
    }

    [Fact]
    public void AMaskOfMoreThanOneRunIsRefusedByCompletionAndGivenWholeByAssistantTokens()
    {
        var tokenizer = HuggingFaceTokenizer.Load(TestPaths.Fixtures("tokenizers", "synthetic-deepseek-style.tokenizer.json"));
        var template = new JinjaChatTemplate(File.ReadAllText(Path.Combine(Folder, "chatml-generation.jinja")), name: "chatml-generation");
        var encoder = new ConversationEncoder(tokenizer, template, TextWriter.Null);
        List<ChatMessage> history = [ChatMessage.User("Hi"), ChatMessage.Assistant("Hello!"), ChatMessage.User("Add 2+2.")];
        var (_, mask) = encoder.AssistantTokens([.. history, ChatMessage.Assistant("4")]);
        int runs = mask.Select((m, i) => m && (i == 0 || !mask[i - 1])).Count(start => start);
        Assert.Equal(2, runs);
        var error = Assert.Throws<InvalidOperationException>(() => encoder.Completion(history, "4"));
        Assert.Contains("chatml-generation", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ConversationEncoder.AssistantTokens), error.Message, StringComparison.Ordinal);
        // One turn: from the reply through the token holding the end-of-turn text's last character.
        var (prompt, completion) = encoder.Completion([ChatMessage.User("Hi")], "4");
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", tokenizer.Decode(prompt));
        Assert.StartsWith("4<|im_end|>", tokenizer.Decode(completion), StringComparison.Ordinal);
        // A pair shares that prompt.
        var (pairPrompt, chosen, rejected) = encoder.Completions([ChatMessage.User("Hi")], "4", "5");
        Assert.Equal(prompt, pairPrompt);
        Assert.Equal(completion, chosen);
        Assert.StartsWith("5<|im_end|>", tokenizer.Decode(rejected), StringComparison.Ordinal);
    }

    [Fact]
    public void ATemplateWithoutGenerationBlocksKeepsThePrefixSplitAndMarksNothing()
    {
        var tokenizer = HuggingFaceTokenizer.Load(TestPaths.Fixtures("tokenizers", "synthetic-deepseek-style.tokenizer.json"));
        string source = File.ReadAllText(Path.Combine(Folder, "chatml-generation.jinja"))
            .Replace("{%- generation %}", "", StringComparison.Ordinal).Replace("{%- endgeneration %}", "", StringComparison.Ordinal);
        var template = new JinjaChatTemplate(source, name: "chatml");
        Assert.False(template.HasGenerationBlocks);
        var encoder = new ConversationEncoder(tokenizer, template, TextWriter.Null);
        var (prompt, completion) = encoder.Completion([ChatMessage.User("Hi")], "4");
        Assert.Equal(encoder.Prompt([ChatMessage.User("Hi")]), prompt);
        Assert.Equal("4<|im_end|>\n", tokenizer.Decode(completion));
        Assert.Contains("no {% generation %} blocks", Assert.Throws<InvalidOperationException>(() => encoder.AssistantTokens([ChatMessage.User("Hi")])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATokenizerWithoutOffsetsIsRefusedNamingTheTemplate()
    {
        var template = new JinjaChatTemplate(File.ReadAllText(Path.Combine(Folder, "chatml-generation.jinja")), name: "chatml-generation");
        var encoder = new ConversationEncoder(new GenRM.Tests.Modeling.ByteTokenizer(), template, TextWriter.Null);
        var error = Assert.Throws<InvalidOperationException>(() => encoder.Completion([ChatMessage.User("Hi")], "4"));
        Assert.Contains("chatml-generation", error.Message, StringComparison.Ordinal);
        Assert.Contains("offsets", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A tokenizer that gives fixed tokens whatever the text.</summary>
    sealed class FixedTokenizer(TokenizedText tokens) : ITokenizerWithOffsets
    {
        public int VocabSize => 100;

        public int? BosId => null;

        public IReadOnlyList<int> EosIds => [];

        public int PadId => 0;

        public int[] Encode(string text, bool addSpecialTokens = false) => tokens.Ids;

        public TokenizedText EncodeWithOffsets(string text, bool addSpecialTokens = false) => tokens;

        public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false) => "";

        public int? TokenToId(string token) => null;
    }

    /// <summary>A template whose rendering has fixed generation spans.</summary>
    sealed class SpanTemplate(CharSpan[] spans) : IChatTemplate
    {
        public string Name => "spans";

        public bool HasGenerationBlocks => true;

        public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt) => "0123456789";

        public RenderedText RenderWithGenerationSpans(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt) => new(Render(messages, addGenerationPrompt), spans);
    }
}
