namespace GenRM.Text.Jinja;

// Template values are plain .NET objects: null (Python's None), bool, long, double, string,
// List<object?> (list), object?[] (tuple), Dictionary<string, object?> (dict, insertion-ordered),
// and the types below.

/// <summary>jinja2's Undefined: a missing variable, attribute or item. Renders as "", is falsy and
/// iterates as empty; any attribute, item, arithmetic or call on it is an error.</summary>
internal sealed class JinjaUndefined(string description)
{
    /// <summary>What was missing, for error messages ("'tools' is undefined").</summary>
    public string Description { get; } = description;
}

/// <summary><c>namespace(...)</c>: the one object templates may assign attributes on.</summary>
internal sealed class JinjaNamespace
{
    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);
}

/// <summary>Arguments passed to a function, method, filter or test.</summary>
internal sealed record JinjaArguments(IReadOnlyList<object?> Positional, IReadOnlyDictionary<string, object?> Named)
{
    /// <summary>The argument at <paramref name="index"/> or named <paramref name="name"/>, else <paramref name="fallback"/>.</summary>
    public object? Get(int index, string name, object? fallback = null) =>
        index < Positional.Count ? Positional[index] : Named.TryGetValue(name, out var value) ? value : fallback;
}

/// <summary>Something a template can call: a global function, a bound method, a macro.</summary>
internal sealed class JinjaCallable(string name, Func<JinjaArguments, object?> body)
{
    public string Name { get; } = name;

    public object? Call(JinjaArguments arguments) => body(arguments);
}

/// <summary>The <c>loop</c> variable inside a for loop.</summary>
internal sealed class JinjaLoop(IReadOnlyList<object?> items)
{
    public int Index0 { get; set; }

    public object? Attribute(string name) => name switch
    {
        "index" => (long)Index0 + 1,
        "index0" => (long)Index0,
        "revindex" => (long)(items.Count - Index0),
        "revindex0" => (long)(items.Count - Index0 - 1),
        "first" => Index0 == 0,
        "last" => Index0 == items.Count - 1,
        "length" => (long)items.Count,
        "previtem" => Index0 > 0 ? items[Index0 - 1] : new JinjaUndefined("there is no previous item"),
        "nextitem" => Index0 + 1 < items.Count ? items[Index0 + 1] : new JinjaUndefined("there is no next item"),
        "cycle" => new JinjaCallable("loop.cycle", a => a.Positional.Count == 0 ? throw new JinjaException("loop.cycle() needs at least one argument") : a.Positional[Index0 % a.Positional.Count]),
        _ => throw new JinjaException($"Unsupported loop attribute 'loop.{name}'"),
    };
}
