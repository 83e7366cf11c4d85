using System.Text.Json;
using GenRM.Data;
using GenRM.Text;
using GenRM.Text.Jinja;
using Xunit.Abstractions;

namespace GenRM.Tests.Text;

/// <summary>
/// Real tokenizers with published chat templates, whole chats, against Hugging Face
/// (Fixtures/chat-tokens, written by tools/make_chat_tokens_reference.py): the ids
/// <c>apply_chat_template(tokenize=True)</c> gives (jinja2's rendering, then the Rust library's ids
/// without special tokens). Per family the template's rendering and its ids must be equal for every
/// chat, the inference prompt and every training sequence (<see cref="ConversationEncoder.Completion"/>
/// and <see cref="ConversationEncoder.Completions"/>, prompt ++ completion) must be the whole chat's
/// ids, and <c>add_bos_token</c> / <c>add_eos_token</c> of tokenizer_config.json must add what
/// transformers' Llama/Gemma tokenizer classes add. Where the family's template is the one the
/// tokenizer's own tokenizer_config.json carries, the folder is loaded as a model folder is
/// (<see cref="HuggingFaceTokenizer.FromFolder"/>, <see cref="ChatTemplates.ForTokenizer"/>). Skipped
/// when the real tokenizer files are absent.
/// </summary>
public sealed class ChatTokenReferenceTests(ITestOutputHelper output) : IDisposable
{
    static readonly string Folder = TestPaths.Fixtures("chat-tokens");

    readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    static IEnumerable<string> FamilyNames => Directory.GetFiles(Folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal);

    public static TheoryData<string> Families => new(FamilyNames);

