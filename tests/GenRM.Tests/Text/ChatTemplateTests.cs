using GenRM.Data;
using GenRM.Text;

namespace GenRM.Tests.Text;

/// <summary>Expected strings are what the published Hugging Face templates render for the same messages.</summary>
public sealed class ChatTemplateTests
{
    static readonly ChatMessage[] SingleTurn = [ChatMessage.User("  What is 2+2? \n")];

    static readonly ChatMessage[] MultiTurn =
    [
        ChatMessage.User("Hi"),
        ChatMessage.Assistant(" Hello! \n"),
        ChatMessage.User("Add 2+2."),
    ];

    static readonly ChatMessage[] WithSystem =
    [
        ChatMessage.System(" Be brief. "),
        ChatMessage.User("Hi"),
        ChatMessage.Assistant("Hello!"),
        ChatMessage.User("Add 2+2."),
    ];

    [Fact]
    public void Llama3RendersHeadersTrimmedContentAndEot()
    {
        var template = new Llama3ChatTemplate();
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>",
            template.Render(SingleTurn, addGenerationPrompt: false));
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            template.Render(SingleTurn, addGenerationPrompt: true));
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nAdd 2+2.<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n",
            template.Render(MultiTurn, addGenerationPrompt: true));
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nAdd 2+2.<|eot_id|>",
            template.Render(WithSystem, addGenerationPrompt: false));
        Assert.Equal("<|eot_id|>", template.EndOfTurn);
    }

    [Fact]
    public void Llama31AddsTheDatedSystemTurn()
    {
        var template = new Llama31ChatTemplate();
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>",
            template.Render(SingleTurn, addGenerationPrompt: false));
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nAdd 2+2.<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n",
            template.Render(MultiTurn, addGenerationPrompt: true));
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nBe brief.<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nAdd 2+2.<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n",
            template.Render(WithSystem, addGenerationPrompt: true));
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 01 Jan 2025\n\n<|eot_id|>",
            new Llama31ChatTemplate("01 Jan 2025").Render([], addGenerationPrompt: false));
    }

    [Fact]
    public void ChatMLWritesQwenDefaultSystemAndUntrimmedContent()
    {
        var template = new ChatMLChatTemplate();
        Assert.Equal(
            "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
            + "<|im_start|>user\n  What is 2+2? \n<|im_end|>\n",
            template.Render(SingleTurn, addGenerationPrompt: false));
        Assert.Equal(
            "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
            + "<|im_start|>user\nHi<|im_end|>\n"
            + "<|im_start|>assistant\n Hello! \n<|im_end|>\n"
            + "<|im_start|>user\nAdd 2+2.<|im_end|>\n"
            + "<|im_start|>assistant\n",
            template.Render(MultiTurn, addGenerationPrompt: true));
        Assert.Equal(
            "<|im_start|>system\n Be brief. <|im_end|>\n"
            + "<|im_start|>user\nHi<|im_end|>\n"
            + "<|im_start|>assistant\nHello!<|im_end|>\n"
            + "<|im_start|>user\nAdd 2+2.<|im_end|>\n",
            template.Render(WithSystem, addGenerationPrompt: false));
    }

    [Fact]
    public void ChatMLDefaultSystemMessageIsAParameter()
    {
        Assert.Equal(
            "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
            new ChatMLChatTemplate(ChatMLChatTemplate.Qwen2DefaultSystemMessage).Render([ChatMessage.User("Hi")], addGenerationPrompt: true));
        Assert.Equal(
            "<|im_start|>user\nHi<|im_end|>\n",
            new ChatMLChatTemplate(defaultSystemMessage: null).Render([ChatMessage.User("Hi")], addGenerationPrompt: false));
    }

    [Fact]
    public void MistralWritesInstBlocksAndSystemBeforeTheLastUserMessage()
    {
        var template = new MistralChatTemplate();
        Assert.Equal("<s>[INST]   What is 2+2? \n[/INST]", template.Render(SingleTurn, addGenerationPrompt: true));
        Assert.Equal(
            "<s>[INST] Hi[/INST] Hello!</s>[INST] Add 2+2.[/INST]",
            template.Render(MultiTurn, addGenerationPrompt: false));
        Assert.Equal(
            "<s>[INST] Hi[/INST] Hello!</s>[INST]  Be brief. \n\nAdd 2+2.[/INST]",
            template.Render(WithSystem, addGenerationPrompt: true));
        // The published template drops the system message when the last turn is the assistant's.
        Assert.Equal(
            "<s>[INST] Hi[/INST] Hello!</s>",
            template.Render([ChatMessage.System("Be brief."), ChatMessage.User("Hi"), ChatMessage.Assistant("Hello!")], addGenerationPrompt: false));
    }

    [Fact]
    public void MistralRefusesTurnsThatDoNotAlternate()
    {
        var template = new MistralChatTemplate();
        var error = Assert.Throws<ArgumentException>(() => template.Render([ChatMessage.User("a"), ChatMessage.User("b")], addGenerationPrompt: true));
        Assert.Contains("message 1 is \"user\" where \"assistant\" was expected", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => template.Render([ChatMessage.Assistant("a")], addGenerationPrompt: true));
        Assert.Throws<ArgumentException>(() => template.Render([ChatMessage.User("a"), ChatMessage.Assistant("b"), ChatMessage.System("c")], addGenerationPrompt: true));
    }

    [Fact]
    public void PlainWritesRoleLines()
    {
        var template = new PlainChatTemplate();
        Assert.Equal("user: Hi\nassistant:  Hello! \n\nuser: Add 2+2.\nassistant: ", template.Render(MultiTurn, addGenerationPrompt: true));
        Assert.Equal("system:  Be brief. \nuser: Hi\n", template.Render(WithSystem.Take(2).ToList(), addGenerationPrompt: false));
    }

    public static TheoryData<string> TemplateNames => new(ChatTemplates.Names);

    [Theory]
    [MemberData(nameof(TemplateNames))]
    public void PromptPlusResponsePlusEndOfTurnIsTheFullConversation(string name)
    {
        // What a trainer does: render the prompt with the generation prompt, append the response
        // and EndOfTurn. Mistral writes a space before the (trimmed) response, and no system here
        // (its template moves the system message when the conversation grows).
        var template = ChatTemplates.ByName(name);
        ChatMessage[] prompt = [ChatMessage.User("Hi"), ChatMessage.Assistant("Hello!"), ChatMessage.User("Add 2+2.")];
        string response = "4";
        string separator = template is MistralChatTemplate ? " " : "";
        Assert.Equal(
            template.Render([.. prompt, ChatMessage.Assistant(response)], addGenerationPrompt: false),
            template.Render(prompt, addGenerationPrompt: true) + separator + response + template.EndOfTurn);
    }

    [Fact]
    public void ByNameRefusesUnknownNames() =>
        Assert.Contains("llama3.1", Assert.Throws<ArgumentException>(() => ChatTemplates.ByName("vicuna")).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}", null, "llama3")]
    [InlineData("{{- bos_token }}\n{{- \"<|start_header_id|>system<|end_header_id|>\\n\\n\" }}\n{{- \"Cutting Knowledge Date: December 2023\\n\" }}", null, "llama3.1")]
    [InlineData("{%- else %}\n{{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}", null, "chatml")]
    [InlineData("{% for message in messages %}{{ '[INST] ' + message['content'] + '[/INST]' }}{% endfor %}", null, "mistral")]
    [InlineData(null, "qwen2", "chatml")]
    [InlineData(null, "mistral", "mistral")]
    [InlineData(null, "llama", "plain")]
    [InlineData("{{ messages }}", "llama", "plain")]
    public void DetectRecognisesTemplateFamilies(string? source, string? modelType, string expected) =>
        Assert.Equal(expected, ChatTemplates.Detect(source, modelType).Name);

    [Fact]
    public void DetectKeepsQwen2DefaultSystemMessage()
    {
        var template = Assert.IsType<ChatMLChatTemplate>(ChatTemplates.Detect(
            "{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}"));
        Assert.Equal(ChatMLChatTemplate.Qwen2DefaultSystemMessage, template.DefaultSystemMessage);
    }
}
