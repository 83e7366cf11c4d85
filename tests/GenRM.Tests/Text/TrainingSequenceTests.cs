using System.Text.Json;
using GenRM.Data;
using GenRM.Judging;
using GenRM.MiniWorld;
using GenRM.Text;
using GenRM.Text.Jinja;
using Xunit.Abstractions;

namespace GenRM.Tests.Text;

/// <summary>
/// Training sequences are the chat template's rendering of the whole conversation, tokenized as one
/// text, with the loss on the assistant's part: checked for every published template under
/// Fixtures/chat-templates against jinja2's renderings ("training" in each fixture, written by
/// tools/make_chat_template_reference.py), and on MiniWorld against the sequences it trained on before.
/// </summary>
public sealed class TrainingSequenceTests(ITestOutputHelper output) : IDisposable
{
    static readonly string Folder = TestPaths.Fixtures("chat-templates");

    /// <summary>The markers the published templates write, each an added token of its model's tokenizer.</summary>
    static readonly string[] Markers =
    [
        "<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>", "<|end_of_text|>", "<|im_start|>", "<|im_end|>", "<|endoftext|>",
        "<|im_sep|>", "<|system|>", "<|user|>", "<|assistant|>", "<|end|>", "[INST]", "[/INST]", "<s>", "</s>", "<bos>", "<start_of_turn>", "<end_of_turn>",
        "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "<｜User｜>", "<｜Assistant｜>", "<|start_of_role|>", "<|end_of_role|>", "<think>", "</think>",
        "<|start|>", "<|message|>", "<|channel|>", "<|return|>",
    ];

    /// <summary>Merges that make multi-byte tokens, "\n\n" among them (the token that can span a prompt's end and a reply's start).</summary>
    static readonly (string, string)[] Merges = [("\n", "\n"), (" ", "t"), ("h", "e"), (" t", "he"), ("i", "s"), (" ", "is"), ("[", "["), ("]", "]"), ("4", "."), (" ", "A")];

    readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    static int[] Joined(int[] prompt, int[] completion) => [.. prompt, .. completion];

