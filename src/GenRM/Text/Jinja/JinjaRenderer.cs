using System.Text;

namespace GenRM.Text.Jinja;

/// <summary>
/// Runs a parsed template: statements write to the output, expressions evaluate with Python's
/// semantics. Scopes follow jinja2: a for loop's body gets a fresh scope on every iteration (so a
/// plain <c>set</c> inside it does not survive, which is why templates use <c>namespace</c>), an
/// <c>if</c> does not, and a macro runs in its own scope over the one it was defined in.
/// </summary>
internal sealed class JinjaRenderer(Func<DateTime> now)
{
    enum Flow { Normal, Break, Continue }

    /// <summary>The template's own output: what jinja2 yields, and where generation spans are counted from.</summary>
    StringBuilder topLevel = new();

    /// <summary>Where <c>{% generation %}</c> blocks' spans go, when asked for.</summary>
    List<CharSpan>? generationSpans;
    // Whether jinja2 would have yielded a chunk of the template's own output yet: every output
    // expression does, an empty one too, and so does a generation block; template text only when not empty.
    bool topLevelYielded;

    sealed class Scope(Scope? parent)
    {
        public Scope? Parent { get; } = parent;

        readonly Dictionary<string, object?> variables = new(StringComparer.Ordinal);

        public void Set(string name, object? value) => variables[name] = value;

        public object? Get(string name)
        {
            for (var scope = this; scope is not null; scope = scope.Parent)
                if (scope.variables.TryGetValue(name, out var value))
                    return value;
            return new JinjaUndefined($"'{name}' is undefined");
        }
    }

    /// <summary>
    /// Renders <paramref name="template"/>; when <paramref name="spans"/> is given, the span of each
    /// <c>{% generation %}</c> block's output is added to it as transformers' AssistantTracker records it.
    /// </summary>
    public string Render(IReadOnlyList<JinjaNode> template, IReadOnlyDictionary<string, object?> variables, List<CharSpan>? spans = null)
    {
        var globals = new Scope(null);
        globals.Set("range", new JinjaCallable("range", Range));
        globals.Set("namespace", new JinjaCallable("namespace", NewNamespace));
        globals.Set("dict", new JinjaCallable("dict", a => a.Positional.Count == 0 ? new Dictionary<string, object?>(a.Named, StringComparer.Ordinal) : throw new JinjaException("dict() takes keyword arguments only here")));
        globals.Set("raise_exception", new JinjaCallable("raise_exception", a => throw new JinjaRaisedException(PythonValues.ToStr(a.Get(0, "message")))));
        globals.Set("strftime_now", new JinjaCallable("strftime_now", a => JinjaStrftime.Format(now(), a.Get(0, "format") as string
            ?? throw new JinjaException("strftime_now needs a format string"))));
        var context = new Scope(globals);
        foreach (var (name, value) in variables)
            context.Set(name, value);
        topLevel = new StringBuilder();
        topLevelYielded = false;
        generationSpans = spans;
        if (Execute(template, context, topLevel) != Flow.Normal)
            throw new JinjaException("'break' or 'continue' outside a for loop");
        return topLevel.ToString();
    }

    Flow Execute(IReadOnlyList<JinjaNode> body, Scope scope, StringBuilder output)
    {
        foreach (var node in body)
        {
            var flow = ExecuteNode(node, scope, output);
            if (flow != Flow.Normal)
                return flow;
        }
        return Flow.Normal;
    }

    Flow ExecuteNode(JinjaNode node, Scope scope, StringBuilder output)
    {
        try
        {
            switch (node)
            {
                case TextNode text:
                    output.Append(text.Text);
                    topLevelYielded |= output == topLevel && text.Text.Length > 0;
                    return Flow.Normal;
                case OutputNode write:
                    output.Append(PythonValues.ToStr(Evaluate(write.Value, scope)));
                    topLevelYielded |= output == topLevel;
                    return Flow.Normal;
                case IfNode branches:
                    foreach (var (condition, body) in branches.Branches)
                        if (PythonValues.IsTruthy(Evaluate(condition, scope)))
                            return Execute(body, scope, output);
                    return Execute(branches.Else, scope, output);
                case ForNode loop:
                    return ExecuteFor(loop, scope, output);
                case SetNode set:
                    Assign(set, scope);
                    return Flow.Normal;
                case BlockSetNode blockSet:
                    var captured = new StringBuilder();
                    Execute(blockSet.Body, scope, captured);
                    scope.Set(blockSet.Target, captured.ToString());
                    return Flow.Normal;
                case MacroNode macro:
                    scope.Set(macro.Name, new JinjaCallable(macro.Name, a => CallMacro(macro, scope, a)));
                    return Flow.Normal;
                case GenerationNode generation:
                    return ExecuteGeneration(generation, scope, output);
                case BreakNode:
                    return Flow.Break;
                case ContinueNode:
                    return Flow.Continue;
                default:
                    throw new JinjaException($"Unsupported statement {node.GetType().Name}");
            }
        }
        catch (JinjaException e) when (e.Line == 0)
        {
            throw new JinjaException(e.Message, node.Line, node.Column);
        }
    }

