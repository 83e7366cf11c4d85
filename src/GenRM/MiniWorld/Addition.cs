using System.Collections.Immutable;
using System.Globalization;

namespace GenRM.MiniWorld;

/// <summary>
/// The world's task: the sum of two numbers with the same number of digits. Its difficulty is the
/// digit count; its check is column addition written out step by step ("4+8+1=13").
/// </summary>
public sealed record AdditionProblem(int Left, int Right)
{
    public int Digits => Left.ToString(CultureInfo.InvariantCulture).Length;

    public int Answer => Left + Right;

    /// <summary>"347+285".</summary>
    public string Expression => $"{Left}+{Right}";

    /// <summary>Two uniform numbers of <paramref name="digits"/> digits each (no leading zero).</summary>
    public static AdditionProblem Sample(WorldRandom rng, int digits)
    {
        int low = (int)Math.Pow(10, digits - 1), high = low * 10;
        return new AdditionProblem(rng.Next(low, high), rng.Next(low, high));
    }

    /// <summary>
    /// A sum that is not the world's task (the corpus judges these): a first number of
    /// <paramref name="digits"/> digits (at least 2) and a shorter second one. Its working is the
    /// same column addition, the missing digits written as 0 ("3+0+1=4").
    /// </summary>
    public static AdditionProblem SampleUneven(WorldRandom rng, int digits)
    {
        if (digits < 2) throw new ArgumentOutOfRangeException(nameof(digits), digits, "an uneven sum needs at least 2 digits");
        int shorter = rng.Next(1, digits);
        int low = (int)Math.Pow(10, digits - 1), shortLow = shorter == 1 ? 1 : (int)Math.Pow(10, shorter - 1);
        return new AdditionProblem(rng.Next(low, low * 10), rng.Next(shortLow, shortLow * 10));
    }

    /// <summary>
    /// The sums one slip of the eye away: one operand with two adjacent, different digits swapped
    /// (347 → 437 or 374), keeping its digit count (no leading zero). Their answers differ from this
    /// sum's, since exactly one operand changes.
    /// </summary>
    public IReadOnlyList<AdditionProblem> Neighbours() =>
        [.. Swaps(Left).Select(left => this with { Left = left }), .. Swaps(Right).Select(right => this with { Right = right })];

    static IEnumerable<int> Swaps(int operand)
    {
        char[] digits = operand.ToString(CultureInfo.InvariantCulture).ToCharArray();
        for (int i = 0; i + 1 < digits.Length; i++)
        {
            if (digits[i] == digits[i + 1] || (i == 0 && digits[1] == '0'))
                continue;
            var swapped = (char[])digits.Clone();
            (swapped[i], swapped[i + 1]) = (swapped[i + 1], swapped[i]);
            yield return int.Parse(swapped, NumberStyles.None, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The column-by-column working, with <paramref name="mistake"/> made at its column.</summary>
    public AdditionWork Work(Mistake? mistake = null)
    {
        int digits = Digits;
        var steps = ImmutableArray.CreateBuilder<ColumnStep>(digits);
        int carry = 0, result = 0, place = 1;
        for (int column = 0; column < digits; column++, place *= 10)
        {
            int top = Left / place % 10, bottom = Right / place % 10;
            var step = new ColumnStep(top, bottom, carry == 1, top + bottom + carry);
            if (mistake is not null && mistake.Column == column)
                step = mistake.Apply(step);
            steps.Add(step);
            bool last = column == digits - 1;
            result += (last ? step.Sum : step.Sum % 10) * place;
            carry = step.Sum / 10;
        }
        return new AdditionWork(this, steps.MoveToImmutable(), result);
    }
}

/// <summary>One column of the working: "4+8+1=13" (the "+1" is the carry in).</summary>
public sealed record ColumnStep(int Top, int Bottom, bool CarryIn, int Sum)
{
    public override string ToString() => CarryIn ? $"{Top}+{Bottom}+1={Sum}" : $"{Top}+{Bottom}={Sum}";
}

/// <summary>A worked addition, right or wrong: its steps (ones column first) and its result.</summary>
public sealed record AdditionWork(AdditionProblem Problem, ImmutableArray<ColumnStep> Steps, int Result) : IWorkedArithmetic
{
    public string Expression => Problem.Expression;

    public bool IsCorrect => Result == Problem.Answer;

    /// <summary>The steps joined by <paramref name="separator"/>: "7+5=12, 4+8+1=13, 3+2+1=6".</summary>
    public string StepsText(string separator) => string.Join(separator, Steps);

    public bool Equals(AdditionWork? other) =>
        other is not null && Problem == other.Problem && Result == other.Result && Steps.SequenceEqual(other.Steps);

    public override int GetHashCode() => HashCode.Combine(Problem, Result);
}
