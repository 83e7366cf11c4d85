using System.Text;
using GenRM.Data;
using GenRM.Text;

namespace GenRM.MiniWorld;

/// <summary>
/// MiniWorld's chat template ("miniworld"): <c>&lt;|bos|&gt;</c>, then each turn as its role token,
/// its content and <c>&lt;|end|&gt;</c>; the generation prompt is <c>&lt;|assistant|&gt;</c>.
/// <code>&lt;|bos|&gt;&lt;|user|&gt;What is 12+34?&lt;|end|&gt;&lt;|assistant|&gt;46&lt;|end|&gt;</code>
/// </summary>
public sealed class MiniWorldChatTemplate : IChatTemplate
{
    public string Name => "miniworld";

    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        var text = new StringBuilder(MiniWorldTokenizer.Bos);
        foreach (var message in messages)
            text.Append(RoleToken(message.Role)).Append(message.Content).Append(MiniWorldTokenizer.End);
        if (addGenerationPrompt)
            text.Append(MiniWorldTokenizer.Assistant);
        return text.ToString();
    }

    static string RoleToken(string role) => role switch
    {
        ChatMessage.SystemRole => MiniWorldTokenizer.System,
        ChatMessage.UserRole => MiniWorldTokenizer.User,
        ChatMessage.AssistantRole => MiniWorldTokenizer.Assistant,
        _ => throw new BadInputException($"MiniWorld chat template: unknown role '{role}' (system, user or assistant)"),
    };
}
