using System.Collections.Immutable;
using System.Globalization;

namespace GenRM.MiniWorld;

/// <summary>
/// The corpus's other arithmetic: the difference of two numbers with the same number of digits,
/// whose result keeps that many digits, worked column by column with borrows ("13-8-1=4"). The
/// base model learns the judge's checking grammar on it, so judging this world's sums in that
/// grammar is a transfer the base model may or may not make: it never sees a sum judged.
/// </summary>
public sealed record SubtractionProblem(int Left, int Right)
{
    /// <summary>How users ask for a difference (the corpus only; no preference pair is about one).</summary>
    public static IReadOnlyList<string> Phrasings { get; } =
        ["What is {0}-{1}?", "Compute {0}-{1}.", "{0}-{1}=?", "Subtract {1} from {0}.", "How much is {0} minus {1}?", "I have {0} coins and spend {1}. How many now?"];

    public int Digits => Left.ToString(CultureInfo.InvariantCulture).Length;

    public int Answer => Left - Right;

    /// <summary>"632-285".</summary>
    public string Expression => $"{Left}-{Right}";

    /// <summary>The question in <paramref name="phrasing"/> (one of <see cref="Phrasings"/>).</summary>
    public string Question(string phrasing) => string.Format(CultureInfo.InvariantCulture, phrasing, Left, Right);

    /// <summary>Two numbers of <paramref name="digits"/> digits whose difference has <paramref name="digits"/> digits too.</summary>
    public static SubtractionProblem Sample(WorldRandom rng, int digits)
    {
        int low = (int)Math.Pow(10, digits - 1), high = low * 10;
        int right = rng.Next(low, high - low);
        return new SubtractionProblem(rng.Next(right + low, high), right);
    }

    /// <summary>The subtraction a question asks for, when it is one of <see cref="Phrasings"/>; otherwise null.</summary>
    public static SubtractionProblem? Parse(string question)
    {
        var numbers = Numbers.In(question);
        if (numbers.Count != 2 || numbers.Any(n => n is < 1 or > 999_999))
            return null;
        // "Subtract {1} from {0}" names the numbers in the other order.
        SubtractionProblem[] candidates = [new((int)numbers[0], (int)numbers[1]), new((int)numbers[1], (int)numbers[0])];
        return candidates.FirstOrDefault(c => Phrasings.Any(p => c.Question(p) == question));
    }

    /// <summary>The column-by-column working; <paramref name="mistake"/> (if any) is made at its column and the columns above follow from what was written.</summary>
    public SubtractionWork Work(SubtractionMistake? mistake = null)
    {
        var steps = ImmutableArray.CreateBuilder<SubtractionStep>(Digits);
        int borrow = 0, result = 0, place = 1;
        for (int column = 0; column < Digits; column++, place *= 10)
        {
            int top = Left / place % 10, bottom = Right / place % 10;
            bool borrowIn = borrow == 1;
            if (mistake?.Column == column && mistake.Kind is SubtractionMistakeKind.DroppedBorrow or SubtractionMistakeKind.ExtraBorrow)
                borrowIn = mistake.Kind == SubtractionMistakeKind.ExtraBorrow;
            int difference = top - bottom - (borrowIn ? 1 : 0);
            bool borrowOut = difference < 0;
            int digit = borrowOut ? difference + 10 : difference;
            if (mistake?.Column == column && mistake.Kind == SubtractionMistakeKind.Slip)
                digit += mistake.Delta;
            steps.Add(new SubtractionStep(top, bottom, borrowIn, borrowOut, digit));
            result += digit * place;
            borrow = borrowOut ? 1 : 0;
        }
        return new SubtractionWork(this, steps.MoveToImmutable(), result);
    }

    /// <summary>A subtle mistake that leaves the result a different number of the same digit count.</summary>
    public SubtractionMistake SampleMistake(WorldRandom rng)
    {
        var correct = Work();
        var candidates = new List<SubtractionMistake>();
        for (int column = 0; column < Digits; column++)
        {
            var step = correct.Steps[column];
            if (step.BorrowIn) candidates.Add(new SubtractionMistake(SubtractionMistakeKind.DroppedBorrow, column));
            else if (column > 0) candidates.Add(new SubtractionMistake(SubtractionMistakeKind.ExtraBorrow, column));
            foreach (int delta in (int[])[-1, 1])
                if (step.Digit + delta is >= 0 and <= 9)
                    candidates.Add(new SubtractionMistake(SubtractionMistakeKind.Slip, column, delta));
        }
        // A borrow out of the leading column would be no number at all.
        var fitting = candidates.Where(m => Work(m) is { Result: var r } work && r != Answer && r.ToString(CultureInfo.InvariantCulture).Length == Digits && !work.Steps[^1].BorrowOut).ToList();
        return rng.Pick(fitting);
    }
}

/// <summary>One column: "13-8-1=4" (the leading "1" is the borrow taken, the "-1" the borrow paid).</summary>
public sealed record SubtractionStep(int Top, int Bottom, bool BorrowIn, bool BorrowOut, int Digit)
{
    public override string ToString() => $"{(BorrowOut ? "1" : "")}{Top}-{Bottom}{(BorrowIn ? "-1" : "")}={Digit}";
}

/// <summary>The mistakes a subtraction makes: the addition mistakes' counterparts.</summary>
public enum SubtractionMistakeKind
{
    /// <summary>The borrow owed to a column is forgotten.</summary>
    DroppedBorrow,

    /// <summary>A borrow is paid where none was owed.</summary>
    ExtraBorrow,

    /// <summary>A column's digit is off by one.</summary>
    Slip,
}

/// <summary>A mistake at <paramref name="Column"/> (0 = ones).</summary>
public sealed record SubtractionMistake(SubtractionMistakeKind Kind, int Column, int Delta = 0);

/// <summary>A worked subtraction, right or wrong.</summary>
public sealed record SubtractionWork(SubtractionProblem Problem, ImmutableArray<SubtractionStep> Steps, int Result) : IWorkedArithmetic
{
    public string Expression => Problem.Expression;

    public string StepsText(string separator) => string.Join(separator, Steps);

    public bool Equals(SubtractionWork? other) =>
        other is not null && Problem == other.Problem && Result == other.Result && Steps.SequenceEqual(other.Steps);

    public override int GetHashCode() => HashCode.Combine(Problem, Result);
}
