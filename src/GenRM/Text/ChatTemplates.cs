using GenRM.Text.Jinja;

namespace GenRM.Text;

/// <summary>Picks the chat template of a model folder: its own <c>chat_template</c>, rendered.</summary>
public static class ChatTemplates
{
    /// <summary>
    /// The template of a tokenizer's folder: its <c>chat_template</c> run by
    /// <see cref="JinjaChatTemplate"/> with the folder's special tokens. A folder without one (a base
    /// model) gets <see cref="PlainChatTemplate"/>, the documented default, and a line on
    /// <paramref name="notices"/> (standard error when null) saying so.
    /// </summary>
    /// <exception cref="BadInputException">The template is not Jinja this interpreter can run; the message names the file, the construct and where.</exception>
    public static IChatTemplate ForTokenizer(HuggingFaceTokenizer tokenizer, TextWriter? notices = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return Detect(tokenizer.ChatTemplateSource, tokenizer.SpecialTokens, tokenizer.ChatTemplateFile ?? HuggingFaceTokenizer.TokenizerConfigFile, notices);
    }

    /// <summary>
    /// <see cref="JinjaChatTemplate"/> for <paramref name="chatTemplateSource"/>, or the documented
    /// default (<see cref="PlainChatTemplate"/>, announced on <paramref name="notices"/>) when there is none.
    /// </summary>
    /// <exception cref="BadInputException">The template cannot be parsed; <paramref name="sourceFile"/> names it.</exception>
    public static IChatTemplate Detect(string? chatTemplateSource, IReadOnlyDictionary<string, string>? specialTokens, string sourceFile, TextWriter? notices = null)
    {
        if (string.IsNullOrEmpty(chatTemplateSource))
        {
            (notices ?? Console.Error).WriteLine(
                $"{sourceFile}: no chat_template; using the plain default (\"role: content\" lines, \"assistant: \" as the generation prompt).");
            return new PlainChatTemplate();
        }
        try
        {
            return new JinjaChatTemplate(chatTemplateSource, specialTokens, name: Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(sourceFile))) ?? "jinja");
        }
        catch (JinjaException e)
        {
            throw BadInputException.About(sourceFile, "the chat template cannot be run: " + e.Message, "chat_template");
        }
    }
}
