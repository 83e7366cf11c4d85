using System.Globalization;
using GenRM.Text;

namespace GenRM.MiniWorld;

/// <summary>
/// A multiple-choice comparison on a task other than the preference task, written in the judge's
/// format: the question, options A and B, the written check ("check: 347 vs 374: 3=3, 4&lt;7, so B
/// is larger.") and the verdict.
/// </summary>
public sealed record ChoiceItem(string Question, string OptionA, string OptionB, string Check, Verdict Verdict);

/// <summary>
/// The corpus's comparison tasks: which number is larger, which list is sorted, which spelling
/// matches. The better option is A or B with equal probability.
/// </summary>
public static class ChoiceTasks
{
    static readonly string[] Words =
    [
        "apple", "river", "garden", "window", "yellow", "pencil", "rabbit", "orange", "summer", "button",
        "basket", "candle", "dragon", "forest", "little", "market", "number", "planet", "silver", "winter",
    ];

    /// <summary>One comparison of a random kind; numbers have <paramref name="minDigits"/> to <paramref name="maxDigits"/> digits.</summary>
    public static ChoiceItem Sample(WorldRandom rng, int minDigits, int maxDigits)
    {
        bool firstIsBetter = rng.Chance(0.5);
        return rng.Next(0, 3) switch
        {
            0 => Larger(rng, rng.Next(minDigits, maxDigits + 1), firstIsBetter),
            1 => Sorted(rng, firstIsBetter),
            _ => Spelling(rng, firstIsBetter),
        };
    }

    static ChoiceItem Larger(WorldRandom rng, int digits, bool aIsBetter)
    {
        // Two numbers sharing a random prefix, so the check walks digit by digit to the first difference.
        int at = rng.Next(0, digits);
        string prefix = at == 0 ? "" : rng.Next(1, 10).ToString(CultureInfo.InvariantCulture) + RandomDigits(rng, at - 1);
        int low = rng.Next(at == 0 ? 1 : 0, 9);
        int high = rng.Next(low + 1, 10);
        string smaller = prefix + (char)('0' + low) + RandomDigits(rng, digits - at - 1);
        string larger = prefix + (char)('0' + high) + RandomDigits(rng, digits - at - 1);
        string a = aIsBetter ? larger : smaller, b = aIsBetter ? smaller : larger;
        var steps = Enumerable.Range(0, at + 1).Select(i => a[i] == b[i] ? $"{a[i]}={b[i]}" : $"{a[i]}{(a[i] < b[i] ? '<' : '>')}{b[i]}");
        string check = $"check: {a} vs {b}: {string.Join(", ", steps)}, so {(aIsBetter ? "A" : "B")} is larger.";
        return new ChoiceItem("Which number is larger?", a, b, check, aIsBetter ? Verdict.A : Verdict.B);
    }

    static string RandomDigits(WorldRandom rng, int length) =>
        string.Concat(Enumerable.Range(0, length).Select(_ => (char)('0' + rng.Next(0, 10))));

    static ChoiceItem Sorted(WorldRandom rng, bool aIsBetter)
    {
        int count = rng.Next(3, 6);
        var sorted = new SortedSet<int>();
        while (sorted.Count < count)
            sorted.Add(rng.Next(1, 100));
        var ordered = sorted.ToArray();
        var swapped = (int[])ordered.Clone();
        int at = rng.Next(0, count - 1);
        (swapped[at], swapped[at + 1]) = (swapped[at + 1], swapped[at]);
        string List(int[] xs) => string.Join(" ", xs);
        string Ordered(string name) => $"{name}: {string.Join("<", ordered)}, sorted.";
        string NotOrdered(string name) => $"{name}: {swapped[at]}>{swapped[at + 1]}, not sorted.";
        string check = aIsBetter ? $"check: {Ordered("A")} {NotOrdered("B")}" : $"check: {NotOrdered("A")} {Ordered("B")}";
        return new ChoiceItem("Which list is sorted?", List(aIsBetter ? ordered : swapped), List(aIsBetter ? swapped : ordered), check,
            aIsBetter ? Verdict.A : Verdict.B);
    }

    static ChoiceItem Spelling(WorldRandom rng, bool aIsBetter)
    {
        string word = rng.Pick(Words);
        int at = rng.Next(1, word.Length - 1);
        string misspelled = rng.Next(0, 3) switch
        {
            0 => word.Remove(at, 1),
            1 => word.Insert(at, word[at].ToString()),
            _ => word[..at] + word[at + 1] + word[at] + word[(at + 2)..],
        };
        if (misspelled == word)
            misspelled = word.Remove(at, 1);
        string Right(string name) => $"{name} is {word}, right.";
        string Wrong(string name) => $"{name} is {misspelled}, not {word}, wrong.";
        string check = aIsBetter ? $"check: {Right("A")} {Wrong("B")}" : $"check: {Wrong("A")} {Right("B")}";
        return new ChoiceItem($"Which spelling matches '{word}'?", aIsBetter ? word : misspelled, aIsBetter ? misspelled : word, check,
            aIsBetter ? Verdict.A : Verdict.B);
    }
}
