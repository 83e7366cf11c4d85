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

    [Theory]
    [InlineData("llama3.1", "<|eot_id|>")]
    [InlineData("qwen2.5", "<|im_end|>\n")]
    [InlineData("qwen3", "<|im_end|>\n")]
    [InlineData("gemma3", "<end_of_turn>\n")]
    [InlineData("mistral-nemo", "</s>")]
    [InlineData("deepseek-r1-distill", "<｜end▁of▁sentence｜>")]
    public void EndOfTurnIsWhatTheTemplateWritesAfterAnAssistantTurn(string family, string expected) =>
        Assert.Equal(expected, Published(family, ("bos_token", "<s>"), ("eos_token", "</s>")).EndOfTurn);

    [Theory]
    [InlineData("llama3.1")]
    [InlineData("qwen2.5")]
    [InlineData("gemma3")]
    [InlineData("phi-4")]
    public void PromptPlusResponsePlusEndOfTurnIsTheFullConversation(string family)
    {
        // What a trainer does: the prompt with the generation prompt, then the response and EndOfTurn.
        var template = Published(family, ("bos_token", "<bos>"), ("eos_token", "<eos>"));
        ChatMessage[] prompt = [ChatMessage.User("Hi"), ChatMessage.Assistant("Hello!"), ChatMessage.User("Add 2+2.")];
        Assert.Equal(
            template.Render([.. prompt, ChatMessage.Assistant("4")], addGenerationPrompt: false),
            template.Render(prompt, addGenerationPrompt: true) + "4" + template.EndOfTurn);
    }
}