    static List<ChatMessage> Messages(JsonElement item) =>
        [.. item.GetProperty("messages").EnumerateArray().Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!))];

    static int[] Ids(JsonElement ids) => [.. ids.EnumerateArray().Select(id => id.GetInt32())];

    static Dictionary<string, object?> Variables(JsonElement item) =>
        item.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal);

    [SkippableTheory]
    [MemberData(nameof(Families))]
    public void WholeChatIdsAndTrainingSequencesEqualHuggingFaces(string family)
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, family + ".json")));
        var root = fixture.RootElement;
        string path = RealTokenizers.PathOrSkip(root.GetProperty("tokenizer").GetString()!, $"the {family} chat references");
        RealTokenizers.AssertIsTheReferenceFile(path, root.GetProperty("sha256").GetString()!);
        string folder = Path.GetDirectoryName(path)!, config = Path.Combine(folder, HuggingFaceTokenizer.TokenizerConfigFile);
        bool committedTemplate = root.GetProperty("template").ValueKind == JsonValueKind.String;
        Skip.If(!committedTemplate && !File.Exists(config), $"{config} is absent (tools/fetch-real-tokenizers.sh fetches it); skipping {family}, whose template is that file's.");
        if (!committedTemplate)
            RealTokenizers.AssertIsTheReferenceFile(config, root.GetProperty("config_sha256").GetString()!);
        // Where the template is the one the folder's tokenizer_config.json carries, the folder is loaded as a user's
        // model folder is (tokenizer, special tokens and template from its files); else the committed template is used.
        var fromFolder = root.GetProperty("tokenizer_config_template").GetBoolean() && File.Exists(config) ? HuggingFaceTokenizer.FromFolder(folder) : null;
        var tokenizer = fromFolder ?? HuggingFaceTokenizer.Load(path);
        string? source = committedTemplate ? File.ReadAllText(TestPaths.Fixtures("chat-templates", root.GetProperty("template").GetString()!)) : null;
        var tokens = root.GetProperty("special_tokens").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        var clock = FixedClock.Of(root);
        var mismatches = new List<string>();
        // Templates that write the date (Llama 3.2's) read the fixture's clock, a folder's too.
        IChatTemplate Template(JsonElement item) => fromFolder is null
            ? ChatTemplates.Detect(source, tokens, $"/models/{family}/tokenizer_config.json", TextWriter.Null, Variables(item), clock)
            : ChatTemplates.ForTokenizer(fromFolder, TextWriter.Null, Variables(item), clock);
        void Compare(string what, int[] expected, int[] actual)
        {
            if (!expected.SequenceEqual(actual))
                mismatches.Add($"{what}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
        }

        int chats = 0, refused = 0;
        foreach (var item in root.GetProperty("cases").EnumerateArray())
        {
            var messages = Messages(item);
            bool generationPrompt = item.GetProperty("add_generation_prompt").GetBoolean();
            string label = $"chat {JsonSerializer.Serialize(messages.Select(m => m.Content))} add_generation_prompt={generationPrompt} {item.GetProperty("variables")}";
            if (item.TryGetProperty("error", out var error))
            {
                Assert.Equal(error.GetString(), Assert.Throws<JinjaRaisedException>(() => Template(item).Render(messages, generationPrompt)).Message);
                refused++;
                continue;
            }
            chats++;
            string text = Template(item).Render(messages, generationPrompt);
            if (text != item.GetProperty("text").GetString())
                mismatches.Add($"{label}: rendered {JsonSerializer.Serialize(text)}, jinja2 {item.GetProperty("text")}");
            Compare(label, Ids(item.GetProperty("ids")), tokenizer.Encode(text));
        }

        int sequences = 0, pairs = 0;
        foreach (var group in root.GetProperty("training").EnumerateArray().Where(i => !i.TryGetProperty("error", out _))
            .GroupBy(i => i.GetProperty("messages").GetRawText() + i.GetProperty("variables").GetRawText()))
        {
            var items = group.ToArray();
            var messages = Messages(items[0]);
            var encoder = new ConversationEncoder(tokenizer, Template(items[0]), TextWriter.Null);
            string label = $"training {JsonSerializer.Serialize(messages.Select(m => m.Content))} {items[0].GetProperty("variables")}";
            Compare(label + " inference prompt", Ids(items[0].GetProperty("prompt_ids")), encoder.Prompt(messages));
            foreach (var item in items)
            {
                sequences++;
                var (prompt, completion) = encoder.Completion(messages, item.GetProperty("response").GetString()!);
                Compare($"{label} + {item.GetProperty("response")}", Ids(item.GetProperty("whole_ids")), [.. prompt, .. completion]);
            }
            // A preference pair: the first reply against each other one, sharing one prompt.
            foreach (var other in items.Skip(1))
            {
                pairs++;
                var (prompt, chosen, rejected) = encoder.Completions(messages, items[0].GetProperty("response").GetString()!, other.GetProperty("response").GetString()!);
                Compare($"{label} pair, chosen", Ids(items[0].GetProperty("whole_ids")), [.. prompt, .. chosen]);
                Compare($"{label} pair, rejected {other.GetProperty("response")}", Ids(other.GetProperty("whole_ids")), [.. prompt, .. rejected]);
            }
        }
        Assert.True(chats >= 40 && sequences >= 90, $"{family}: only {chats} chats and {sequences} training sequences");
        output.WriteLine($"{family} ({(fromFolder is null ? "committed template" : "the folder's tokenizer_config.json")}): {chats} chats ({refused} refused as jinja2 refused them), {sequences} training sequences and {pairs} preference pairs compared, {mismatches.Count} mismatches");
        Assert.True(mismatches.Count == 0, $"{family}: {mismatches.Count} differences from Hugging Face, first ones:\n" + string.Join("\n", mismatches.Take(6)));
    }

    public static TheoryData<string> PostProcessorFamilies => new(FamilyNames.Where(f =>
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, f + ".json")));
        return fixture.RootElement.TryGetProperty("post_processor", out _);
    }));

    [SkippableTheory]
    [MemberData(nameof(PostProcessorFamilies))]
    public void AddBosAndEosTokenFlagsAddWhatTransformersTokenizerClassAdds(string family)
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, family + ".json")));
        var root = fixture.RootElement;
        string path = RealTokenizers.PathOrSkip(root.GetProperty("tokenizer").GetString()!, $"the {family} post-processor references");
        RealTokenizers.AssertIsTheReferenceFile(path, root.GetProperty("sha256").GetString()!);
        var plain = HuggingFaceTokenizer.Load(path);
        int settings = 0;
        foreach (var setting in root.GetProperty("post_processor").EnumerateArray())
        {
            string config = temp.File($"tokenizer_config-{settings++}.json");
            File.WriteAllText(config, setting.GetProperty("config").GetRawText());
            var tokenizer = HuggingFaceTokenizer.Load(path, config);
            foreach (var sample in setting.GetProperty("samples").EnumerateArray())
            {
                string text = sample.GetProperty("text").GetString()!;
                Assert.True(Ids(sample.GetProperty("ids")).SequenceEqual(tokenizer.Encode(text, addSpecialTokens: true)),
                    $"{family} {setting.GetProperty("config")} ({setting.GetProperty("template")}): {JsonSerializer.Serialize(text)} gives [{string.Join(", ", tokenizer.Encode(text, addSpecialTokens: true))}], expected {sample.GetProperty("ids")}");
                // Without special tokens the flags change nothing.
                Assert.Equal(plain.Encode(text), tokenizer.Encode(text));
            }
        }
        Assert.True(settings >= 4, $"{family}: only {settings} flag settings");
    }
}
