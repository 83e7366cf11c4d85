namespace GenRM.Text.Jinja;

/// <summary>
/// <c>value.name</c> as jinja2's sandbox resolves it: the methods of str, dict and list that chat
/// templates call (read-only ones: the immutable sandbox refuses <c>append</c>, <c>update</c>...),
/// then a dict's item of that name, else Undefined. Calling a method not listed here is an error
/// naming it (it is Undefined until called, as an unknown attribute is in jinja2).
/// </summary>
internal static class JinjaMethods
{
    public static object? GetAttribute(object? value, string name) => value switch
    {
        JinjaUndefined undefined => throw new JinjaException($"{undefined.Description} (attribute '{name}' read)"),
        JinjaNamespace ns => ns.Attributes.TryGetValue(name, out var v) ? v : new JinjaUndefined($"namespace has no attribute '{name}'"),
        JinjaLoop loop => loop.Attribute(name),
        string s => (object?)StringMethod(s, name) ?? Missing(value, name),
        Dictionary<string, object?> dict => (object?)DictMethod(dict, name) ?? (dict.TryGetValue(name, out var item) ? item : Missing(value, name)),
        List<object?> or object?[] => (object?)ListMethod(PythonValues.AsList(value), name) ?? Missing(value, name),
        _ => Missing(value, name),
    };

    static JinjaUndefined Missing(object? value, string name) => new($"'{PythonValues.TypeName(value)} object' has no attribute '{name}'");

    static JinjaCallable Method(string name, Func<JinjaArguments, object?> body) => new(name, body);

    static string? OptionalString(JinjaArguments a, int index, string name) => a.Get(index, name) switch
    {
        null => null,
        string s => s,
        var other => throw new JinjaException($"{name}: expected a string, got {PythonValues.TypeName(other)}"),
    };

    static string RequiredString(JinjaArguments a, int index, string name, string method) =>
        OptionalString(a, index, name) ?? throw new JinjaException($"str.{method}() needs a string argument '{name}'");

    static long Integer(JinjaArguments a, int index, string name, long fallback) => a.Get(index, name, fallback) switch
    {
        long l => l,
        var other => throw new JinjaException($"{name}: expected an integer, got {PythonValues.TypeName(other)}"),
    };

    static JinjaCallable? StringMethod(string s, string name) => name switch
    {
        "strip" => Method("str.strip", a => PythonText.Strip(s, OptionalString(a, 0, "chars"))),
        "lstrip" => Method("str.lstrip", a => PythonText.LStrip(s, OptionalString(a, 0, "chars"))),
        "rstrip" => Method("str.rstrip", a => PythonText.RStrip(s, OptionalString(a, 0, "chars"))),
        "split" => Method("str.split", a => OptionalString(a, 0, "sep") is { } sep
            ? PythonText.Split(s, sep, Integer(a, 1, "maxsplit", -1))
            : PythonText.SplitWhitespace(s, Integer(a, 1, "maxsplit", -1))),
        "startswith" => Method("str.startswith", a => Affixes(a, "startswith").Any(p => s.StartsWith(p, StringComparison.Ordinal))),
        "endswith" => Method("str.endswith", a => Affixes(a, "endswith").Any(p => s.EndsWith(p, StringComparison.Ordinal))),
        "replace" => Method("str.replace", a => Replace(s, RequiredString(a, 0, "old", "replace"), RequiredString(a, 1, "new", "replace"), Integer(a, 2, "count", -1))),
        "upper" => Method("str.upper", _ => s.ToUpperInvariant()),
        "lower" => Method("str.lower", _ => s.ToLowerInvariant()),
        "title" => Method("str.title", _ => PythonText.Title(s)),
        "capitalize" => Method("str.capitalize", _ => PythonText.Capitalize(s)),
        "find" => Method("str.find", a => (long)CodePointIndex(s, s.IndexOf(RequiredString(a, 0, "sub", "find"), StringComparison.Ordinal))),
        "count" => Method("str.count", a => (long)Count(s, RequiredString(a, 0, "sub", "count"))),
        "join" => Method("str.join", a => string.Join(s, PythonValues.Iterate(a.Get(0, "iterable")).Select(x => x as string
            ?? throw new JinjaException($"str.join(): expected str items, got {PythonValues.TypeName(x)}")))),
        _ => null,
    };

    static IEnumerable<string> Affixes(JinjaArguments a, string method) => a.Get(0, "prefix") switch
    {
        string p => [p],
        object?[] tuple => tuple.Select(x => x as string ?? throw new JinjaException($"str.{method}(): expected str items in the tuple")),
        var other => throw new JinjaException($"str.{method}(): expected a string or a tuple of strings, got {PythonValues.TypeName(other)}"),
    };

    static string Replace(string s, string old, string replacement, long count)
    {
        if (count < 0)
            return old.Length == 0 ? string.Join(replacement, ["", .. PythonValues.Iterate(s).Cast<string>(), ""]) : s.Replace(old, replacement, StringComparison.Ordinal);
        var parts = PythonText.Split(s, old.Length == 0 ? throw new JinjaException("str.replace() with an empty pattern and a count is not supported") : old, count);
        return string.Join(replacement, parts.Cast<string>());
    }

    static int CodePointIndex(string s, int utf16Index) => utf16Index < 0 ? -1 : PythonText.Length(s[..utf16Index]);

    static int Count(string s, string sub)
    {
        if (sub.Length == 0)
            return PythonText.Length(s) + 1;
        int n = 0;
        for (int at = s.IndexOf(sub, StringComparison.Ordinal); at >= 0; at = s.IndexOf(sub, at + sub.Length, StringComparison.Ordinal))
            n++;
        return n;
    }

    static JinjaCallable? DictMethod(Dictionary<string, object?> dict, string name) => name switch
    {
        "items" => Method("dict.items", _ => dict.Select(p => (object?)new object?[] { p.Key, p.Value }).ToList()),
        "keys" => Method("dict.keys", _ => dict.Keys.Cast<object?>().ToList()),
        "values" => Method("dict.values", _ => dict.Values.ToList()),
        "get" => Method("dict.get", a => a.Get(0, "key") is string key && dict.TryGetValue(key, out var v) ? v : a.Get(1, "default")),
        _ => null,
    };

    static JinjaCallable? ListMethod(IReadOnlyList<object?> list, string name) => name switch
    {
        "index" => Method("list.index", a =>
        {
            var item = a.Get(0, "value");
            for (int i = 0; i < list.Count; i++)
                if (PythonValues.Equals(list[i], item))
                    return (long)i;
            throw new JinjaException($"{PythonValues.Repr(item)} is not in list");
        }),
        "count" => Method("list.count", a => (long)list.Count(x => PythonValues.Equals(x, a.Get(0, "value")))),
        _ => null,
    };
}
