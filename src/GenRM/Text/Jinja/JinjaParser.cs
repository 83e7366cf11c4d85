namespace GenRM.Text.Jinja;

/// <summary>
/// Parses tokens into statements: <c>if/elif/else</c>, <c>for</c> (with an inline <c>if</c> and
/// <c>else</c>), <c>set</c> (names, tuples, namespace attributes, block form), <c>macro</c>,
/// <c>break</c>, <c>continue</c>, <c>generation</c> (transformers' marker of an assistant's
/// text), comments and output. Any other tag is an error naming it.
/// </summary>
internal sealed partial class JinjaParser
{
    readonly List<JinjaToken> tokens;
    int position;

    JinjaParser(List<JinjaToken> tokens) => this.tokens = tokens;

    public static IReadOnlyList<JinjaNode> Parse(string source)
    {
        var parser = new JinjaParser(JinjaLexer.Tokenize(source));
        return parser.ParseBody([], out _);
    }

    JinjaToken Current => tokens[position];

    JinjaToken Next() => tokens[position++];

    static JinjaException Error(string message, JinjaToken at) => new(message, at.Line, at.Column);

    JinjaToken Expect(JinjaTokenKind kind, string? value = null)
    {
        var token = Current;
        if (token.Kind != kind || (value is not null && token.Value != value))
            throw Error($"Expected {(value is null ? kind.ToString().ToLowerInvariant() : $"'{value}'")}, found {token}", token);
        position++;
        return token;
    }

    string ExpectName() => Expect(JinjaTokenKind.Name).Value;

    /// <summary>Statements up to one of the <paramref name="endTags"/> (its name is returned, the tag's name token consumed).</summary>
    List<JinjaNode> ParseBody(string[] endTags, out string endTag)
    {
        var body = new List<JinjaNode>();
        while (true)
        {
            var token = Current;
            switch (token.Kind)
            {
                case JinjaTokenKind.End:
                    if (endTags.Length > 0)
                        throw Error($"Unexpected end of template: expected {string.Join(" or ", endTags.Select(t => $"'{{% {t} %}}'"))}", token);
                    endTag = "";
                    return body;
                case JinjaTokenKind.Text:
                    position++;
                    body.Add(new TextNode(token.Value, token.Line, token.Column));
                    break;
                case JinjaTokenKind.VariableBegin:
                    position++;
                    var value = ParseExpression();
                    Expect(JinjaTokenKind.VariableEnd);
                    body.Add(new OutputNode(value, token.Line, token.Column));
                    break;
                case JinjaTokenKind.BlockBegin:
                    position++;
                    var name = Current;
                    if (name.Kind == JinjaTokenKind.Name && endTags.Contains(name.Value))
                    {
                        position++;
                        endTag = name.Value;
                        return body;
                    }
                    body.Add(ParseStatement());
                    break;
                default:
                    throw Error($"Unexpected {token}", token);
            }
        }
    }

    JinjaNode ParseStatement()
    {
        var tag = Expect(JinjaTokenKind.Name);
        switch (tag.Value)
        {
            case "if": return ParseIf(tag);
            case "for": return ParseFor(tag);
            case "set": return ParseSet(tag);
            case "macro": return ParseMacro(tag);
            case "generation":
                Expect(JinjaTokenKind.BlockEnd);
                var generated = ParseBody(["endgeneration"], out _);
                Expect(JinjaTokenKind.BlockEnd);
                return new GenerationNode(generated, tag.Line, tag.Column);
            case "break":
                Expect(JinjaTokenKind.BlockEnd);
                return new BreakNode(tag.Line, tag.Column);
            case "continue":
                Expect(JinjaTokenKind.BlockEnd);
                return new ContinueNode(tag.Line, tag.Column);
            case "elif" or "else" or "endif" or "endfor" or "endset" or "endmacro" or "endgeneration":
                throw Error($"Unexpected '{{% {tag.Value} %}}' with no open block it could close", tag);
            default:
                throw Error($"Unsupported tag '{{% {tag.Value} %}}'", tag);
        }
    }

