using GenRM.Data;
using GenRM.Text;

namespace GenRM.Tests.Text;

/// <summary>How a model folder's chat template is chosen, and what the rendered templates give a trainer.</summary>
public sealed class ChatTemplateTests
{
    static readonly string Fixtures = TestPaths.Fixtures("chat-templates");

    static JinjaChatTemplate Published(string family, params (string Token, string Text)[] tokens) =>
        new(File.ReadAllText(Path.Combine(Fixtures, family + ".jinja")), tokens.ToDictionary(t => t.Token, t => t.Text), name: family);

    [Fact]
    public void PlainWritesRoleLines()
    {
        var template = new PlainChatTemplate();
        ChatMessage[] chat = [ChatMessage.User("Hi"), ChatMessage.Assistant(" Hello! \n"), ChatMessage.User("Add 2+2.")];
        Assert.Equal("user: Hi\nassistant:  Hello! \n\nuser: Add 2+2.\nassistant: ", template.Render(chat, addGenerationPrompt: true));
    }

    [Fact]
    public void AFolderWithoutATemplateGetsThePlainDefaultAndSaysSo()
    {
        var notices = new StringWriter();
        Assert.IsType<PlainChatTemplate>(ChatTemplates.Detect(null, null, "/m/tokenizer_config.json", notices));
        Assert.Contains("/m/tokenizer_config.json: no chat_template; using the plain default", notices.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnyTemplateIsRenderedNotGuessedFromMarkers()
    {
        // A Gemma-style template used to fall back to "user: ..." lines silently.
        var template = ChatTemplates.Detect("{{ bos_token }}{% for m in messages %}<start_of_turn>{{ m.role }}\n{{ m.content | trim }}<end_of_turn>\n{% endfor %}",
            new Dictionary<string, string> { ["bos_token"] = "<bos>" }, "/m/tokenizer_config.json", TextWriter.Null);
        Assert.Equal("<bos><start_of_turn>user\nHi<end_of_turn>\n", template.Render([ChatMessage.User(" Hi ")], addGenerationPrompt: false));
    }

    [Fact]
    public void ATemplateThatCannotRunIsABadInputErrorNamingFileAndConstruct()
    {
        var error = Assert.Throws<BadInputException>(() => ChatTemplates.Detect("{% for m in messages %}{{ m.content | wordwrap }}{% endfor %}", null, "/m/tokenizer_config.json", TextWriter.Null));
        Assert.Contains("/m/tokenizer_config.json: chat_template:", error.Message, StringComparison.Ordinal);
        Assert.Contains("Unsupported filter 'wordwrap' (chat template line 1, column 39)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gemma2RefusesASystemTurnSoItsTextOpensTheFirstUserTurnAndThatIsSaidOnce()
    {
        var notices = new StringWriter();
        var gemma = new Dictionary<string, string> { ["bos_token"] = "<bos>", ["eos_token"] = "<eos>" };
        var template = ChatTemplates.Detect(File.ReadAllText(Path.Combine(Fixtures, "gemma2.jinja")), gemma, "/m/gemma-2-2b-it/tokenizer_config.json", notices);
        var asGiven = Published("gemma2", ("bos_token", "<bos>"), ("eos_token", "<eos>"));
        ChatMessage[] judge = [ChatMessage.System("You judge answers."), ChatMessage.User("Which is better?"), ChatMessage.Assistant("A."), ChatMessage.User("Why?")];

        var refusal = Assert.Throws<GenRM.Text.Jinja.JinjaRaisedException>(() => asGiven.Render(judge, addGenerationPrompt: true));
        Assert.Equal("System role not supported", refusal.Message);
        Assert.Equal("<bos><start_of_turn>user\nYou judge answers.\n\nWhich is better?<end_of_turn>\n<start_of_turn>model\nA.<end_of_turn>\n<start_of_turn>user\nWhy?<end_of_turn>\n<start_of_turn>model\n",
            template.Render(judge, addGenerationPrompt: true));
        template.Render(judge, addGenerationPrompt: false);
        Assert.Equal("gemma-2-2b-it", template.Name);
        string[] lines = notices.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("/m/gemma-2-2b-it/tokenizer_config.json: the chat template refuses a system turn; a system message is put at the start of the first user turn, followed by a blank line.", Assert.Single(lines));
        // A chat without a system turn renders as the template renders it.
        ChatMessage[] plain = [ChatMessage.User("Hi")];
        Assert.Equal(asGiven.Render(plain, addGenerationPrompt: true), template.Render(plain, addGenerationPrompt: true));
    }

    [Theory]
    [InlineData("gemma3")]
    [InlineData("qwen2.5")]
    [InlineData("mistral-v1")]
    public void ATemplateThatTakesASystemTurnIsRenderedAsGivenWithoutANotice(string family)
    {
        var notices = new StringWriter();
        var template = ChatTemplates.Detect(File.ReadAllText(Path.Combine(Fixtures, family + ".jinja")), new Dictionary<string, string> { ["bos_token"] = "<s>", ["eos_token"] = "</s>" },
            "/m/tokenizer_config.json", notices);
        Assert.IsType<JinjaChatTemplate>(template);
        Assert.Equal("", notices.ToString());
    }

    [Fact]
    public void TemplateArgumentsReachTheTemplate()
    {
        string source = File.ReadAllText(Path.Combine(Fixtures, "qwen3.jinja"));
        var tokens = new Dictionary<string, string> { ["eos_token"] = "<|im_end|>" };
        ChatMessage[] chat = [ChatMessage.User("Hi")];
        var thinking = ChatTemplates.Detect(source, tokens, "/m/tokenizer_config.json", TextWriter.Null);
        var notThinking = ChatTemplates.Detect(source, tokens, "/m/tokenizer_config.json", TextWriter.Null, new Dictionary<string, object?> { ["enable_thinking"] = false });
        Assert.EndsWith("<|im_start|>assistant\n", thinking.Render(chat, addGenerationPrompt: true), StringComparison.Ordinal);
        Assert.EndsWith("<|im_start|>assistant\n<think>\n\n</think>\n\n", notThinking.Render(chat, addGenerationPrompt: true), StringComparison.Ordinal);
    }
}
