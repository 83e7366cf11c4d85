using System.Globalization;
using System.Text;

namespace GenRM.Text.Jinja;

/// <summary>Python's semantics for template values: truth, str(), repr(), ==, ordering, len(),
/// iteration, indexing and slicing (by code point for strings), and type names for errors.</summary>
internal static class PythonValues
{
    public static bool IsTruthy(object? value) => value switch
    {
        null or JinjaUndefined => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        List<object?> list => list.Count > 0,
        object?[] tuple => tuple.Length > 0,
        Dictionary<string, object?> dict => dict.Count > 0,
        _ => true,
    };

    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        JinjaUndefined => "Undefined",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        List<object?> => "list",
        object?[] => "tuple",
        Dictionary<string, object?> => "dict",
        JinjaNamespace => "Namespace",
        JinjaLoop => "LoopContext",
        JinjaCallable => "function",
        _ => value.GetType().Name,
    };

    /// <summary>Python's <c>str()</c>, as <c>{{ value }}</c> writes it (Undefined writes nothing).</summary>
    public static string ToStr(object? value) => value switch
    {
        string s => s,
        JinjaUndefined => "",
        _ => Repr(value),
    };

    public static string Repr(object? value) => value switch
    {
        null => "None",
        JinjaUndefined => "",
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FloatRepr(d),
        string s => PythonText.Repr(s),
        List<object?> list => "[" + string.Join(", ", list.Select(Repr)) + "]",
        object?[] tuple => tuple.Length == 1 ? "(" + Repr(tuple[0]) + ",)" : "(" + string.Join(", ", tuple.Select(Repr)) + ")",
        Dictionary<string, object?> dict => "{" + string.Join(", ", dict.Select(p => PythonText.Repr(p.Key) + ": " + Repr(p.Value))) + "}",
        JinjaNamespace ns => "<Namespace " + Repr(ns.Attributes) + ">",
        JinjaCallable f => $"<function {f.Name}>",
        _ => value.ToString() ?? "",
    };

    /// <summary>Python's <c>repr(float)</c>: the shortest round-trip digits, positional for exponents -4..15.</summary>
    public static string FloatRepr(double d)
    {
        if (double.IsNaN(d))
            return "nan";
        if (double.IsInfinity(d))
            return d > 0 ? "inf" : "-inf";
        if (d == 0)
            return double.IsNegative(d) ? "-0.0" : "0.0";
        string r = d.ToString("E16", CultureInfo.InvariantCulture);
        // Find the shortest precision that round-trips, then lay it out as Python does.
        for (int precision = 0; precision <= 16; precision++)
        {
            string candidate = d.ToString("E" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (double.Parse(candidate, CultureInfo.InvariantCulture) == d)
            {
                r = candidate;
                break;
            }
        }
        bool negative = r[0] == '-';
        string body = negative ? r[1..] : r;
        int e = body.IndexOf('E', StringComparison.Ordinal);
        string digits = body[..e].Replace(".", "", StringComparison.Ordinal).TrimEnd('0');
        if (digits.Length == 0)
            digits = "0";
        int exponent = int.Parse(body[(e + 1)..], CultureInfo.InvariantCulture);
        var text = new StringBuilder(negative ? "-" : "");
        if (exponent is >= -4 and < 16)
        {
            if (exponent < 0)
                text.Append("0.").Append('0', -exponent - 1).Append(digits);
            else if (digits.Length > exponent + 1)
                text.Append(digits[..(exponent + 1)]).Append('.').Append(digits[(exponent + 1)..]);
            else
                text.Append(digits).Append('0', exponent + 1 - digits.Length).Append(".0");
        }
        else
        {
            text.Append(digits[0]);
            if (digits.Length > 1)
                text.Append('.').Append(digits[1..]);
            text.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    public static bool IsNumber(object? value) => value is long or double or bool;

    public static double ToDouble(object? value) => value switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw new JinjaException($"Expected a number, got {TypeName(value)}"),
    };

    public static new bool Equals(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (JinjaUndefined, JinjaUndefined) => true,
        (JinjaUndefined, _) or (_, JinjaUndefined) => false,
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        (long or double or bool, long or double or bool) => a is double || b is double ? ToDouble(a) == ToDouble(b) : ToLong(a) == ToLong(b),
        (List<object?> x, List<object?> y) => x.Count == y.Count && x.Zip(y).All(p => Equals(p.First, p.Second)),
        (object?[] x, object?[] y) => x.Length == y.Length && x.Zip(y).All(p => Equals(p.First, p.Second)),
        (Dictionary<string, object?> x, Dictionary<string, object?> y) =>
            x.Count == y.Count && x.All(p => y.TryGetValue(p.Key, out var v) && Equals(p.Value, v)),
        _ => ReferenceEquals(a, b),
    };

    static long ToLong(object? value) => value switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw new JinjaException($"Expected an integer, got {TypeName(value)}"),
    };

    /// <summary>Python's ordering for numbers, strings (by code point) and lists/tuples.</summary>
    public static int Compare(object? a, object? b)
    {
        if (IsNumber(a) && IsNumber(b))
            return ToDouble(a).CompareTo(ToDouble(b));
        if (a is string x && b is string y)
            return CompareCodePoints(x, y);
        if ((a is List<object?> || a is object?[]) && a?.GetType() == b?.GetType())
        {
            var left = AsList(a);
            var right = AsList(b);
            for (int i = 0; i < Math.Min(left.Count, right.Count); i++)
                if (!Equals(left[i], right[i]))
                    return Compare(left[i], right[i]);
            return left.Count.CompareTo(right.Count);
        }
        throw new JinjaException($"'<' is not supported between {TypeName(a)} and {TypeName(b)}");
    }

    static int CompareCodePoints(string x, string y)
    {
        var left = x.EnumerateRunes().GetEnumerator();
        var right = y.EnumerateRunes().GetEnumerator();
        while (true)
        {
            bool hasLeft = left.MoveNext(), hasRight = right.MoveNext();
            if (!hasLeft || !hasRight)
                return hasLeft.CompareTo(hasRight);
            int c = left.Current.Value.CompareTo(right.Current.Value);
            if (c != 0)
                return c;
        }
    }

    public static IReadOnlyList<object?> AsList(object? value) => value switch
    {
        List<object?> list => list,
        object?[] tuple => tuple,
        _ => throw new JinjaException($"Expected a list, got {TypeName(value)}"),
    };

    public static long Length(object? value) => value switch
    {
        string s => PythonText.Length(s),
        List<object?> list => list.Count,
        object?[] tuple => tuple.Length,
        Dictionary<string, object?> dict => dict.Count,
        JinjaUndefined => 0,
        _ => throw new JinjaException($"object of type '{TypeName(value)}' has no len()"),
    };

    /// <summary>What a for loop walks: list items, dict keys, string characters; Undefined is empty.</summary>
    public static List<object?> Iterate(object? value) => value switch
    {
        List<object?> list => [.. list],
        object?[] tuple => [.. tuple],
        Dictionary<string, object?> dict => [.. dict.Keys],
        string s => [.. PythonText.CodePoints(s).Select(p => (object?)char.ConvertFromUtf32(p))],
        JinjaUndefined => [],
        _ => throw new JinjaException($"'{TypeName(value)}' object is not iterable"),
    };

    public static bool Contains(object? container, object? item) => container switch
    {
        string s when item is string part => s.Contains(part, StringComparison.Ordinal),
        string => throw new JinjaException($"'in <string>' requires a string as left operand, not {TypeName(item)}"),
        Dictionary<string, object?> dict => item is string key && dict.ContainsKey(key),
        JinjaUndefined => false,
        _ => Iterate(container).Any(x => Equals(x, item)),
    };

    /// <summary><c>value[key]</c> as jinja2 resolves it: a missing key or index out of range is Undefined.</summary>
    public static object? GetItem(object? value, object? key)
    {
        switch (value)
        {
            case Dictionary<string, object?> dict:
                return key is string k && dict.TryGetValue(k, out var found) ? found : new JinjaUndefined($"dict has no item {Repr(key)}");
            case List<object?> or object?[] when key is long or bool:
                var list = AsList(value);
                long index = ToLong(key);
                if (index < 0)
                    index += list.Count;
                return index >= 0 && index < list.Count ? list[(int)index] : new JinjaUndefined($"index {Repr(key)} is out of range");
            case string s when key is long or bool:
                var points = PythonText.CodePoints(s);
                long at = ToLong(key);
                if (at < 0)
                    at += points.Length;
                return at >= 0 && at < points.Length ? char.ConvertFromUtf32(points[at]) : new JinjaUndefined($"string index {Repr(key)} is out of range");
            case JinjaUndefined undefined:
                throw new JinjaException($"{undefined.Description} (indexed with {Repr(key)})");
            case JinjaNamespace or JinjaLoop when key is string name:
                return JinjaMethods.GetAttribute(value, name);
            default:
                return new JinjaUndefined($"{TypeName(value)} object has no item {Repr(key)}");
        }
    }

    /// <summary><c>value[start:stop:step]</c> with Python's slice rules.</summary>
    public static object? Slice(object? value, object? start, object? stop, object? step)
    {
        long stepValue = step is null ? 1 : ToLong(step);
        if (stepValue == 0)
            throw new JinjaException("slice step cannot be zero");
        IReadOnlyList<object?> items;
        int[]? points = null;
        switch (value)
        {
            case string s:
                points = PythonText.CodePoints(s);
                items = Array.Empty<object?>();
                break;
            case List<object?> or object?[]:
                items = AsList(value);
                break;
            default:
                throw new JinjaException($"'{TypeName(value)}' object is not subscriptable");
        }
        int length = points?.Length ?? items.Count;
        var indices = SliceIndices(length, start is null ? null : ToLong(start), stop is null ? null : ToLong(stop), stepValue);
        if (points is not null)
            return PythonText.FromCodePoints(indices.Select(i => points[i]));
        var picked = indices.Select(i => items[i]);
        return value is object?[] ? picked.ToArray() : picked.ToList();
    }

    static List<int> SliceIndices(int length, long? start, long? stop, long step)
    {
        long Clamp(long? index, long fallback, long low, long high)
        {
            if (index is null)
                return fallback;
            long i = index.Value < 0 ? index.Value + length : index.Value;
            return Math.Clamp(i, low, high);
        }
        var indices = new List<int>();
        if (step > 0)
        {
            for (long i = Clamp(start, 0, 0, length), end = Clamp(stop, length, 0, length); i < end; i += step)
                indices.Add((int)i);
        }
        else
        {
            for (long i = Clamp(start, length - 1, -1, length - 1), end = Clamp(stop, -1, -1, length - 1); i > end; i += step)
                indices.Add((int)i);
        }
        return indices;
    }
}