    IfNode ParseIf(JinjaToken tag)
    {
        var branches = new List<(JinjaExpr, IReadOnlyList<JinjaNode>)>();
        var condition = ParseExpression();
        while (true)
        {
            Expect(JinjaTokenKind.BlockEnd);
            var body = ParseBody(["elif", "else", "endif"], out string end);
            branches.Add((condition, body));
            if (end == "elif")
            {
                condition = ParseExpression();
                continue;
            }
            IReadOnlyList<JinjaNode> elseBody = [];
            if (end == "else")
            {
                Expect(JinjaTokenKind.BlockEnd);
                elseBody = ParseBody(["endif"], out _);
            }
            Expect(JinjaTokenKind.BlockEnd);
            return new IfNode(branches, elseBody, tag.Line, tag.Column);
        }
    }

    ForNode ParseFor(JinjaToken tag)
    {
        var targets = new List<string> { ExpectName() };
        while (Current.IsOperator(","))
        {
            position++;
            targets.Add(ExpectName());
        }
        Expect(JinjaTokenKind.Name, "in");
        var iterable = ParseExpression(allowConditional: false);
        JinjaExpr? filter = null;
        if (Current.IsName("if"))
        {
            position++;
            filter = ParseExpression();
        }
        if (Current.IsName("recursive"))
            throw Error("Unsupported: recursive for loops", Current);
        Expect(JinjaTokenKind.BlockEnd);
        var body = ParseBody(["else", "endfor"], out string end);
        IReadOnlyList<JinjaNode> elseBody = [];
        if (end == "else")
        {
            Expect(JinjaTokenKind.BlockEnd);
            elseBody = ParseBody(["endfor"], out _);
        }
        Expect(JinjaTokenKind.BlockEnd);
        return new ForNode(targets, iterable, filter, body, elseBody, tag.Line, tag.Column);
    }

    JinjaNode ParseSet(JinjaToken tag)
    {
        string first = ExpectName();
        if (Current.IsOperator("."))
        {
            position++;
            string attribute = ExpectName();
            Expect(JinjaTokenKind.Operator, "=");
            var nsValue = ParseExpression();
            Expect(JinjaTokenKind.BlockEnd);
            return new SetNode([attribute], first, nsValue, tag.Line, tag.Column);
        }
        var targets = new List<string> { first };
        while (Current.IsOperator(","))
        {
            position++;
            targets.Add(ExpectName());
        }
        if (Current.Kind == JinjaTokenKind.BlockEnd && targets.Count == 1)
        {
            position++;
            var body = ParseBody(["endset"], out _);
            Expect(JinjaTokenKind.BlockEnd);
            return new BlockSetNode(first, body, tag.Line, tag.Column);
        }
        if (Current.IsOperator("|"))
            throw Error("Unsupported: filtered block set ('{% set x | filter %}')", Current);
        Expect(JinjaTokenKind.Operator, "=");
        var value = ParseTupleOrExpression();
        Expect(JinjaTokenKind.BlockEnd);
        return new SetNode(targets, null, value, tag.Line, tag.Column);
    }

    MacroNode ParseMacro(JinjaToken tag)
    {
        string name = ExpectName();
        Expect(JinjaTokenKind.Operator, "(");
        var parameters = new List<(string, JinjaExpr?)>();
        while (!Current.IsOperator(")"))
        {
            if (parameters.Count > 0)
                Expect(JinjaTokenKind.Operator, ",");
            if (Current.IsOperator(")"))
                break;
            string parameter = ExpectName();
            JinjaExpr? defaultValue = null;
            if (Current.IsOperator("="))
            {
                position++;
                defaultValue = ParseExpression();
            }
            parameters.Add((parameter, defaultValue));
        }
        position++;
        Expect(JinjaTokenKind.BlockEnd);
        var body = ParseBody(["endmacro"], out _);
        Expect(JinjaTokenKind.BlockEnd);
        return new MacroNode(name, parameters, body, tag.Line, tag.Column);
    }
}
