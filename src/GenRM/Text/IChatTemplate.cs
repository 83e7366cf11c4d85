using GenRM.Data;

namespace GenRM.Text;

/// <summary>Renders chat turns into the exact prompt text a model family was trained on.</summary>
public interface IChatTemplate
{
    /// <summary>Template name (the model folder for a Jinja template, plain, miniworld).</summary>
    string Name { get; }

    /// <summary>
    /// Renders <paramref name="messages"/>; with <paramref name="addGenerationPrompt"/> the text ends
    /// with the header that opens the assistant's next turn, as Hugging Face's
    /// <c>apply_chat_template(..., add_generation_prompt=True)</c>.
    /// </summary>
    string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt);
}
