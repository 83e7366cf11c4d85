namespace GenRM.Text.Jinja;

/// <summary>The filters (<c>value | name(args)</c>) chat templates use, with jinja2's behaviour;
/// <c>trim</c> strips Python's whitespace set, <c>tojson</c> is Hugging Face's.</summary>
internal static class JinjaFilters
{
    static readonly Dictionary<string, Func<object?, JinjaArguments, object?>> All = new(StringComparer.Ordinal)
    {
        ["trim"] = (v, a) => PythonText.Strip(PythonValues.ToStr(v), a.Get(0, "chars") as string),
        ["length"] = (v, _) => PythonValues.Length(v),
        ["count"] = (v, _) => PythonValues.Length(v),
        ["string"] = (v, _) => PythonValues.ToStr(v),
        ["lower"] = (v, _) => PythonValues.ToStr(v).ToLowerInvariant(),
        ["upper"] = (v, _) => PythonValues.ToStr(v).ToUpperInvariant(),
        ["capitalize"] = (v, _) => PythonText.Capitalize(PythonValues.ToStr(v)),
        ["title"] = (v, _) => PythonText.Title(PythonValues.ToStr(v)),
        ["replace"] = (v, a) => ((JinjaCallable)JinjaMethods.GetAttribute(PythonValues.ToStr(v), "replace")!).Call(a),
        ["tojson"] = (v, a) => JinjaJson.Dumps(v, a),
        ["safe"] = (v, _) => v,
        ["list"] = (v, _) => PythonValues.Iterate(v),
        ["first"] = (v, _) => PythonValues.Iterate(v) is { Count: > 0 } items ? items[0] : new JinjaUndefined("first item of an empty sequence"),
        ["last"] = (v, _) => PythonValues.Iterate(v) is { Count: > 0 } items ? items[^1] : new JinjaUndefined("last item of an empty sequence"),
        ["reverse"] = (v, _) => v is string s ? PythonText.FromCodePoints(PythonText.CodePoints(s).Reverse()) : Enumerable.Reverse(PythonValues.Iterate(v)).ToList(),
        ["default"] = Default,
        ["d"] = Default,
        ["join"] = (v, a) => string.Join(a.Get(0, "d", "") as string ?? "",
            PythonValues.Iterate(v).Select(x => PythonValues.ToStr(a.Get(1, "attribute") is { } attribute ? Attribute(x, attribute) : x))),
        ["items"] = (v, _) => v is JinjaUndefined ? new List<object?>() : ((JinjaCallable)JinjaMethods.GetAttribute(Mapping(v, "items"), "items")!).Call(new([], new Dictionary<string, object?>())),
        ["select"] = (v, a) => Select(v, a, attribute: false, keep: true),
        ["reject"] = (v, a) => Select(v, a, attribute: false, keep: false),
        ["selectattr"] = (v, a) => Select(v, a, attribute: true, keep: true),
        ["rejectattr"] = (v, a) => Select(v, a, attribute: true, keep: false),
        ["map"] = Map,
        ["int"] = (v, a) => ToInteger(v, a.Get(0, "default", 0L)),
        ["float"] = (v, a) => v switch
        {
            double d => d,
            long or bool => PythonValues.ToDouble(v),
            string s when double.TryParse(s.Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double d) => d,
            _ => a.Get(0, "default", 0.0),
        },
        ["abs"] = (v, _) => v switch
        {
            long l => (object)Math.Abs(l),
            double d => Math.Abs(d),
            bool b => b ? 1L : 0L,
            _ => throw new JinjaException($"bad operand type for abs(): '{PythonValues.TypeName(v)}'"),
        },
    };

    public static bool Exists(string name) => All.ContainsKey(name);

    public static object? Apply(string name, object? value, JinjaArguments arguments) =>
        All.TryGetValue(name, out var filter) ? filter(value, arguments) : throw new JinjaException($"Unsupported filter '{name}'");

    static object? Default(object? value, JinjaArguments a)
    {
        bool boolean = PythonValues.IsTruthy(a.Get(1, "boolean", false));
        bool missing = value is JinjaUndefined || (boolean && !PythonValues.IsTruthy(value));
        return missing ? a.Get(0, "default_value", "") : value;
    }

    static Dictionary<string, object?> Mapping(object? value, string filter) =>
        value as Dictionary<string, object?> ?? throw new JinjaException($"filter '{filter}' needs a mapping, got {PythonValues.TypeName(value)}");

    /// <summary>Attribute lookup for selectattr/map/join: item first, dotted paths allowed (jinja2's make_attrgetter).</summary>
    static object? Attribute(object? item, object? attribute)
    {
        foreach (var part in PythonValues.ToStr(attribute).Split('.'))
        {
            object key = long.TryParse(part, System.Globalization.CultureInfo.InvariantCulture, out long index) ? index : part;
            var found = PythonValues.GetItem(item, key);
            item = found is JinjaUndefined && key is string name ? JinjaMethods.GetAttribute(item, name) : found;
        }
        return item;
    }

    static List<object?> Select(object? value, JinjaArguments a, bool attribute, bool keep)
    {
        int next = attribute ? 1 : 0;
        var testName = a.Get(next, "test") as string;
        var testArguments = new JinjaArguments(a.Positional.Skip(next + 1).ToList(), new Dictionary<string, object?>());
        return PythonValues.Iterate(value).Where(item =>
        {
            var subject = attribute ? Attribute(item, a.Get(0, "attribute")) : item;
            bool passes = testName is null ? PythonValues.IsTruthy(subject) : JinjaTests.Apply(testName, subject, testArguments);
            return passes == keep;
        }).ToList();
    }

    static List<object?> Map(object? value, JinjaArguments a)
    {
        var items = PythonValues.Iterate(value);
        if (a.Named.TryGetValue("attribute", out var attribute))
        {
            bool hasDefault = a.Named.TryGetValue("default", out var fallback);
            return items.Select(x => Attribute(x, attribute) is JinjaUndefined && hasDefault ? fallback : Attribute(x, attribute)).ToList();
        }
        if (a.Get(0, "filter") is not string filter)
            throw new JinjaException("map needs a filter name or attribute=");
        var filterArguments = new JinjaArguments(a.Positional.Skip(1).ToList(), a.Named);
        return items.Select(x => Apply(filter, x, filterArguments)).ToList();
    }

    static object? ToInteger(object? value, object? fallback) => value switch
    {
        long l => l,
        bool b => b ? 1L : 0L,
        double d => (long)Math.Truncate(d),
        string s when long.TryParse(s.Trim(), System.Globalization.CultureInfo.InvariantCulture, out long l) => l,
        string s when double.TryParse(s.Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double d) => (long)Math.Truncate(d),
        _ => fallback,
    };
}
