namespace GenRM.Text;

/// <summary>
/// A template's rendering with the spans of <paramref name="Text"/> its <c>{% generation %}</c>
/// blocks wrote (the assistant's text, for <c>return_assistant_tokens_mask</c>), in the order they
/// were recorded; none for a template without such blocks.
/// </summary>
public sealed record RenderedText(string Text, IReadOnlyList<CharSpan> GenerationSpans);
