using System.Text;
using GenRM.Data;

namespace GenRM.Text;

/// <summary>
/// ChatML as Qwen2 and Qwen2.5 Instruct write it: each turn <c>&lt;|im_start|&gt;{role}\n{content}&lt;|im_end|&gt;\n</c>
/// (content not trimmed), no BOS, and a default system turn when the conversation does not start
/// with a system message.
/// </summary>
/// <param name="defaultSystemMessage">
/// The system message used when none is given: <see cref="Qwen25DefaultSystemMessage"/> (the
/// default), <see cref="Qwen2DefaultSystemMessage"/>, or null for plain ChatML without one.
/// </param>
/// <remarks>
/// Rendered as Qwen2.5's template renders conversations without tools. Qwen2's template differs
/// only on an empty conversation, where it writes nothing before the generation prompt.
/// </remarks>
public sealed class ChatMLChatTemplate(string? defaultSystemMessage = ChatMLChatTemplate.Qwen25DefaultSystemMessage) : IChatTemplate
{
    /// <summary>Qwen2.5 Instruct's default system message.</summary>
    public const string Qwen25DefaultSystemMessage = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";

    /// <summary>Qwen2 Instruct's default system message.</summary>
    public const string Qwen2DefaultSystemMessage = "You are a helpful assistant.";

    /// <summary>The system message written when the conversation has none (null: none).</summary>
    public string? DefaultSystemMessage => defaultSystemMessage;

    /// <inheritdoc/>
    public string Name => "chatml";

    /// <summary>"&lt;|im_end|&gt;\n": the newline after the end token belongs to the turn in this template.</summary>
    public string EndOfTurn => "<|im_end|>\n";

    /// <inheritdoc/>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var text = new StringBuilder();
        if ((messages.Count == 0 || messages[0].Role != ChatMessage.SystemRole) && defaultSystemMessage is not null)
            AppendTurn(text, ChatMessage.SystemRole, defaultSystemMessage);
        foreach (var message in messages)
            AppendTurn(text, message.Role, message.Content);
        if (addGenerationPrompt)
            text.Append("<|im_start|>assistant\n");
        return text.ToString();
    }

    void AppendTurn(StringBuilder text, string role, string content) =>
        text.Append("<|im_start|>").Append(role).Append('\n').Append(content).Append(EndOfTurn);
}
