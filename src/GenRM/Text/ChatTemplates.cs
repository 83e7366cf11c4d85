using System.Text.Json;
using GenRM.Text.Jinja;

namespace GenRM.Text;

/// <summary>Picks the chat template of a model folder: its own <c>chat_template</c>, rendered.</summary>
public static class ChatTemplates
{
    /// <summary>
    /// A Hugging Face model folder's tokenizer and its chat template (<see cref="ForTokenizer"/>),
    /// with <paramref name="arguments"/> (the keyword arguments of <c>apply_chat_template</c>, as
    /// a spec's <c>template_arguments</c> or <c>--template-arg</c> give them) as template variables.
    /// </summary>
    /// <exception cref="BadInputException">The tokenizer files or the template cannot be read.</exception>
    public static (ITokenizer Tokenizer, IChatTemplate Template) ForFolder(string folder, IReadOnlyDictionary<string, JsonElement>? arguments = null)
    {
        var tokenizer = HuggingFaceTokenizer.FromFolder(folder);
        return (tokenizer, ForTokenizer(tokenizer, arguments: arguments?.ToDictionary(a => a.Key, a => (object?)a.Value, StringComparer.Ordinal)));
    }

    /// <summary>
    /// The template of a tokenizer's folder: its <c>chat_template</c> run by
    /// <see cref="JinjaChatTemplate"/> with the folder's special tokens and
    /// <paramref name="arguments"/> (the keyword arguments of <c>apply_chat_template</c>, such as
    /// <c>enable_thinking</c>). A folder without one (a base model) gets
    /// <see cref="PlainChatTemplate"/>, the documented default, and a line on
    /// <paramref name="notices"/> (standard error when null) saying so. The template's
    /// <c>strftime_now</c> reads <paramref name="clock"/> (the system clock when null).
    /// </summary>
    /// <exception cref="BadInputException">The template is not Jinja this interpreter can run; the message names the file, the construct and where.</exception>
    public static IChatTemplate ForTokenizer(HuggingFaceTokenizer tokenizer, TextWriter? notices = null, IReadOnlyDictionary<string, object?>? arguments = null,
        TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return Detect(tokenizer.ChatTemplateSource, tokenizer.SpecialTokens, tokenizer.ChatTemplateFile ?? HuggingFaceTokenizer.TokenizerConfigFile, notices, arguments, clock);
    }

    /// <summary>
    /// <see cref="JinjaChatTemplate"/> for <paramref name="chatTemplateSource"/>, or the documented
    /// default (<see cref="PlainChatTemplate"/>, announced on <paramref name="notices"/>) when there
    /// is none. A template that refuses a system turn (Gemma 2) is wrapped in
    /// <see cref="SystemFoldingChatTemplate"/>, and <paramref name="notices"/> says so once. The
    /// template's <c>strftime_now</c> reads <paramref name="clock"/> (the system clock when null).
    /// </summary>
    /// <exception cref="BadInputException">The template cannot be parsed; <paramref name="sourceFile"/> names it.</exception>
    public static IChatTemplate Detect(string? chatTemplateSource, IReadOnlyDictionary<string, string>? specialTokens, string sourceFile,
        TextWriter? notices = null, IReadOnlyDictionary<string, object?>? arguments = null, TimeProvider? clock = null)
    {
        notices ??= Console.Error;
        if (string.IsNullOrEmpty(chatTemplateSource))
        {
            notices.WriteLine($"{sourceFile}: no chat_template; using the plain default (\"role: content\" lines, \"assistant: \" as the generation prompt)"
                + (arguments is { Count: > 0 } ? $"; the template arguments ({string.Join(", ", arguments.Keys)}) have nothing to reach." : "."));
            return new PlainChatTemplate();
        }
        JinjaChatTemplate template;
        try
        {
            template = new JinjaChatTemplate(chatTemplateSource, specialTokens, arguments, clock, name: Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(sourceFile))) ?? "jinja");
            if (!SystemFoldingChatTemplate.RefusesSystemTurn(template))
                return template;
        }
        catch (JinjaException e)
        {
            throw BadInputException.About(sourceFile, "the chat template cannot be run: " + e.Message, "chat_template");
        }
        notices.WriteLine($"{sourceFile}: the chat template refuses a system turn; a system message is put at the start of the first user turn, followed by a blank line.");
        return new SystemFoldingChatTemplate(template);
    }
}
