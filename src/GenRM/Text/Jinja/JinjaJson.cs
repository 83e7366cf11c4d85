using System.Globalization;
using System.Text;

namespace GenRM.Text.Jinja;

/// <summary>
/// The <c>tojson</c> filter as Hugging Face defines it: Python's <c>json.dumps(x, ensure_ascii=False,
/// indent=..., separators=..., sort_keys=...)</c>, not jinja2's HTML-escaping one. Separators default
/// to ", " and ": ", or "," and ": " with an indent, as in Python.
/// </summary>
internal static class JinjaJson
{
    public static string Dumps(object? value, JinjaArguments options)
    {
        string? indent = options.Get(1, "indent") switch
        {
            null => null,
            long n => new string(' ', (int)Math.Max(0, n)),
            string s => s,
            var other => throw new JinjaException($"tojson: indent must be an integer or a string, got {PythonValues.TypeName(other)}"),
        };
        string itemSeparator = indent is null ? ", " : ",", keySeparator = ": ";
        if (options.Get(2, "separators") is { } separators)
        {
            var pair = PythonValues.AsList(separators);
            itemSeparator = pair.Count == 2 && pair[0] is string a ? a : throw new JinjaException("tojson: separators must be a pair of strings");
            keySeparator = pair[1] as string ?? throw new JinjaException("tojson: separators must be a pair of strings");
        }
        if (PythonValues.IsTruthy(options.Get(0, "ensure_ascii", false)))
            throw new JinjaException("tojson: ensure_ascii=True is not supported");
        bool sortKeys = PythonValues.IsTruthy(options.Get(3, "sort_keys", false));
        var text = new StringBuilder();
        Write(text, value, indent, itemSeparator, keySeparator, sortKeys, 0);
        return text.ToString();
    }

    static void Write(StringBuilder text, object? value, string? indent, string itemSeparator, string keySeparator, bool sortKeys, int depth)
    {
        switch (value)
        {
            case null: text.Append("null"); break;
            case bool b: text.Append(b ? "true" : "false"); break;
            case long l: text.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case double d:
                text.Append(double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "Infinity" : "-Infinity") : PythonValues.FloatRepr(d));
                break;
            case string s: WriteString(text, s); break;
            case List<object?> or object?[]:
                WriteContainer(text, '[', ']', PythonValues.AsList(value), indent, itemSeparator, depth,
                    item => Write(text, item, indent, itemSeparator, keySeparator, sortKeys, depth + 1));
                break;
            case Dictionary<string, object?> dict:
                IEnumerable<KeyValuePair<string, object?>> pairs = sortKeys ? dict.OrderBy(p => p.Key, StringComparer.Ordinal) : dict;
                WriteContainer(text, '{', '}', [.. pairs], indent, itemSeparator, depth, pair =>
                {
                    WriteString(text, pair.Key);
                    text.Append(keySeparator);
                    Write(text, pair.Value, indent, itemSeparator, keySeparator, sortKeys, depth + 1);
                });
                break;
            default:
                throw new JinjaException($"Object of type {PythonValues.TypeName(value)} is not JSON serializable");
        }
    }

    static void WriteContainer<T>(StringBuilder text, char open, char close, IReadOnlyList<T> items, string? indent, string itemSeparator, int depth, Action<T> writeItem)
    {
        text.Append(open);
        if (items.Count == 0)
        {
            text.Append(close);
            return;
        }
        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0)
                text.Append(itemSeparator);
            if (indent is not null)
                text.Append('\n').Insert(text.Length, indent, depth + 1);
            writeItem(items[i]);
        }
        if (indent is not null)
            text.Append('\n').Insert(text.Length, indent, depth);
        text.Append(close);
    }

    static void WriteString(StringBuilder text, string s)
    {
        text.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case < ' ': text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                default: text.Append(c); break;
            }
        }
        text.Append('"');
    }
}