    /// <summary>
    /// jinja2 renders the block's body apart (transformers makes it a call block), then the
    /// AssistantTracker records it as starting where the template's own output has reached: the
    /// block's place, except inside a macro, a <c>{% set %}</c> block or another generation block,
    /// whose text is not yet in that output; the span is kept as recorded there, since that is the
    /// mask transformers gives. The tracker counts only once jinja2 has yielded a chunk or a span
    /// was recorded (its lists start empty and it tests them for truth): an empty chunk counts, such
    /// as <c>{{ '' }}</c> or an empty generation block at the top level.
    /// </summary>
    Flow ExecuteGeneration(GenerationNode generation, Scope scope, StringBuilder output)
    {
        var body = new StringBuilder();
        var flow = Execute(generation.Body, scope, body);
        if (generationSpans is not null && (topLevelYielded || generationSpans.Count > 0))
            generationSpans.Add(new CharSpan(topLevel.Length, topLevel.Length + body.Length));
        output.Append(body);
        topLevelYielded |= output == topLevel;
        return flow;
    }

    Flow ExecuteFor(ForNode loop, Scope scope, StringBuilder output)
    {
        var items = PythonValues.Iterate(Evaluate(loop.Iterable, scope));
        if (loop.Filter is not null)
            items = items.Where(item =>
            {
                var filterScope = new Scope(scope);
                Bind(loop.Targets, item, filterScope);
                return PythonValues.IsTruthy(Evaluate(loop.Filter, filterScope));
            }).ToList();
        if (items.Count == 0)
            return Execute(loop.Else, scope, output);
        var loopVariable = new JinjaLoop(items);
        for (int i = 0; i < items.Count; i++)
        {
            loopVariable.Index0 = i;
            var iteration = new Scope(scope);
            Bind(loop.Targets, items[i], iteration);
            iteration.Set("loop", loopVariable);
            if (Execute(loop.Body, iteration, output) == Flow.Break)
                break;
        }
        return Flow.Normal;
    }

    static void Bind(IReadOnlyList<string> targets, object? value, Scope scope)
    {
        if (targets.Count == 1)
        {
            scope.Set(targets[0], value);
            return;
        }
        var parts = PythonValues.Iterate(value);
        if (parts.Count != targets.Count)
            throw new JinjaException($"cannot unpack {parts.Count} values into {targets.Count} names ({string.Join(", ", targets)})");
        for (int i = 0; i < targets.Count; i++)
            scope.Set(targets[i], parts[i]);
    }

    void Assign(SetNode set, Scope scope)
    {
        var value = Evaluate(set.Value, scope);
        if (set.Namespace is null)
        {
            Bind(set.Targets, value, scope);
            return;
        }
        if (scope.Get(set.Namespace) is not JinjaNamespace ns)
            throw new JinjaException($"cannot assign attribute '{set.Targets[0]}' on '{set.Namespace}', which is not a namespace()");
        ns.Attributes[set.Targets[0]] = value;
    }

    string CallMacro(MacroNode macro, Scope definition, JinjaArguments arguments)
    {
        if (arguments.Positional.Count > macro.Parameters.Count)
            throw new JinjaException($"macro '{macro.Name}' takes {macro.Parameters.Count} arguments, {arguments.Positional.Count} given");
        var scope = new Scope(definition);
        for (int i = 0; i < macro.Parameters.Count; i++)
        {
            var (name, fallback) = macro.Parameters[i];
            object? value = i < arguments.Positional.Count ? arguments.Positional[i]
                : arguments.Named.TryGetValue(name, out var named) ? named
                : fallback is null ? new JinjaUndefined($"'{name}' is undefined") : Evaluate(fallback, scope);
            scope.Set(name, value);
        }
        foreach (var name in arguments.Named.Keys)
            if (!macro.Parameters.Any(p => p.Name == name))
                throw new JinjaException($"macro '{macro.Name}' has no parameter '{name}'");
        var output = new StringBuilder();
        if (Execute(macro.Body, scope, output) != Flow.Normal)
            throw new JinjaException("'break' or 'continue' outside a for loop");
        return output.ToString();
    }

    object? Evaluate(JinjaExpr expression, Scope scope)
    {
        try
        {
            return EvaluateCore(expression, scope);
        }
        catch (JinjaException e) when (e.Line == 0)
        {
            throw new JinjaException(e.Message, expression.Line, expression.Column);
        }
    }

