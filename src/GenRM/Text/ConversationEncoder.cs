using GenRM.Data;

namespace GenRM.Text;

/// <summary>
/// Turns conversations into the token ids a model reads. Inference reads <see cref="Prompt"/>: the
/// conversation rendered through the chat template with the generation prompt. Training reads the
/// template's rendering of the whole conversation, reply included, tokenized as one text (what
/// Hugging Face's <c>apply_chat_template</c> gives), split where its tokens stop agreeing with the
/// inference prompt's: the tokens before that are the prompt, the rest is the completion that
/// carries the loss (see <see cref="Completion"/>). Training (BT, SFT, DPO) and judging encode
/// through this one place.
/// </summary>
/// <param name="tokenizer">Text to ids.</param>
/// <param name="template">The chat template, rendered for inference prompts and whole-chat training sequences.</param>
/// <param name="notices">Where the one-time notice of a template that renders the history differently once a reply follows goes; standard error when null.</param>
public sealed class ConversationEncoder(ITokenizer tokenizer, IChatTemplate template, TextWriter? notices = null)
{
    int historyNoticeGiven;

    public ITokenizer Tokenizer => tokenizer;

    public IChatTemplate Template => template;

    /// <summary>The conversation so far, ending with the header that opens the assistant's turn: what a model generates after.</summary>
    public int[] Prompt(IReadOnlyList<ChatMessage> messages) => Encode(template.Render(messages, addGenerationPrompt: true));

    /// <summary>
    /// A rendering's tokens. Without a chat template to write BOS (the plain default) the tokenizer's
    /// special tokens are added, as Hugging Face's default encoding does; a template's text has its own.
    /// </summary>
    int[] Encode(string text) => tokenizer.Encode(text, addSpecialTokens: template is PlainChatTemplate);

    /// <summary>
    /// The conversation with <paramref name="response"/> as the assistant's reply, as a training
    /// sequence: <c>Prompt ++ Completion</c> is the tokenization of the template's whole-chat
    /// rendering, and <c>Completion</c> (the part that carries the loss) starts at the first token
    /// where that differs from <see cref="Prompt"/>. Where the prompt's tokens are a prefix of the
    /// whole chat's (the usual case) this is TRL's completion mask (<c>[0] * len(prompt_ids)</c>,
    /// then ones). Where they are not, the split is the longest common prefix, as TRL's
    /// <c>apply_chat_template</c> takes it for text: a token that spans the boundary (Qwen's
    /// <c>\n</c> then a reply starting with <c>\n</c>, one <c>\n\n</c> token) is learned with the
    /// reply, and a generation prompt the whole rendering does not repeat (DeepSeek-R1 distills open
    /// it with <c>&lt;think&gt;\n</c> but render a finished turn without its reasoning) is left out
    /// of both parts. A template that renders the history itself differently once a reply follows
    /// (Mistral Nemo's puts the system message in the last user turn only when that turn ends the
    /// chat) is followed as TRL follows it, so the loss covers the text from where the two
    /// renderings part; that is said once on the notices writer.
    /// </summary>
    /// <exception cref="InvalidOperationException">The template renders the reply as nothing the prompt does not already hold.</exception>
    public (int[] Prompt, int[] Completion) Completion(IReadOnlyList<ChatMessage> messages, string response)
    {
        var (prompt, completions) = Split(messages, [response]);
        return (prompt, completions[0]);
    }

    /// <summary>
    /// Two replies to the same conversation (a preference pair), split as <see cref="Completion"/>
    /// splits one, at the prefix all three token sequences share, so each of
    /// <c>Prompt ++ Chosen</c> and <c>Prompt ++ Rejected</c> is its whole-chat tokenization.
    /// </summary>
    /// <exception cref="InvalidOperationException">The template renders a reply as nothing the prompt does not already hold.</exception>
    public (int[] Prompt, int[] Chosen, int[] Rejected) Completions(IReadOnlyList<ChatMessage> messages, string chosen, string rejected)
    {
        var (prompt, completions) = Split(messages, [chosen, rejected]);
        return (prompt, completions[0], completions[1]);
    }

    (int[] Prompt, int[][] Completions) Split(IReadOnlyList<ChatMessage> messages, string[] responses)
    {
        ArgumentNullException.ThrowIfNull(messages);
        string promptText = template.Render(messages, addGenerationPrompt: true);
        int[] prompt = Encode(promptText);
        var wholeTexts = responses.Select(r => template.Render([.. messages, ChatMessage.Assistant(r)], addGenerationPrompt: false)).ToArray();
        if (historyNoticeGiven == 0 && wholeTexts.Any(w => RendersHistoryDifferently(messages, promptText, w))
            && Interlocked.Exchange(ref historyNoticeGiven, 1) == 0)
            (notices ?? Console.Error).WriteLine($"Chat template {template.Name} renders the conversation before the reply differently once a reply follows "
                + "(as Mistral's templates move the system message); training sequences follow the whole-chat rendering, as TRL does, so the loss covers the text from where the two part.");
        var wholes = wholeTexts.Select(Encode).ToArray();
        int shared = prompt.Length;
        foreach (int[] whole in wholes)
            shared = prompt.AsSpan(0, shared).CommonPrefixLength(whole);
        if (wholes.Any(w => w.Length == shared))
            throw new InvalidOperationException($"Chat template {template.Name} renders an assistant reply as nothing beyond the prompt, so there is nothing to train on.");
        return (wholes[0][..shared], [.. wholes.Select(w => w[shared..])]);
    }

    /// <summary>Whether the whole chat departs from the prompt before the generation prompt, inside the history both render.</summary>
    bool RendersHistoryDifferently(IReadOnlyList<ChatMessage> messages, string promptText, string wholeText)
    {
        int shared = promptText.AsSpan().CommonPrefixLength(wholeText);
        if (shared == promptText.Length)
            return false;
        string history = template.Render(messages, addGenerationPrompt: false);
        return shared < promptText.AsSpan().CommonPrefixLength(history);
    }
}
