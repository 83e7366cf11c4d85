namespace GenRM.Text.Jinja;

/// <summary>A statement of a parsed template, with where it starts.</summary>
internal abstract record JinjaNode(int Line, int Column);

internal sealed record TextNode(string Text, int Line, int Column) : JinjaNode(Line, Column);

internal sealed record OutputNode(JinjaExpr Value, int Line, int Column) : JinjaNode(Line, Column);

internal sealed record IfNode(IReadOnlyList<(JinjaExpr Condition, IReadOnlyList<JinjaNode> Body)> Branches, IReadOnlyList<JinjaNode> Else, int Line, int Column)
    : JinjaNode(Line, Column);

/// <summary><c>{% for a, b in items if condition %}...{% else %}...{% endfor %}</c>.</summary>
internal sealed record ForNode(IReadOnlyList<string> Targets, JinjaExpr Iterable, JinjaExpr? Filter, IReadOnlyList<JinjaNode> Body, IReadOnlyList<JinjaNode> Else, int Line, int Column)
    : JinjaNode(Line, Column);

/// <summary><c>{% set a = v %}</c>, <c>{% set a, b = v %}</c> or <c>{% set ns.attr = v %}</c> (Namespace is then the namespace's name).</summary>
internal sealed record SetNode(IReadOnlyList<string> Targets, string? Namespace, JinjaExpr Value, int Line, int Column) : JinjaNode(Line, Column);

/// <summary><c>{% set name %}...{% endset %}</c>: the rendered body becomes the value.</summary>
internal sealed record BlockSetNode(string Target, IReadOnlyList<JinjaNode> Body, int Line, int Column) : JinjaNode(Line, Column);

internal sealed record MacroNode(string Name, IReadOnlyList<(string Name, JinjaExpr? Default)> Parameters, IReadOnlyList<JinjaNode> Body, int Line, int Column)
    : JinjaNode(Line, Column);

/// <summary>
/// <c>{% generation %}...{% endgeneration %}</c>: transformers' AssistantTracker extension marks the
/// assistant's text with it (for <c>return_assistant_tokens_mask</c>); the text renders as written,
/// and <see cref="JinjaTemplate.RenderWithGenerationSpans"/> records where.
/// </summary>
internal sealed record GenerationNode(IReadOnlyList<JinjaNode> Body, int Line, int Column) : JinjaNode(Line, Column);

internal sealed record BreakNode(int Line, int Column) : JinjaNode(Line, Column);

internal sealed record ContinueNode(int Line, int Column) : JinjaNode(Line, Column);

/// <summary>An expression of a parsed template, with where it starts.</summary>
internal abstract record JinjaExpr(int Line, int Column);

internal sealed record LiteralExpr(object? Value, int Line, int Column) : JinjaExpr(Line, Column);

internal sealed record NameExpr(string Name, int Line, int Column) : JinjaExpr(Line, Column);

internal sealed record ListExpr(IReadOnlyList<JinjaExpr> Items, bool IsTuple, int Line, int Column) : JinjaExpr(Line, Column);

internal sealed record DictExpr(IReadOnlyList<(JinjaExpr Key, JinjaExpr Value)> Items, int Line, int Column) : JinjaExpr(Line, Column);

internal sealed record AttributeExpr(JinjaExpr Target, string Name, int Line, int Column) : JinjaExpr(Line, Column);

internal sealed record ItemExpr(JinjaExpr Target, JinjaExpr Key, int Line, int Column) : JinjaExpr(Line, Column);

internal sealed record SliceExpr(JinjaExpr Target, JinjaExpr? Start, JinjaExpr? Stop, JinjaExpr? Step, int Line, int Column) : JinjaExpr(Line, Column);

/// <summary>Positional and keyword arguments of a call, filter or test.</summary>
internal sealed record JinjaArgumentList(IReadOnlyList<JinjaExpr> Positional, IReadOnlyList<(string Name, JinjaExpr Value)> Named)
{
    public static JinjaArgumentList None { get; } = new([], []);
}

internal sealed record CallExpr(JinjaExpr Target, JinjaArgumentList Arguments, int Line, int Column) : JinjaExpr(Line, Column);

internal sealed record FilterExpr(JinjaExpr Target, string Name, JinjaArgumentList Arguments, int Line, int Column) : JinjaExpr(Line, Column);

internal sealed record TestExpr(JinjaExpr Target, string Name, JinjaArgumentList Arguments, bool Negated, int Line, int Column) : JinjaExpr(Line, Column);

internal sealed record UnaryExpr(string Operator, JinjaExpr Operand, int Line, int Column) : JinjaExpr(Line, Column);

internal sealed record BinaryExpr(string Operator, JinjaExpr Left, JinjaExpr Right, int Line, int Column) : JinjaExpr(Line, Column);

internal sealed record ConditionalExpr(JinjaExpr Condition, JinjaExpr Then, JinjaExpr? Else, int Line, int Column) : JinjaExpr(Line, Column);
