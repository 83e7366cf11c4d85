namespace GenRM.Text.Jinja;

/// <summary>Python's arithmetic operators on template values (bool counts as an integer): int
/// stays int except for <c>/</c>, <c>//</c> and <c>%</c> floor, str and list concatenate and repeat.</summary>
internal static class PythonArithmetic
{
    public static object? Apply(string op, object? left, object? right)
    {
        if ((left as JinjaUndefined ?? right as JinjaUndefined) is { } undefined)
            throw new JinjaException($"{undefined.Description} (used with '{op}')");
        switch (op, left, right)
        {
            case ("+", string a, string b): return a + b;
            case ("+", List<object?> a, List<object?> b): return a.Concat(b).ToList();
            case ("+", object?[] a, object?[] b): return a.Concat(b).ToArray();
            case ("*", string s, long or bool): return Repeat(s, right);
            case ("*", long or bool, string s): return Repeat(s, left);
            case ("*", List<object?> list, long or bool): return Enumerable.Repeat(list, (int)Math.Max(0, Integer(right))).SelectMany(x => x).ToList();
        }
        if (!PythonValues.IsNumber(left) || !PythonValues.IsNumber(right))
            throw new JinjaException($"unsupported operand type(s) for {op}: '{PythonValues.TypeName(left)}' and '{PythonValues.TypeName(right)}'");
        if (left is double || right is double || op == "/")
            return Float(op, PythonValues.ToDouble(left), PythonValues.ToDouble(right));
        long x = Integer(left), y = Integer(right);
        return op switch
        {
            "+" => x + y,
            "-" => x - y,
            "*" => x * y,
            "//" => y == 0 ? throw new JinjaException("integer division by zero") : FloorDiv(x, y),
            "%" => y == 0 ? throw new JinjaException("integer modulo by zero") : x - FloorDiv(x, y) * y,
            "**" => y >= 0 ? (object)(long)Math.Pow(x, y) : Math.Pow(x, y),
            _ => throw new JinjaException($"Unsupported operator '{op}'"),
        };
    }

    static double Float(string op, double x, double y) => op switch
    {
        "+" => x + y,
        "-" => x - y,
        "*" => x * y,
        "/" => y == 0 ? throw new JinjaException("division by zero") : x / y,
        "//" => y == 0 ? throw new JinjaException("float floor division by zero") : Math.Floor(x / y),
        "%" => y == 0 ? throw new JinjaException("float modulo") : x - Math.Floor(x / y) * y,
        "**" => Math.Pow(x, y),
        _ => throw new JinjaException($"Unsupported operator '{op}'"),
    };

    static long FloorDiv(long x, long y)
    {
        long q = x / y;
        return (x % y != 0) && ((x < 0) != (y < 0)) ? q - 1 : q;
    }

    static long Integer(object? value) => value is bool b ? (b ? 1 : 0) : (long)value!;

    static string Repeat(string s, object? count) => string.Concat(Enumerable.Repeat(s, (int)Math.Max(0, Integer(count))));
}
