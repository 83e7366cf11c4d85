using System.Text;
using GenRM.Data;

namespace GenRM.Text;

/// <summary>
/// Llama 3 Instruct's chat template (Meta-Llama-3-8B-Instruct's <c>tokenizer_config.json</c>):
/// <c>&lt;|begin_of_text|&gt;</c> before the first turn, each turn as
/// <c>&lt;|start_header_id|&gt;{role}&lt;|end_header_id|&gt;\n\n{content, trimmed}&lt;|eot_id|&gt;</c>,
/// no default system message. Llama 3.1 adds a dated system turn: see <see cref="Llama31ChatTemplate"/>.
/// </summary>
public sealed class Llama3ChatTemplate : IChatTemplate
{
    internal const string BeginOfText = "<|begin_of_text|>";
    internal const string EndOfTurnToken = "<|eot_id|>";
    internal const string GenerationPrompt = "<|start_header_id|>assistant<|end_header_id|>\n\n";

    /// <inheritdoc/>
    public string Name => "llama3";

    /// <inheritdoc/>
    public string EndOfTurn => EndOfTurnToken;

    /// <inheritdoc/>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var text = new StringBuilder();
        // The 3.0 template writes the BOS as part of the first turn, so an empty conversation has none.
        if (messages.Count > 0)
            text.Append(BeginOfText);
        foreach (var message in messages)
            AppendTurn(text, message.Role, message.Content);
        if (addGenerationPrompt)
            text.Append(GenerationPrompt);
        return text.ToString();
    }

    /// <summary>One turn as both Llama 3 templates write it; Jinja's <c>trim</c> strips the content.</summary>
    internal static void AppendTurn(StringBuilder text, string role, string content) =>
        text.Append("<|start_header_id|>").Append(role).Append("<|end_header_id|>\n\n")
            .Append(content.Trim()).Append(EndOfTurnToken);
}
