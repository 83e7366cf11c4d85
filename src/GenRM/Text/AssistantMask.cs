namespace GenRM.Text;

/// <summary>
/// transformers' assistant mask (<c>apply_chat_template(..., return_assistant_tokens_mask=True)</c>,
/// which TRL's <c>assistant_only_loss</c> trains on): for each generation span in turn, the tokens
/// from the one holding its first character through the one holding its last are marked
/// (<see cref="TokenizedText.TokenAt"/>, Hugging Face's <c>char_to_token</c>). Its edge cases are
/// kept, since the mask TRL trains on is the one it gives: a span whose first character no token
/// holds ends the marking there (transformers takes it for truncation), and a span whose last
/// character no token holds, or token 0 holds, is marked through the end of the sequence
/// (<c>end_token + 1 if end_token else len(input_ids)</c>).
/// </summary>
internal static class AssistantMask
{
    public static bool[] Of(TokenizedText tokens, IReadOnlyList<CharSpan> generationSpans)
    {
        var mask = new bool[tokens.Ids.Length];
        foreach (var span in generationSpans)
        {
            if (tokens.TokenAt(span.Start) is not int first)
                break;
            int stop = tokens.TokenAt(span.End - 1) is int last and > 0 ? last + 1 : mask.Length;
            for (int i = first; i < stop; i++)
                mask[i] = true;
        }
        return mask;
    }
}
