using System.Text;
using GenRM.Data;

namespace GenRM.Text;

/// <summary>
/// For models without a chat template: one "{role}: {content}" line per turn, and "assistant: " as
/// the generation prompt.
/// </summary>
public sealed class PlainChatTemplate : IChatTemplate
{
    /// <inheritdoc/>
    public string Name => "plain";

    /// <inheritdoc/>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var text = new StringBuilder();
        foreach (var message in messages)
            text.Append(message.Role).Append(": ").Append(message.Content).Append('\n');
        if (addGenerationPrompt)
            text.Append(ChatMessage.AssistantRole).Append(": ");
        return text.ToString();
    }
}
