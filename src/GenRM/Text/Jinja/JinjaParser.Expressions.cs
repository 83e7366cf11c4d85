namespace GenRM.Text.Jinja;

/// <summary>Expressions, with jinja2's precedence: conditional, or, and, not, comparisons and
/// <c>in</c>, <c>+ -</c>, <c>~</c>, <c>* / // %</c>, <c>**</c>, unary minus, then postfix
/// attribute, subscript, slice and call, and filters (<c>|</c>) and tests (<c>is</c>).</summary>
internal sealed partial class JinjaParser
{
    static readonly HashSet<string> Comparisons = ["==", "!=", "<", "<=", ">", ">="];

    JinjaExpr ParseTupleOrExpression()
    {
        var first = Current;
        var value = ParseExpression();
        if (!Current.IsOperator(","))
            return value;
        var items = new List<JinjaExpr> { value };
        while (Current.IsOperator(","))
        {
            position++;
            if (Current.Kind is JinjaTokenKind.BlockEnd or JinjaTokenKind.VariableEnd || Current.IsOperator(")"))
                break;
            items.Add(ParseExpression());
        }
        return new ListExpr(items, IsTuple: true, first.Line, first.Column);
    }

    JinjaExpr ParseExpression(bool allowConditional = true)
    {
        var value = ParseOr();
        while (allowConditional && Current.IsName("if"))
        {
            var at = Next();
            var condition = ParseOr();
            JinjaExpr? otherwise = null;
            if (Current.IsName("else"))
            {
                position++;
                otherwise = ParseExpression();
            }
            value = new ConditionalExpr(condition, value, otherwise, at.Line, at.Column);
        }
        return value;
    }

    JinjaExpr ParseOr()
    {
        var left = ParseAnd();
        while (Current.IsName("or"))
        {
            var at = Next();
            left = new BinaryExpr("or", left, ParseAnd(), at.Line, at.Column);
        }
        return left;
    }

    JinjaExpr ParseAnd()
    {
        var left = ParseNot();
        while (Current.IsName("and"))
        {
            var at = Next();
            left = new BinaryExpr("and", left, ParseNot(), at.Line, at.Column);
        }
        return left;
    }

    JinjaExpr ParseNot()
    {
        if (!Current.IsName("not"))
            return ParseCompare();
        var at = Next();
        return new UnaryExpr("not", ParseNot(), at.Line, at.Column);
    }

    JinjaExpr ParseCompare()
    {
        var left = ParseMath1();
        JinjaExpr? result = null;
        while (true)
        {
            var at = Current;
            string op;
            if (at.Kind == JinjaTokenKind.Operator && Comparisons.Contains(at.Value))
                op = at.Value;
            else if (at.IsName("in"))
                op = "in";
            else if (at.IsName("not") && tokens[position + 1].IsName("in"))
            {
                position++;
                op = "not in";
            }
            else
                break;
            position++;
            var right = ParseMath1();
            var comparison = new BinaryExpr(op, left, right, at.Line, at.Column);
            // a < b < c is (a < b) and (b < c), as in Python.
            result = result is null ? comparison : new BinaryExpr("and", result, comparison, at.Line, at.Column);
            left = right;
        }
        return result ?? left;
    }

    JinjaExpr ParseMath1() => ParseLeftAssociative(ParseConcat, "+", "-");

    JinjaExpr ParseConcat() => ParseLeftAssociative(ParseMath2, "~");

    JinjaExpr ParseMath2() => ParseLeftAssociative(ParsePow, "*", "/", "//", "%");

    JinjaExpr ParsePow() => ParseLeftAssociative(() => ParseUnary(), "**");

    JinjaExpr ParseLeftAssociative(Func<JinjaExpr> operand, params string[] operators)
    {
        var left = operand();
        while (Current.Kind == JinjaTokenKind.Operator && operators.Contains(Current.Value))
        {
            var at = Next();
            left = new BinaryExpr(at.Value, left, operand(), at.Line, at.Column);
        }
        return left;
    }

