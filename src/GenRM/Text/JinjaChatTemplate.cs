using GenRM.Data;
using GenRM.Text.Jinja;

namespace GenRM.Text;

/// <summary>
/// A model's own <c>chat_template</c> (Jinja source from <c>tokenizer_config.json</c>), rendered as
/// Hugging Face's <c>apply_chat_template</c> renders it: the template sees <c>messages</c> (role
/// and content), <c>add_generation_prompt</c>, the tokenizer's special tokens that are set
/// (<c>bos_token</c>, <c>eos_token</c>...) and any extra variables (the keyword arguments of
/// <c>apply_chat_template</c>: <c>enable_thinking</c>, <c>date_string</c>...). See
/// <see cref="JinjaTemplate"/> for the Jinja subset it runs.
/// </summary>
public sealed class JinjaChatTemplate : IChatTemplate
{
    readonly JinjaTemplate template;
    readonly Dictionary<string, object?> variables;
    readonly TimeProvider? clock;

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
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public bool HasGenerationBlocks => template.HasGenerationBlocks;

    /// <inheritdoc/>
    /// <exception cref="JinjaRaisedException">The template refused the conversation (its raise_exception message).</exception>
    /// <exception cref="JinjaException">The template failed while rendering.</exception>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt) => template.Render(Variables(messages, addGenerationPrompt), clock);

    /// <inheritdoc/>
    /// <exception cref="JinjaRaisedException">The template refused the conversation (its raise_exception message).</exception>
    /// <exception cref="JinjaException">The template failed while rendering.</exception>
    public RenderedText RenderWithGenerationSpans(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt) =>
        template.RenderWithGenerationSpans(Variables(messages, addGenerationPrompt), clock);

    Dictionary<string, object?> Variables(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return new Dictionary<string, object?>(variables, StringComparer.Ordinal)
        {
            ["messages"] = messages.Select(m => (object?)new Dictionary<string, object?>(StringComparer.Ordinal) { ["role"] = m.Role, ["content"] = m.Content }).ToList(),
            ["add_generation_prompt"] = addGenerationPrompt,
        };
    }
}
