using GenRM.Data;
using GenRM.Text.Jinja;

namespace GenRM.Text;

/// <summary>
/// A model's own <c>chat_template</c> (Jinja source from <c>tokenizer_config.json</c>), rendered as
/// Hugging Face's <c>apply_chat_template</c> renders it: the template sees <c>messages</c> (role
/// and content), <c>add_generation_prompt</c>, the tokenizer's special tokens that are set
/// (<c>bos_token</c>, <c>eos_token</c>...) and any extra variables (<c>enable_thinking</c>,
/// <c>date_string</c>...). See <see cref="JinjaTemplate"/> for the Jinja subset it runs.
/// </summary>
public sealed class JinjaChatTemplate : IChatTemplate
{
    const string Probe = "\u0001GenRM end-of-turn probe\u0001";

    readonly JinjaTemplate template;
    readonly Dictionary<string, object?> variables;
    readonly TimeProvider? clock;
    readonly Lazy<string> endOfTurn;

    /// <param name="source">The template's Jinja source.</param>
    /// <param name="specialTokens">Variables such as bos_token and eos_token, by name.</param>
    /// <param name="extraVariables">More variables (the keyword arguments of apply_chat_template), or null.</param>
    /// <param name="clock">What <c>strftime_now</c> reads; the system clock when null.</param>
    /// <param name="name">A name for the template (the model folder or family).</param>
    /// <exception cref="JinjaException">The source is not Jinja this interpreter can run; the message names the construct and where.</exception>
    public JinjaChatTemplate(string source, IReadOnlyDictionary<string, string>? specialTokens = null,
        IReadOnlyDictionary<string, object?>? extraVariables = null, TimeProvider? clock = null, string name = "jinja")
    {
        template = JinjaTemplate.Parse(source);
        variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (token, text) in specialTokens ?? new Dictionary<string, string>())
            variables[token] = text;
        foreach (var (key, value) in extraVariables ?? new Dictionary<string, object?>())
            variables[key] = value;
        this.clock = clock;
        Name = name;
        endOfTurn = new Lazy<string>(FindEndOfTurn);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>
    /// What the template writes after an assistant's content when that turn ends the conversation:
    /// found by rendering a user turn and a probe assistant turn and taking the text after the probe.
    /// </summary>
    /// <exception cref="InvalidOperationException">The template does not write an assistant turn's content verbatim.</exception>
    public string EndOfTurn => endOfTurn.Value;

    /// <inheritdoc/>
    /// <exception cref="JinjaRaisedException">The template refused the conversation (its raise_exception message).</exception>
    /// <exception cref="JinjaException">The template failed while rendering.</exception>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var values = new Dictionary<string, object?>(variables, StringComparer.Ordinal)
        {
            ["messages"] = messages.Select(m => (object?)new Dictionary<string, object?>(StringComparer.Ordinal) { ["role"] = m.Role, ["content"] = m.Content }).ToList(),
            ["add_generation_prompt"] = addGenerationPrompt,
        };
        return template.Render(values, clock);
    }

    string FindEndOfTurn()
    {
        string text = Render([ChatMessage.User("Hi"), ChatMessage.Assistant(Probe)], addGenerationPrompt: false);
        int at = text.LastIndexOf(Probe, StringComparison.Ordinal);
        if (at < 0)
            throw new InvalidOperationException($"Chat template {Name} does not write an assistant turn's content as given, so its end of turn cannot be found.");
        return text[(at + Probe.Length)..];
    }
}