    JinjaExpr ParseUnary(bool withFilter = true)
    {
        JinjaExpr node;
        var at = Current;
        if (at.IsOperator("-") || at.IsOperator("+"))
        {
            position++;
            node = new UnaryExpr(at.Value, ParseUnary(withFilter: false), at.Line, at.Column);
        }
        else
            node = ParsePostfix(ParsePrimary());
        return withFilter ? ParseFilterChain(node) : node;
    }

    JinjaExpr ParsePrimary()
    {
        var token = Next();
        switch (token.Kind)
        {
            case JinjaTokenKind.Name:
                return token.Value switch
                {
                    "true" or "True" => new LiteralExpr(true, token.Line, token.Column),
                    "false" or "False" => new LiteralExpr(false, token.Line, token.Column),
                    "none" or "None" => new LiteralExpr(null, token.Line, token.Column),
                    _ => new NameExpr(token.Value, token.Line, token.Column),
                };
            case JinjaTokenKind.String:
                string text = token.Value;
                while (Current.Kind == JinjaTokenKind.String)
                    text += Next().Value;
                return new LiteralExpr(text, token.Line, token.Column);
            case JinjaTokenKind.Integer:
                if (!long.TryParse(token.Value, System.Globalization.CultureInfo.InvariantCulture, out long integer))
                    throw Error($"Integer literal {token.Value} is out of range", token);
                return new LiteralExpr(integer, token.Line, token.Column);
            case JinjaTokenKind.Float:
                return new LiteralExpr(double.Parse(token.Value, System.Globalization.CultureInfo.InvariantCulture), token.Line, token.Column);
            case JinjaTokenKind.Operator when token.Value == "(":
                if (Current.IsOperator(")"))
                {
                    position++;
                    return new ListExpr([], IsTuple: true, token.Line, token.Column);
                }
                var inner = ParseTupleOrExpression();
                Expect(JinjaTokenKind.Operator, ")");
                return inner;
            case JinjaTokenKind.Operator when token.Value == "[":
                return new ListExpr(ParseSequence("]"), IsTuple: false, token.Line, token.Column);
            case JinjaTokenKind.Operator when token.Value == "{":
                var pairs = new List<(JinjaExpr, JinjaExpr)>();
                while (!Current.IsOperator("}"))
                {
                    if (pairs.Count > 0)
                        Expect(JinjaTokenKind.Operator, ",");
                    if (Current.IsOperator("}"))
                        break;
                    var key = ParseExpression();
                    Expect(JinjaTokenKind.Operator, ":");
                    pairs.Add((key, ParseExpression()));
                }
                position++;
                return new DictExpr(pairs, token.Line, token.Column);
            default:
                throw Error($"Unexpected {token} in an expression", token);
        }
    }

    List<JinjaExpr> ParseSequence(string close)
    {
        var items = new List<JinjaExpr>();
        while (!Current.IsOperator(close))
        {
            if (items.Count > 0)
                Expect(JinjaTokenKind.Operator, ",");
            if (Current.IsOperator(close))
                break;
            items.Add(ParseExpression());
        }
        position++;
        return items;
    }

    JinjaExpr ParsePostfix(JinjaExpr node)
    {
        while (true)
        {
            var at = Current;
            if (at.IsOperator("."))
            {
                position++;
                var name = Next();
                if (name.Kind is not (JinjaTokenKind.Name or JinjaTokenKind.Integer))
                    throw Error($"Expected an attribute name after '.', found {name}", name);
                node = name.Kind == JinjaTokenKind.Integer
                    ? new ItemExpr(node, new LiteralExpr(long.Parse(name.Value, System.Globalization.CultureInfo.InvariantCulture), name.Line, name.Column), at.Line, at.Column)
                    : new AttributeExpr(node, name.Value, at.Line, at.Column);
            }
            else if (at.IsOperator("["))
            {
                position++;
                node = ParseSubscript(node, at);
            }
            else if (at.IsOperator("("))
                node = new CallExpr(node, ParseArguments(), at.Line, at.Column);
            else
                return node;
        }
    }

