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

    /// <summary>
    /// Whether the template marks the assistant's text with <c>{% generation %}</c> blocks, which
    /// transformers' <c>return_assistant_tokens_mask</c> (and so TRL's <c>assistant_only_loss</c>) reads.
    /// </summary>
    bool HasGenerationBlocks => false;

    /// <summary>
    /// <see cref="Render"/>'s text with the spans its <c>{% generation %}</c> blocks wrote, as
    /// transformers records them; none for a template without such blocks.
    /// </summary>
    RenderedText RenderWithGenerationSpans(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt) => new(Render(messages, addGenerationPrompt), []);
}
