namespace GenRM.Text.Jinja;

/// <summary>The tests (<c>value is name</c>) jinja2 defines that chat templates use.</summary>
internal static class JinjaTests
{
    static readonly Dictionary<string, Func<object?, JinjaArguments, bool>> All = new(StringComparer.Ordinal)
    {
        ["defined"] = (v, _) => v is not JinjaUndefined,
        ["undefined"] = (v, _) => v is JinjaUndefined,
        ["none"] = (v, _) => v is null,
        ["string"] = (v, _) => v is string,
        ["mapping"] = (v, _) => v is Dictionary<string, object?>,
        ["iterable"] = (v, _) => v is string or List<object?> or object?[] or Dictionary<string, object?> or JinjaUndefined,
        ["sequence"] = (v, _) => v is string or List<object?> or object?[] or Dictionary<string, object?> or JinjaUndefined,
        ["number"] = (v, _) => v is long or double or bool,
        ["integer"] = (v, _) => v is long,
        ["float"] = (v, _) => v is double,
        ["boolean"] = (v, _) => v is bool,
        ["true"] = (v, _) => v is true,
        ["false"] = (v, _) => v is false,
        ["callable"] = (v, _) => v is JinjaCallable,
        ["odd"] = (v, _) => Integer(v, "odd") % 2 != 0,
        ["even"] = (v, _) => Integer(v, "even") % 2 == 0,
        ["divisibleby"] = (v, a) => Integer(v, "divisibleby") % Integer(a.Get(0, "num"), "divisibleby") == 0,
        ["lower"] = (v, _) => v is string s && string.Equals(s, s.ToLowerInvariant(), StringComparison.Ordinal),
        ["upper"] = (v, _) => v is string s && string.Equals(s, s.ToUpperInvariant(), StringComparison.Ordinal),
        ["in"] = (v, a) => PythonValues.Contains(a.Get(0, "seq"), v),
        ["sameas"] = (v, a) => (v is null && a.Get(0, "other") is null) || (v is bool b && a.Get(0, "other") is bool c && b == c) || ReferenceEquals(v, a.Get(0, "other")),
        ["equalto"] = (v, a) => PythonValues.Equals(v, a.Get(0, "other")),
        ["eq"] = (v, a) => PythonValues.Equals(v, a.Get(0, "other")),
        ["=="] = (v, a) => PythonValues.Equals(v, a.Get(0, "other")),
        ["ne"] = (v, a) => !PythonValues.Equals(v, a.Get(0, "other")),
        ["!="] = (v, a) => !PythonValues.Equals(v, a.Get(0, "other")),
        ["lt"] = (v, a) => PythonValues.Compare(v, a.Get(0, "other")) < 0,
        ["<"] = (v, a) => PythonValues.Compare(v, a.Get(0, "other")) < 0,
        ["le"] = (v, a) => PythonValues.Compare(v, a.Get(0, "other")) <= 0,
        ["<="] = (v, a) => PythonValues.Compare(v, a.Get(0, "other")) <= 0,
        ["gt"] = (v, a) => PythonValues.Compare(v, a.Get(0, "other")) > 0,
        [">"] = (v, a) => PythonValues.Compare(v, a.Get(0, "other")) > 0,
        ["ge"] = (v, a) => PythonValues.Compare(v, a.Get(0, "other")) >= 0,
        [">="] = (v, a) => PythonValues.Compare(v, a.Get(0, "other")) >= 0,
    };

    public static bool Exists(string name) => All.ContainsKey(name);

    public static bool Apply(string name, object? value, JinjaArguments arguments) =>
        All.TryGetValue(name, out var test) ? test(value, arguments) : throw new JinjaException($"Unsupported test '{name}'");

    static long Integer(object? value, string test) => value switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw new JinjaException($"test '{test}' needs an integer, got {PythonValues.TypeName(value)}"),
    };
}