    object? EvaluateCore(JinjaExpr expression, Scope scope)
    {
        switch (expression)
        {
            case LiteralExpr literal:
                return literal.Value;
            case NameExpr name:
                return scope.Get(name.Name);
            case ListExpr list:
                var items = list.Items.Select(item => Evaluate(item, scope));
                return list.IsTuple ? items.ToArray() : items.ToList();
            case DictExpr dict:
                var result = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (key, value) in dict.Items)
                    result[Evaluate(key, scope) as string ?? throw new JinjaException("dict literal keys must be strings here")] = Evaluate(value, scope);
                return result;
            case AttributeExpr attribute:
                return JinjaMethods.GetAttribute(Evaluate(attribute.Target, scope), attribute.Name);
            case ItemExpr item:
                var target = Evaluate(item.Target, scope);
                var itemKey = Evaluate(item.Key, scope);
                var found = PythonValues.GetItem(target, itemKey);
                return found is JinjaUndefined && itemKey is string attributeName ? JinjaMethods.GetAttribute(target, attributeName) : found;
            case SliceExpr slice:
                return PythonValues.Slice(Evaluate(slice.Target, scope), Optional(slice.Start, scope), Optional(slice.Stop, scope), Optional(slice.Step, scope));
            case CallExpr call:
                var callee = Evaluate(call.Target, scope);
                var arguments = Arguments(call.Arguments, scope);
                return callee switch
                {
                    JinjaCallable function => function.Call(arguments),
                    JinjaUndefined undefined => throw new JinjaException($"Unsupported or undefined call: {undefined.Description}"),
                    _ => throw new JinjaException($"'{PythonValues.TypeName(callee)}' object is not callable"),
                };
            case FilterExpr filter:
                return JinjaFilters.Apply(filter.Name, Evaluate(filter.Target, scope), Arguments(filter.Arguments, scope));
            case TestExpr test:
                return JinjaTests.Apply(test.Name, Evaluate(test.Target, scope), Arguments(test.Arguments, scope)) != test.Negated;
            case UnaryExpr unary:
                var operand = Evaluate(unary.Operand, scope);
                return unary.Operator switch
                {
                    "not" => !PythonValues.IsTruthy(operand),
                    "-" => operand switch
                    {
                        long l => (object)(-l),
                        double d => -d,
                        bool b => b ? -1L : 0L,
                        _ => throw new JinjaException($"bad operand type for unary -: '{PythonValues.TypeName(operand)}'"),
                    },
                    _ => PythonValues.IsNumber(operand) ? operand : throw new JinjaException($"bad operand type for unary +: '{PythonValues.TypeName(operand)}'"),
                };
            case BinaryExpr binary:
                return EvaluateBinary(binary, scope);
            case ConditionalExpr conditional:
                return PythonValues.IsTruthy(Evaluate(conditional.Condition, scope))
                    ? Evaluate(conditional.Then, scope)
                    : conditional.Else is null ? new JinjaUndefined("the conditional expression has no else") : Evaluate(conditional.Else, scope);
            default:
                throw new JinjaException($"Unsupported expression {expression.GetType().Name}");
        }
    }

    object? Optional(JinjaExpr? expression, Scope scope) => expression is null ? null : Evaluate(expression, scope);

    JinjaArguments Arguments(JinjaArgumentList arguments, Scope scope) => new(
        arguments.Positional.Select(a => Evaluate(a, scope)).ToList(),
        arguments.Named.ToDictionary(a => a.Name, a => Evaluate(a.Value, scope), StringComparer.Ordinal));

    object? EvaluateBinary(BinaryExpr binary, Scope scope)
    {
        var left = Evaluate(binary.Left, scope);
        switch (binary.Operator)
        {
            case "and":
                return PythonValues.IsTruthy(left) ? Evaluate(binary.Right, scope) : left;
            case "or":
                return PythonValues.IsTruthy(left) ? left : Evaluate(binary.Right, scope);
        }
        var right = Evaluate(binary.Right, scope);
        return binary.Operator switch
        {
            "==" => PythonValues.Equals(left, right),
            "!=" => !PythonValues.Equals(left, right),
            "<" => PythonValues.Compare(left, right) < 0,
            "<=" => PythonValues.Compare(left, right) <= 0,
            ">" => PythonValues.Compare(left, right) > 0,
            ">=" => PythonValues.Compare(left, right) >= 0,
            "in" => PythonValues.Contains(right, left),
            "not in" => !PythonValues.Contains(right, left),
            "~" => PythonValues.ToStr(left) + PythonValues.ToStr(right),
            _ => PythonArithmetic.Apply(binary.Operator, left, right),
        };
    }

    static List<object?> Range(JinjaArguments a)
    {
        var bounds = a.Positional.Select(x => x is long l ? l : throw new JinjaException($"range() needs integers, got {PythonValues.TypeName(x)}")).ToList();
        var (start, stop, step) = bounds.Count switch
        {
            1 => (0L, bounds[0], 1L),
            2 => (bounds[0], bounds[1], 1L),
            3 => (bounds[0], bounds[1], bounds[2]),
            _ => throw new JinjaException("range() takes 1 to 3 integers"),
        };
        if (step == 0)
            throw new JinjaException("range() step must not be zero");
        var values = new List<object?>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step)
            values.Add(i);
        return values;
    }

    static JinjaNamespace NewNamespace(JinjaArguments a)
    {
        var ns = new JinjaNamespace();
        foreach (var initial in a.Positional)
            foreach (var (key, value) in initial as Dictionary<string, object?> ?? throw new JinjaException("namespace() takes a dict or keyword arguments"))
                ns.Attributes[key] = value;
        foreach (var (key, value) in a.Named)
            ns.Attributes[key] = value;
        return ns;
    }
}
