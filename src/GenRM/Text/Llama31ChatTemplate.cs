using System.Text;
using GenRM.Data;

namespace GenRM.Text;

/// <summary>
/// Llama 3.1 Instruct's chat template (Llama-3.1-8B-Instruct's <c>tokenizer_config.json</c>), for
/// conversations without tools: it always opens with a system turn holding
/// "Cutting Knowledge Date: December 2023\nToday Date: {date}\n\n" followed by the (trimmed)
/// system message when the conversation starts with one; the other turns are written as Llama 3's
/// (<see cref="Llama3ChatTemplate"/>).
/// </summary>
/// <param name="todayDate">The template's <c>date_string</c>; "26 Jul 2024" is its default when none is passed.</param>
public sealed class Llama31ChatTemplate(string todayDate = Llama31ChatTemplate.DefaultTodayDate) : IChatTemplate
{
    /// <summary>The date Llama 3.1's template writes when the caller passes none.</summary>
    public const string DefaultTodayDate = "26 Jul 2024";

    /// <inheritdoc/>
    public string Name => "llama3.1";

    /// <inheritdoc/>
    public string EndOfTurn => Llama3ChatTemplate.EndOfTurnToken;

    /// <inheritdoc/>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(messages);
        bool hasSystem = messages.Count > 0 && messages[0].Role == ChatMessage.SystemRole;
        // Only the system message is trimmed; the date lines keep their "\n\n" even when it is absent.
        var text = new StringBuilder(Llama3ChatTemplate.BeginOfText)
            .Append("<|start_header_id|>system<|end_header_id|>\n\n")
            .Append("Cutting Knowledge Date: December 2023\nToday Date: ").Append(todayDate).Append("\n\n")
            .Append(hasSystem ? messages[0].Content.Trim() : "")
            .Append(Llama3ChatTemplate.EndOfTurnToken);
        foreach (var message in messages.Skip(hasSystem ? 1 : 0))
            Llama3ChatTemplate.AppendTurn(text, message.Role, message.Content);
        if (addGenerationPrompt)
            text.Append(Llama3ChatTemplate.GenerationPrompt);
        return text.ToString();
    }
}
