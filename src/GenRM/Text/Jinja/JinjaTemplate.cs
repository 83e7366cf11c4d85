using System.Collections;
using System.Text.Json;

namespace GenRM.Text.Jinja;

/// <summary>
/// A Jinja template parsed once and rendered many times, with the semantics Hugging Face's
/// <c>apply_chat_template</c> gives jinja2: sandboxed (data only: no Python attributes beyond the
/// str/dict/list methods listed in <see cref="JinjaMethods"/>), <c>trim_blocks</c>,
/// <c>lstrip_blocks</c>, loop controls, <c>namespace</c>, macros, Hugging Face's <c>tojson</c>,
/// <c>raise_exception</c> and <c>strftime_now</c>. Anything outside that subset is a
/// <see cref="JinjaException"/> naming the construct and its line and column, at parse time for
/// tags, filters and tests, at render time for methods.
/// </summary>
public sealed class JinjaTemplate
{
    readonly IReadOnlyList<JinjaNode> body;

    JinjaTemplate(IReadOnlyList<JinjaNode> body)
    {
        this.body = body;
        HasGenerationBlocks = ContainsGeneration(body);
    }

    /// <summary>Whether the template has a <c>{% generation %}</c> block anywhere (a branch, a loop, a macro).</summary>
    public bool HasGenerationBlocks { get; }

    /// <exception cref="JinjaException">The source is not valid Jinja or uses an unsupported construct.</exception>
    public static JinjaTemplate Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new JinjaTemplate(JinjaParser.Parse(source));
    }

    /// <summary>
    /// Renders with <paramref name="variables"/> (strings, booleans, integers, floats, null, lists,
    /// string-keyed dictionaries, <see cref="JsonElement"/>s); <paramref name="clock"/> is what
    /// <c>strftime_now</c> reads (local time, as Python's <c>datetime.now()</c>).
    /// </summary>
    /// <exception cref="JinjaRaisedException">The template called <c>raise_exception</c>.</exception>
    /// <exception cref="JinjaException">The template failed at run time (an undefined value used, an unsupported method).</exception>
    public string Render(IReadOnlyDictionary<string, object?> variables, TimeProvider? clock = null) => Render(variables, clock, spans: null);

    /// <summary>
    /// <see cref="Render(IReadOnlyDictionary{string, object}, TimeProvider)"/>, with the span of
    /// the text each <c>{% generation %}</c> block wrote, as transformers' AssistantTracker records
    /// it for <c>apply_chat_template(..., return_assistant_tokens_mask=True)</c>.
    /// </summary>
    /// <exception cref="JinjaRaisedException">The template called <c>raise_exception</c>.</exception>
    /// <exception cref="JinjaException">The template failed at run time.</exception>
    public RenderedText RenderWithGenerationSpans(IReadOnlyDictionary<string, object?> variables, TimeProvider? clock = null)
    {
        var spans = new List<CharSpan>();
        string text = Render(variables, clock, spans);
        return new RenderedText(text, spans);
    }

    string Render(IReadOnlyDictionary<string, object?> variables, TimeProvider? clock, List<CharSpan>? spans)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var time = clock ?? TimeProvider.System;
        var values = variables.ToDictionary(p => p.Key, p => ToValue(p.Value), StringComparer.Ordinal);
        return new JinjaRenderer(() => time.GetLocalNow().DateTime).Render(body, values, spans);
    }

    static bool ContainsGeneration(IEnumerable<JinjaNode> nodes) => nodes.Any(node => node switch
    {
        GenerationNode => true,
        IfNode branches => branches.Branches.Any(b => ContainsGeneration(b.Body)) || ContainsGeneration(branches.Else),
        ForNode loop => ContainsGeneration(loop.Body) || ContainsGeneration(loop.Else),
        BlockSetNode blockSet => ContainsGeneration(blockSet.Body),
        MacroNode macro => ContainsGeneration(macro.Body),
        _ => false,
    });

    /// <summary>Converts a caller's .NET value to the template's value model.</summary>
    static object? ToValue(object? value) => value switch
    {
        null or string or bool or long or double => value,
        int i => (long)i,
        float f => (double)f,
        JsonElement json => FromJson(json),
        IDictionary<string, object?> dict => dict.ToDictionary(p => p.Key, p => ToValue(p.Value), StringComparer.Ordinal),
        IReadOnlyDictionary<string, object?> dict => dict.ToDictionary(p => p.Key, p => ToValue(p.Value), StringComparer.Ordinal),
        IEnumerable items => items.Cast<object?>().Select(ToValue).ToList(),
        _ => throw new ArgumentException($"A template variable cannot be a {value.GetType().Name}.", nameof(value)),
    };

    static object? FromJson(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => json.GetString(),
        JsonValueKind.Number => json.TryGetInt64(out long l) ? (object)l : json.GetDouble(),
        JsonValueKind.Array => json.EnumerateArray().Select(FromJson).ToList(),
        _ => json.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value), StringComparer.Ordinal),
    };
}