    JinjaExpr ParseSubscript(JinjaExpr target, JinjaToken at)
    {
        JinjaExpr? start = Current.IsOperator(":") ? null : ParseExpression();
        if (!Current.IsOperator(":"))
        {
            Expect(JinjaTokenKind.Operator, "]");
            return new ItemExpr(target, start!, at.Line, at.Column);
        }
        position++;
        JinjaExpr? stop = Current.IsOperator(":") || Current.IsOperator("]") ? null : ParseExpression();
        JinjaExpr? step = null;
        if (Current.IsOperator(":"))
        {
            position++;
            step = Current.IsOperator("]") ? null : ParseExpression();
        }
        Expect(JinjaTokenKind.Operator, "]");
        return new SliceExpr(target, start, stop, step, at.Line, at.Column);
    }

    JinjaArgumentList ParseArguments()
    {
        Expect(JinjaTokenKind.Operator, "(");
        var positional = new List<JinjaExpr>();
        var named = new List<(string, JinjaExpr)>();
        while (!Current.IsOperator(")"))
        {
            if (positional.Count + named.Count > 0)
                Expect(JinjaTokenKind.Operator, ",");
            if (Current.IsOperator(")"))
                break;
            if (Current.IsOperator("*") || Current.IsOperator("**"))
                throw Error("Unsupported: *args / **kwargs in a call", Current);
            if (Current.Kind == JinjaTokenKind.Name && tokens[position + 1].IsOperator("="))
            {
                string name = Next().Value;
                position++;
                named.Add((name, ParseExpression()));
            }
            else if (named.Count > 0)
                throw Error("A positional argument follows a keyword argument", Current);
            else
                positional.Add(ParseExpression());
        }
        position++;
        return new JinjaArgumentList(positional, named);
    }

    JinjaExpr ParseFilterChain(JinjaExpr node)
    {
        while (true)
        {
            var at = Current;
            if (at.IsOperator("|"))
            {
                position++;
                var name = Expect(JinjaTokenKind.Name);
                if (!JinjaFilters.Exists(name.Value))
                    throw Error($"Unsupported filter '{name.Value}'", name);
                var arguments = Current.IsOperator("(") ? ParseArguments() : JinjaArgumentList.None;
                node = new FilterExpr(node, name.Value, arguments, name.Line, name.Column);
            }
            else if (at.IsName("is"))
            {
                position++;
                bool negated = false;
                if (Current.IsName("not"))
                {
                    position++;
                    negated = true;
                }
                var name = Expect(JinjaTokenKind.Name);
                if (!JinjaTests.Exists(name.Value))
                    throw Error($"Unsupported test '{name.Value}'", name);
                JinjaArgumentList arguments = JinjaArgumentList.None;
                if (Current.IsOperator("("))
                    arguments = ParseArguments();
                else if (StartsTestArgument(Current))
                    arguments = new JinjaArgumentList([ParsePostfix(ParsePrimary())], []);
                node = new TestExpr(node, name.Value, arguments, negated, name.Line, name.Column);
            }
            else if (at.IsOperator("("))
                node = new CallExpr(node, ParseArguments(), at.Line, at.Column);
            else
                return node;
        }
    }

    /// <summary>jinja2 takes one argument without parentheses after a test name (<c>is divisibleby 3</c>).</summary>
    static bool StartsTestArgument(JinjaToken token) =>
        token.Kind is JinjaTokenKind.String or JinjaTokenKind.Integer or JinjaTokenKind.Float
        || (token.Kind == JinjaTokenKind.Name && token.Value is not ("else" or "or" or "and"))
        || token.IsOperator("[") || token.IsOperator("{");
}
