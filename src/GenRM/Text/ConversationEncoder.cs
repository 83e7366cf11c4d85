using GenRM.Data;

namespace GenRM.Text;

/// <summary>
/// Turns conversations into the token ids a model was trained on: the prompt rendered through the
/// chat template up to the assistant's header, and a response closed by the template's end of turn.
/// Training (BT, SFT, DPO) and judging encode through this one place, so both see the same tokens.
/// </summary>
public sealed class ConversationEncoder(ITokenizer tokenizer, IChatTemplate template)
{
    public ITokenizer Tokenizer => tokenizer;

    public IChatTemplate Template => template;

    /// <summary>The conversation so far, ending with the header that opens the assistant's turn; without a chat template to write BOS (the plain default), the tokenizer's special tokens are added, as Hugging Face's default encoding does.</summary>
    public int[] Prompt(IReadOnlyList<ChatMessage> messages) => tokenizer.Encode(template.Render(messages, addGenerationPrompt: true), addSpecialTokens: template is PlainChatTemplate);

    /// <summary>An assistant response and the end-of-turn text that closes it.</summary>
    public int[] Response(string response) => tokenizer.Encode(response + template.EndOfTurn);

    /// <summary>Prompt and response as a whole sequence (what a reward model reads).</summary>
    public int[] Conversation(IReadOnlyList<ChatMessage> messages, string response) => [.. Prompt(messages), .. Response(response)];
}
