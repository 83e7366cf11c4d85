using System.Text;
using GenRM.Data;

namespace GenRM.Text;

/// <summary>
/// Mistral Instruct's "v3" chat template (Mistral-7B-Instruct-v0.3's <c>tokenizer_config.json</c>),
/// for conversations without tools: <c>&lt;s&gt;[INST] {user}[/INST] {assistant, trimmed}&lt;/s&gt;[INST] ...</c>.
/// </summary>
/// <remarks>
/// Pitfalls of the published template, reproduced on purpose: it has no system turn, so a leading
/// system message is prepended ("{system}\n\n") to the user message only when that message is the
/// last of the conversation; in a conversation that ends with an assistant turn the system message
/// is dropped. It has no generation prompt: a prompt ends with "[/INST]", and the assistant's text
/// follows after a space. Roles must alternate user/assistant after the optional system message.
/// </remarks>
public sealed class MistralChatTemplate : IChatTemplate
{
    /// <inheritdoc/>
    public string Name => "mistral";

    /// <inheritdoc/>
    public string EndOfTurn => "</s>";

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Roles do not alternate user/assistant, or a role other than those (and a leading system) appears.</exception>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(messages);
        string? system = messages.Count > 0 && messages[0].Role == ChatMessage.SystemRole ? messages[0].Content : null;
        var turns = messages.Skip(system is null ? 0 : 1).ToList();
        for (int i = 0; i < turns.Count; i++)
        {
            string expected = i % 2 == 0 ? ChatMessage.UserRole : ChatMessage.AssistantRole;
            if (turns[i].Role is not (ChatMessage.UserRole or ChatMessage.AssistantRole))
                throw new ArgumentException($"Mistral's chat template supports only user and assistant turns after an optional first system message; message {Index(i)} has role \"{turns[i].Role}\".", nameof(messages));
            if (turns[i].Role != expected)
                throw new ArgumentException($"Mistral's chat template needs roles alternating user/assistant/user/... after the optional system message; message {Index(i)} is \"{turns[i].Role}\" where \"{expected}\" was expected.", nameof(messages));
        }

        var text = new StringBuilder("<s>");
        for (int i = 0; i < turns.Count; i++)
        {
            if (turns[i].Role == ChatMessage.UserRole)
            {
                text.Append("[INST] ");
                if (system is not null && i == turns.Count - 1)
                    text.Append(system).Append("\n\n");
                text.Append(turns[i].Content).Append("[/INST]");
            }
            else
            {
                text.Append(' ').Append(turns[i].Content.Trim()).Append(EndOfTurn);
            }
        }
        return text.ToString();

        int Index(int turn) => turn + (system is null ? 0 : 1);
    }
}
