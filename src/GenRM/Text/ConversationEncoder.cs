using GenRM.Data;

namespace GenRM.Text;

/// <summary>
/// Turns conversations into the token ids a model reads. Inference reads <see cref="Prompt"/>: the
/// conversation rendered through the chat template with the generation prompt. Training reads the
/// template's rendering of the whole conversation, reply included, tokenized as one text (what
/// Hugging Face's <c>apply_chat_template</c> gives), split where its tokens stop agreeing with the
/// inference prompt's: the tokens before that are the prompt, the rest is the completion that
/// carries the loss (see <see cref="Completion"/>). A template that marks the assistant's text with
/// <c>{% generation %}</c> blocks gets transformers' assistant mask instead (see
/// <see cref="AssistantTokens"/>). Training (BT, SFT, DPO) and judging encode through this one place.
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
    /// Whether a rendering's tokens get the tokenizer's special tokens: only without a chat template
    /// to write BOS (the plain default), as Hugging Face's default encoding does; a template's text has its own.
    /// </summary>
    bool AddSpecialTokens => template is PlainChatTemplate;

    int[] Encode(string text) => tokenizer.Encode(text, AddSpecialTokens);

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
    /// <para>
    /// A template with <c>{% generation %}</c> blocks decides the loss itself, as with TRL's
    /// <c>assistant_only_loss</c>: <c>Completion</c> is the run of tokens <see cref="AssistantTokens"/>
    /// marks, <c>Prompt</c> the tokens before it, and unmarked tokens after it (the turn's closing
    /// text a template writes outside the block, such as a newline after the end-of-turn token) are
    /// left out: they carry no loss and, coming last, change no marked token's prediction, so SFT and
    /// DPO see what TRL computes (a reward model reads its score on the run's last token). A mask
    /// that is not one run (the template also marks an earlier assistant turn of
    /// <paramref name="messages"/>) cannot be a prompt and a completion and is refused.
    /// </para>
    /// </summary>
    /// <exception cref="InvalidOperationException">The template renders the reply as nothing the prompt does not already hold, or its assistant mask is not one run.</exception>
    public (int[] Prompt, int[] Completion) Completion(IReadOnlyList<ChatMessage> messages, string response)
    {
        var (prompt, completions) = Split(messages, [response]);
        return (prompt, completions[0]);
    }

    /// <summary>
    /// Two replies to the same conversation (a preference pair), split as <see cref="Completion"/>
    /// splits one, at the prefix all three token sequences share, so each of
    /// <c>Prompt ++ Chosen</c> and <c>Prompt ++ Rejected</c> is its whole-chat tokenization. With
    /// generation blocks each reply is its last marked run: a multi-turn history's assistant turns,
    /// marked too, are part of the prompt.
    /// </summary>
    /// <exception cref="InvalidOperationException">The template renders a reply as nothing the prompt does not already hold, or (with generation blocks) the last marked runs of the two replies do not follow the same prompt tokens.</exception>
    public (int[] Prompt, int[] Chosen, int[] Rejected) Completions(IReadOnlyList<ChatMessage> messages, string chosen, string rejected)
    {
        var (prompt, completions) = Split(messages, [chosen, rejected]);
        return (prompt, completions[0], completions[1]);
    }

    /// <summary>
    /// The whole conversation's tokens (its rendering without a generation prompt) and transformers'
    /// assistant mask over them, <c>apply_chat_template(conversation, return_assistant_tokens_mask=True,
    /// return_dict=True)</c>: the spans the template's <c>{% generation %}</c> blocks wrote, mapped
    /// to tokens by their character offsets (<see cref="AssistantMask"/>). Every turn the template
    /// marks is marked, earlier assistant turns included, as TRL's <c>assistant_only_loss</c> trains.
    /// </summary>
    /// <exception cref="InvalidOperationException">The template has no generation blocks, or the tokenizer gives no offsets.</exception>
    public (int[] Ids, bool[] Mask) AssistantTokens(IReadOnlyList<ChatMessage> conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        if (!template.HasGenerationBlocks)
            throw new InvalidOperationException($"Chat template {template.Name} has no {{% generation %}} blocks, so it marks no assistant tokens.");
        if (tokenizer is not ITokenizerWithOffsets offsetTokenizer)
            throw new InvalidOperationException($"Chat template {template.Name} marks the assistant's text with {{% generation %}} blocks, which needs each token's character offsets; the {tokenizer.GetType().Name} does not give them.");
        var rendered = template.RenderWithGenerationSpans(conversation, addGenerationPrompt: false);
        var tokens = offsetTokenizer.EncodeWithOffsets(rendered.Text, AddSpecialTokens);
        return (tokens.Ids, AssistantMask.Of(tokens, rendered.GenerationSpans));
    }

    (int[] Prompt, int[][] Completions) Split(IReadOnlyList<ChatMessage> messages, string[] responses)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return template.HasGenerationBlocks ? SplitAtAssistantMask(messages, responses) : SplitAtPrompt(messages, responses);
    }

    /// <summary>
    /// Each reply's marked run as its completion, after the prompt tokens all share (see
    /// <see cref="Completion"/>). A single reply must be the only run; of two replies each takes its
    /// last run, and earlier runs (the history's assistant turns, which both replies share) stay in the
    /// prompt, as TRL's DPO and reward trainers take everything before the last reply as the prompt.
    /// </summary>
    (int[] Prompt, int[][] Completions) SplitAtAssistantMask(IReadOnlyList<ChatMessage> messages, string[] responses)
    {
        int[]? prompt = null;
        var completions = new int[responses.Length][];
        for (int r = 0; r < responses.Length; r++)
        {
            var (ids, mask) = AssistantTokens([.. messages, ChatMessage.Assistant(responses[r])]);
            int last = Array.LastIndexOf(mask, true);
            if (last < 0)
                throw new InvalidOperationException($"Chat template {template.Name} marks no token of the conversation with its {{% generation %}} blocks, so there is nothing to train on.");
            int first = Array.LastIndexOf(mask, false, last) + 1;
            if (responses.Length == 1 && Array.IndexOf(mask, true) < first)
                throw new InvalidOperationException($"Chat template {template.Name} marks assistant tokens in more than one run (an earlier assistant turn, or text inside the reply outside its {{% generation %}} block); "
                    + $"a prompt and one completion cannot carry that mask ({nameof(AssistantTokens)} gives it whole).");
            if (prompt is null)
                prompt = ids[..first];
            else if (!prompt.AsSpan().SequenceEqual(ids.AsSpan(0, first)))
                throw new InvalidOperationException($"Chat template {template.Name}: the tokens before the last marked run differ between the replies (a token spans the start of the {{% generation %}} block, or a reply is marked in more than one run), so the replies share no prompt.");
            completions[r] = ids[first..(last + 1)];
        }
        return (prompt!, completions);
    }

    (int[] Prompt, int[][] Completions) SplitAtPrompt(IReadOnlyList<ChatMessage> messages, string[] responses)
    {
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