    public static TheoryData<string> Families => new(Directory.GetFiles(Folder, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!);

    HuggingFaceTokenizer Tokenizer(IEnumerable<string> specialTokens)
    {
        string path = temp.File($"tokenizer-{Guid.NewGuid():N}.json");
        ByteLevelVocabulary.Create(Merges, specialTokens.Distinct(StringComparer.Ordinal)).WriteTokenizerJson(path, PreTokenizerPatterns.Qwen2);
        return HuggingFaceTokenizer.Load(path);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void TrainingSequenceIsTheWholeChatTokenizedWithTheLossOnTheAssistantPart(string family)
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, family + ".json")));
        var root = fixture.RootElement;
        string source = File.ReadAllText(Path.Combine(Folder, root.GetProperty("template").GetString()!));
        var tokens = root.GetProperty("special_tokens").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        var tokenizer = Tokenizer([.. Markers, .. tokens.Values]);
        var clock = FixedClock.Of(root);
        int compared = 0, refused = 0, spanning = 0, promptNotRepeated = 0;
        foreach (var item in root.GetProperty("training").EnumerateArray())
        {
            var messages = item.GetProperty("messages").EnumerateArray()
                .Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!)).ToList();
            string response = item.GetProperty("response").GetString()!;
            var variables = item.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
            var template = ChatTemplates.Detect(source, tokens, $"/models/{family}/tokenizer_config.json", TextWriter.Null, variables, clock);
            var encoder = new ConversationEncoder(tokenizer, template, TextWriter.Null);
            string label = $"{family}: {JsonSerializer.Serialize(messages.Select(m => m.Content))} + {JsonSerializer.Serialize(response)} {item.GetProperty("variables")}";
            if (item.TryGetProperty("error", out var error))
            {
                var raised = Assert.Throws<JinjaRaisedException>(() => encoder.Completion(messages, response));
                Assert.Equal(error.GetString(), raised.Message);
                refused++;
                continue;
            }
            compared++;
            var (prompt, completion) = encoder.Completion(messages, response);
            int[] inference = encoder.Prompt(messages);

            // The sequence is jinja2's whole-chat text tokenized as one; the prompt the model generates after is jinja2's.
            Assert.True(tokenizer.Encode(item.GetProperty("whole").GetString()!).SequenceEqual([.. prompt, .. completion]), $"{label}: not the whole chat's tokens");
            Assert.True(tokenizer.Encode(item.GetProperty("prompt").GetString()!).SequenceEqual(inference), $"{label}: not the inference prompt's tokens");
            // Unmasked tokens are exactly those the inference prompt starts with.
            Assert.True(inference.AsSpan().StartsWith(prompt), $"{label}: the unmasked tokens are not the inference prompt's start");

            // The masked part decodes to the assistant's part as TRL splits the text; only its first token may start before
            // that split (a token spanning it, or one that differs from the prompt's token there).
            string assistantPart = item.GetProperty("assistant_part").GetString()!;
            string learned = tokenizer.Decode(completion);
            Assert.True(learned.EndsWith(assistantPart, StringComparison.Ordinal), $"{label}: learns {JsonSerializer.Serialize(learned)}, the assistant's part is {JsonSerializer.Serialize(assistantPart)}");
            if (learned.Length > assistantPart.Length)
            {
                spanning++;
                Assert.True(tokenizer.Decode(completion.AsSpan(1)).Length <= assistantPart.Length, $"{label}: learned tokens after the first start before the split");
            }
            if (prompt.Length < inference.Length)
                promptNotRepeated++;
        }
        Assert.True(compared >= 40, $"{family}: only {compared} training chats");
        output.WriteLine($"{family}: {compared} training chats equal to the whole-chat tokens ({refused} refused as jinja2 refused them); "
            + $"{spanning} whose first learned token starts before TRL's text split, {promptNotRepeated} where the unmasked part is shorter than the inference prompt");
    }

    [Fact]
    public void QwenReplyStartingWithANewlineLearnsTheTokenItSharesWithTheHeader()
    {
        var template = new JinjaChatTemplate(File.ReadAllText(Path.Combine(Folder, "qwen2.5.jinja")), new Dictionary<string, string> { ["eos_token"] = "<|im_end|>" });
        var tokenizer = Tokenizer(Markers);
        var encoder = new ConversationEncoder(tokenizer, template);
        var (prompt, completion) = encoder.Completion([ChatMessage.User("Hi")], "\nHello");
        int newlines = tokenizer.Encode("\n\n").Single();
        // Prompt + response encoded apart gave "\n" then "\n"; the whole text has one "\n\n" token, and it is learned.
        Assert.Equal(tokenizer.Encode("\n").Single(), encoder.Prompt([ChatMessage.User("Hi")])[^1]);
        Assert.Equal(newlines, completion[0]);
        Assert.Equal("\n\nHello<|im_end|>\n", tokenizer.Decode(completion));
        Assert.Equal(tokenizer.Encode(template.Render([ChatMessage.User("Hi"), ChatMessage.Assistant("\nHello")], addGenerationPrompt: false)), Joined(prompt, completion));
    }

    [Fact]
    public void PreferencePairsShareThePromptBothWholeChatsStartWith()
    {
        var template = new JinjaChatTemplate(File.ReadAllText(Path.Combine(Folder, "qwen2.5.jinja")), new Dictionary<string, string> { ["eos_token"] = "<|im_end|>" });
        var tokenizer = Tokenizer(Markers);
        var encoder = new ConversationEncoder(tokenizer, template);
        ChatMessage[] chat = [ChatMessage.User("Hi")];
        var (prompt, chosen, rejected) = encoder.Completions(chat, "\nA", "B");
        Assert.Equal(encoder.Completion(chat, "\nA").Prompt, prompt);
        Assert.Equal(tokenizer.Encode(template.Render([.. chat, ChatMessage.Assistant("\nA")], addGenerationPrompt: false)), Joined(prompt, chosen));
        Assert.Equal(tokenizer.Encode(template.Render([.. chat, ChatMessage.Assistant("B")], addGenerationPrompt: false)), Joined(prompt, rejected));
        Assert.Equal("\nB<|im_end|>\n", tokenizer.Decode(rejected));
    }

    /// <summary>MiniWorld's template and tokenizer keep every training sequence of the committed results: prompt + response + end of turn, encoded apart.</summary>
    [Fact]
    public void MiniWorldSequencesAreTheOnesItTrainedOnBefore()
    {
        var tokenizer = new MiniWorldTokenizer();
        var template = new MiniWorldChatTemplate();
        var encoder = new ConversationEncoder(tokenizer, template);
        var format = new MiniWorldJudgePromptFormat();
        int[] Before(IReadOnlyList<ChatMessage> messages, string response) =>
            [.. tokenizer.Encode(template.Render(messages, addGenerationPrompt: true)), .. tokenizer.Encode(response + MiniWorldTokenizer.End)];
        var world = MiniWorldSplits.Generate(MiniWorldConfig.Smoke, 5);
        var pairs = world.TrainPairs.Concat(world.EvaluationPairs).ToArray();
        int checkedSequences = 0;
        foreach (var pair in pairs)
        {
            int[] prompt = tokenizer.Encode(template.Render(pair.Prompt, addGenerationPrompt: true));
            var (shared, chosen, rejected) = encoder.Completions(pair.Prompt, pair.Chosen, pair.Rejected);
            Assert.Equal(prompt, shared);
            Assert.Equal(Before(pair.Prompt, pair.Chosen), Joined(shared, chosen));
            Assert.Equal(Before(pair.Prompt, pair.Rejected), Joined(shared, rejected));
            var judgePrompt = format.ChainOfThought(pair.Prompt, pair.Chosen, pair.Rejected);
            string rationale = format.Reply("the first is right", Verdict.A);
            var (judgePromptIds, reply) = encoder.Completion(judgePrompt, rationale);
            Assert.Equal(tokenizer.Encode(template.Render(judgePrompt, addGenerationPrompt: true)), judgePromptIds);
            Assert.Equal(Before(judgePrompt, rationale), Joined(judgePromptIds, reply));
            checkedSequences += 3;
        }
        // The judges' training sets built through JudgeTrainingData are the same sequences.
        var bradleyTerry = JudgeTrainingData.BradleyTerry(pairs, encoder);
        Assert.All(bradleyTerry.Zip(pairs), e => Assert.Equal(Before(e.Second.Prompt, e.Second.Chosen), Joined(e.First.Prompt, e.First.Chosen)));
        var verdicts = JudgeTrainingData.Verdicts(pairs, encoder, format);
        Assert.Equal(2 * pairs.Length, verdicts.Count);
        Assert.Equal(Before(format.Direct(pairs[0].Prompt, pairs[0].Chosen, pairs[0].Rejected), format.Reply(null, Verdict.A)), Joined(verdicts[0].Prompt, verdicts[0].Completion));
        Assert.True(checkedSequences >= 3 * 200, $"only {checkedSequences} sequences");
    }

    [Fact]
    public void ATemplateThatMovesTheSystemMessageOnceAReplyFollowsIsTrainedAsRenderedAndSaysSo()
    {
        // Mistral Nemo writes the system message into the last user turn only when that turn ends the chat.
        var template = new JinjaChatTemplate(File.ReadAllText(Path.Combine(Folder, "mistral-nemo.jinja")), new Dictionary<string, string> { ["bos_token"] = "<s>", ["eos_token"] = "</s>" }, name: "mistral-nemo");
        var tokenizer = Tokenizer(Markers);
        var notices = new StringWriter();
        var encoder = new ConversationEncoder(tokenizer, template, notices);
        ChatMessage[] chat = [ChatMessage.System("Judge."), ChatMessage.User("Which?")];
        var (prompt, completion) = encoder.Completion(chat, "A");
        encoder.Completion(chat, "B");
        Assert.Equal("<s>[INST]Judge.\n\nWhich?[/INST]", tokenizer.Decode(encoder.Prompt(chat)));
        Assert.Equal("<s>[INST]", tokenizer.Decode(prompt));
        Assert.Equal("Which?[/INST]A</s>", tokenizer.Decode(completion));
        Assert.StartsWith("Chat template mistral-nemo renders the conversation before the reply differently once a reply follows", Assert.Single(notices.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);

        var quiet = new StringWriter();
        new ConversationEncoder(tokenizer, template, quiet).Completion([ChatMessage.User("Which?")], "A");
        Assert.Equal("", quiet.ToString());
    }
}
