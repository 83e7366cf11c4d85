namespace GenRM.Text;

/// <summary>Picks a chat template by name, or from a model folder's chat template source or model type.</summary>
public static class ChatTemplates
{
    /// <summary>The names <see cref="ByName"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["llama3", "llama3.1", "chatml", "qwen2.5", "qwen2", "mistral", "plain"];

    /// <summary>
    /// The template called <paramref name="name"/> (case-insensitive): llama3, llama3.1, chatml or
    /// qwen2.5 (ChatML with Qwen2.5's default system message), qwen2 (with Qwen2's), mistral, plain.
    /// </summary>
    /// <exception cref="ArgumentException">The name is none of those.</exception>
    public static IChatTemplate ByName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToUpperInvariant() switch
        {
            "LLAMA3" => new Llama3ChatTemplate(),
            "LLAMA3.1" => new Llama31ChatTemplate(),
            "CHATML" or "QWEN2.5" => new ChatMLChatTemplate(),
            "QWEN2" => new ChatMLChatTemplate(ChatMLChatTemplate.Qwen2DefaultSystemMessage),
            "MISTRAL" => new MistralChatTemplate(),
            "PLAIN" => new PlainChatTemplate(),
            _ => throw new ArgumentException($"Unknown chat template \"{name}\"; known: {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    /// <summary>
    /// Recognises the family of a Hugging Face <c>chat_template</c> (Jinja source) by its markers:
    /// Llama 3 headers (3.1 when it writes the knowledge-cutoff date), ChatML (with the default
    /// system message it names), Mistral's [INST]. Without a source, <paramref name="modelType"/>
    /// (<c>config.json</c>'s <c>model_type</c>) decides for qwen2 and mistral. Anything else, a base
    /// model among them, gets <see cref="PlainChatTemplate"/>.
    /// </summary>
    public static IChatTemplate Detect(string? chatTemplateSource, string? modelType = null)
    {
        if (!string.IsNullOrEmpty(chatTemplateSource))
        {
            if (chatTemplateSource.Contains("<|start_header_id|>", StringComparison.Ordinal))
                return chatTemplateSource.Contains("Cutting Knowledge Date", StringComparison.Ordinal)
                    ? new Llama31ChatTemplate()
                    : new Llama3ChatTemplate();
            if (chatTemplateSource.Contains("<|im_start|>", StringComparison.Ordinal))
                return new ChatMLChatTemplate(
                    chatTemplateSource.Contains(ChatMLChatTemplate.Qwen25DefaultSystemMessage, StringComparison.Ordinal) ? ChatMLChatTemplate.Qwen25DefaultSystemMessage
                    : chatTemplateSource.Contains(ChatMLChatTemplate.Qwen2DefaultSystemMessage, StringComparison.Ordinal) ? ChatMLChatTemplate.Qwen2DefaultSystemMessage
                    : null);
            if (chatTemplateSource.Contains("[INST]", StringComparison.Ordinal))
                return new MistralChatTemplate();
            return new PlainChatTemplate();
        }
        return modelType?.ToUpperInvariant() switch
        {
            "QWEN2" => new ChatMLChatTemplate(),
            "MISTRAL" => new MistralChatTemplate(),
            _ => new PlainChatTemplate(),
        };
    }
}
