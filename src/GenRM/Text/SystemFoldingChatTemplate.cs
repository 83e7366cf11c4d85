using GenRM.Data;
using GenRM.Text.Jinja;

namespace GenRM.Text;

/// <summary>
/// A chat template that refuses a system turn (Gemma 2's raises "System role not supported"), made
/// to accept one as transformers users do for Gemma: a leading system message is folded into the
/// first user turn, its text then a blank line then the user's (Gemma 3's own template folds it the
/// same way). <see cref="ChatTemplates"/> wraps a template in this only when
/// <see cref="RefusesSystemTurn"/> finds it refuses one.
/// </summary>
public sealed class SystemFoldingChatTemplate(IChatTemplate template) : IChatTemplate
{
    /// <summary>What goes between the folded system text and the user's text.</summary>
    public const string Separator = "\n\n";

    /// <inheritdoc/>
    public string Name => template.Name;

    /// <inheritdoc/>
    /// <remarks>A conversation that does not open with a system then a user turn is rendered as given.</remarks>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt) => template.Render(Folded(messages), addGenerationPrompt);

    /// <inheritdoc/>
    public bool HasGenerationBlocks => template.HasGenerationBlocks;

    /// <inheritdoc/>
    public RenderedText RenderWithGenerationSpans(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt) =>
        template.RenderWithGenerationSpans(Folded(messages), addGenerationPrompt);

    static IReadOnlyList<ChatMessage> Folded(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return messages is [{ Role: ChatMessage.SystemRole } system, { Role: ChatMessage.UserRole } user, ..]
            ? [ChatMessage.User(system.Content + Separator + user.Content), .. messages.Skip(2)]
            : messages;
    }

    /// <summary>
    /// Whether <paramref name="template"/> raises (<c>raise_exception</c>) on a system turn before a
    /// user turn while it renders the user turn alone.
    /// </summary>
    public static bool RefusesSystemTurn(IChatTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        try
        {
            template.Render([ChatMessage.System("Be brief."), ChatMessage.User("Hi")], addGenerationPrompt: true);
            return false;
        }
        catch (JinjaRaisedException)
        {
        }
        try
        {
            template.Render([ChatMessage.User("Hi")], addGenerationPrompt: true);
            return true;
        }
        catch (JinjaRaisedException)
        {
            return false;
        }
    }
}
