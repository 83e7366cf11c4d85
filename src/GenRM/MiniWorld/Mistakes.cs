namespace GenRM.MiniWorld;

/// <summary>The mistakes the world's wrong answers make, all in one column of the working.</summary>
public enum MistakeKind
{
    /// <summary>The carry into the column is forgotten: "4+8=12" where "4+8+1=13" was due.</summary>
    DroppedCarry,

    /// <summary>A carry is added where none was due: "3+2+1=6" after a column below 10.</summary>
    ExtraCarry,

    /// <summary>A column's sum is off by one: "4+8+1=14".</summary>
    Slip,

    /// <summary>The leading column is off by 2 to 5, so the answer is visibly far off (easy pairs).</summary>
    Blunder,
}

/// <summary>A mistake at <paramref name="Column"/> (0 = ones); <paramref name="Delta"/> shifts the sum for a slip or blunder.</summary>
public sealed record Mistake(MistakeKind Kind, int Column, int Delta = 0)
{
    /// <summary>The subtle mistakes a careful reader only catches by recomputing.</summary>
    public static IReadOnlyList<MistakeKind> Subtle { get; } = [MistakeKind.DroppedCarry, MistakeKind.ExtraCarry, MistakeKind.Slip];

    /// <summary>The step as written by someone making this mistake (the column above sees its carry).</summary>
    public ColumnStep Apply(ColumnStep step) => Kind switch
    {
        MistakeKind.DroppedCarry => step with { CarryIn = false, Sum = step.Top + step.Bottom },
        MistakeKind.ExtraCarry => step with { CarryIn = true, Sum = step.Top + step.Bottom + 1 },
        _ => step with { Sum = step.Sum + Delta },
    };

    /// <summary>
    /// A mistake of one of <paramref name="kinds"/> that fits <paramref name="problem"/>: the kind
    /// first (uniform among those possible), then where it happens.
    /// </summary>
    public static Mistake Sample(WorldRandom rng, AdditionProblem problem, IReadOnlyList<MistakeKind> kinds)
    {
        var correct = problem.Work();
        var byKind = kinds.Select(kind => Candidates(kind, correct).ToList()).Where(c => c.Count > 0).ToList();
        if (byKind.Count == 0)
            throw new InvalidOperationException($"no mistake of kinds {string.Join(", ", kinds)} fits {problem.Expression}");
        return rng.Pick(rng.Pick(byKind));
    }

    static IEnumerable<Mistake> Candidates(MistakeKind kind, AdditionWork correct)
    {
        int leading = correct.Steps.Length - 1;
        for (int column = 0; column <= leading; column++)
        {
            var step = correct.Steps[column];
            // The ones column never has a carry in, so carry mistakes start one column up.
            if (kind == MistakeKind.DroppedCarry && step.CarryIn)
                yield return new Mistake(kind, column);
            if (kind == MistakeKind.ExtraCarry && column > 0 && !step.CarryIn)
                yield return new Mistake(kind, column);
            if (kind == MistakeKind.Slip)
                foreach (int delta in (int[])[-1, 1])
                    if (step.Sum + delta >= (column == leading ? 1 : 0))
                        yield return new Mistake(kind, column, delta);
        }
        if (kind == MistakeKind.Blunder)
            foreach (int delta in (int[])[-5, -4, -3, -2, 2, 3, 4, 5])
                if (correct.Steps[leading].Sum + delta >= 1)
                    yield return new Mistake(kind, leading, delta);
    }
}
