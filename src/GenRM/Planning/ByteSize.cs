using System.Globalization;
using System.Text.RegularExpressions;

namespace GenRM.Planning;

/// <summary>Memory sizes as people write them: <c>80GiB</c>, <c>512 MiB</c>, <c>24GB</c>, or a plain byte count.</summary>
public static partial class ByteSize
{
    const long KiB = 1024;

    // Decimal (kB, MB, GB, TB) and binary (KiB, MiB, GiB, TiB) units both appear on spec sheets; a
    // bare K/M/G/T is read as binary, as nvidia-smi and free -h print them.
    static readonly Dictionary<string, double> Units = new(StringComparer.OrdinalIgnoreCase)
    {
        [""] = 1, ["B"] = 1,
        ["KB"] = 1e3, ["MB"] = 1e6, ["GB"] = 1e9, ["TB"] = 1e12,
        ["K"] = KiB, ["M"] = KiB * KiB, ["G"] = KiB * KiB * KiB, ["T"] = KiB * KiB * KiB * KiB,
        ["KiB"] = KiB, ["MiB"] = KiB * KiB, ["GiB"] = KiB * KiB * KiB, ["TiB"] = KiB * KiB * KiB * KiB,
    };

    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$")]
    private static partial Regex SizePattern();

    /// <summary>Bytes in <paramref name="text"/>; <paramref name="source"/> names the option or field in the error.</summary>
    /// <exception cref="BadInputException">Not a positive size with a known unit.</exception>
    public static long Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        Match match = SizePattern().Match(text);
        if (!match.Success || !Units.TryGetValue(match.Groups[2].Value, out double unit))
            throw new BadInputException($"{source}: '{text}' is not a memory size; write e.g. 80GiB, 512MiB, 24GB or a byte count.");
        double bytes = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * unit;
        if (bytes < 1 || bytes > long.MaxValue)
            throw new BadInputException($"{source}: '{text}' is out of range (at least one byte).");
        return (long)bytes;
    }

    /// <summary>"1.50 GiB", "12.3 MiB", "640 KiB" or "12 B": binary units, three significant figures.</summary>
    public static string Format(long bytes)
    {
        string[] names = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = 0;
        while (Math.Abs(value) >= 1024 && unit < names.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        string number = unit == 0 ? value.ToString("F0", CultureInfo.InvariantCulture)
            : value.ToString(Math.Abs(value) >= 100 ? "F0" : Math.Abs(value) >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture);
        return $"{number} {names[unit]}";
    }
}
