using System.Globalization;
using System.Text.RegularExpressions;

namespace GenRM.MiniWorld;

/// <summary>Reads the whole numbers written in a text, which is how the world reads its own questions and answers back.</summary>
static partial class Numbers
{
    /// <summary>The numbers in <paramref name="text"/>, in order; one too long for a long reads as <see cref="long.MaxValue"/>.</summary>
    public static List<long> In(string text) =>
        [.. Digits().Matches(text).Select(m => m.Length > 18 ? long.MaxValue : long.Parse(m.Value, NumberStyles.None, CultureInfo.InvariantCulture))];

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
