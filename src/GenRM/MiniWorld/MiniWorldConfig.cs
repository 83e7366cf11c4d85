namespace GenRM.MiniWorld;

/// <summary>
/// Sizes and every parameter of MiniWorld. The parameters are set from the world's own logic (a
/// fair test of shortcut learning and of reasoning) and are the same for every method; only the
/// sizes differ between <see cref="Smoke"/> and <see cref="Default"/>.
/// </summary>
public sealed record MiniWorldConfig
{
    /// <summary>In-distribution training pairs (the STaR loop splits them into three parts).</summary>
    public int TrainPairs { get; init; } = 2000;

    /// <summary>In-distribution test pairs: 500 gives a 95 % interval of about ±3.5 points.</summary>
    public int TestPairs { get; init; } = 500;

    /// <summary>Pairs in each out-of-distribution section: 400 gives about ±4 points.</summary>
    public int ChatPairs { get; init; } = 400;

    public int ChatHardPairs { get; init; } = 400;

    public int ReasoningPairs { get; init; } = 400;

    public int SafetyPairs { get; init; } = 400;

    /// <summary>Fewest digits per operand in training pairs (and Chat's easy pairs).</summary>
    public int MinDigits { get; init; } = 2;

    /// <summary>Most digits per operand in training, test and Chat Hard pairs: 2-3 digits is what a tiny model learns in a minute.</summary>
    public int MaxDigits { get; init; } = 3;

    /// <summary>
    /// Digits per operand in the Reasoning section: one more than any preference pair, but inside
    /// the pretraining corpus, since a tiny model does not generalise to lengths it never saw.
    /// </summary>
    public int ReasoningDigits { get; init; } = 4;

    /// <summary>
    /// In distribution (and in Chat and Chat Hard's natural pairs), the chance that the right answer
    /// is polished. Each answer is polished independently, the right one twice as often as the wrong
    /// one (<see cref="WrongPolishRate"/>): polish is a real but partial shortcut, as fluent answers
    /// are more often good ones. With 0.6 and 0.3, 46 % of pairs are style-tied (both or neither
    /// polished), so only correctness can explain their labels.
    /// </summary>
    public double RightPolishRate { get; init; } = 0.6;

    /// <summary>The chance that the wrong answer is polished where <see cref="RightPolishRate"/> applies.</summary>
    public double WrongPolishRate { get; init; } = 0.3;

    /// <summary>
    /// Safety and Reasoning: each answer polished with this chance, whether right or wrong, so style
    /// neither helps nor hurts there (a style oracle scores 50 %).
    /// </summary>
    public double NeutralPolishRate { get; init; } = 0.5;

    /// <summary>Answers that write out their steps: half, and independent of correctness, so steps are no cue.</summary>
    public double StepsRate { get; init; } = 0.5;

    /// <summary>
    /// Annotators' log-odds for the right answer when style is equal: σ(1.5) = 81.8 %, a careful but
    /// imperfect rater on a checkable task.
    /// </summary>
    public double CorrectnessWeight { get; init; } = 1.5;

    /// <summary>
    /// Annotators' log-odds for the polished answer, added to the above: a little stronger than
    /// correctness, so a polished wrong answer beats a plain right one slightly more often than not
    /// (σ(−0.25) = 43.8 % for the right one), as raters prefer fluent wrong answers, while a polished
    /// right one wins 96.3 %. Labels then agree with the truth on 83.3 % of pairs and with a style
    /// oracle on 70.2 %, and the best judge of both reaches 84.8 %.
    /// </summary>
    public double StyleWeight { get; init; } = 1.75;

    /// <summary>
    /// Chat Hard pairs built to mislead (the rest are natural, in-distribution-like pairs): 60 %, as
    /// RewardBench's Chat Hard is mostly LLMBar's adversarial sets plus a natural part. A style
    /// oracle then scores 32 % there.
    /// </summary>
    public double ChatHardAdversarialShare { get; init; } = 0.6;

    /// <summary>
    /// Adversarial Chat Hard pairs where only the wrong answer is polished; in the others both are,
    /// so style cannot rescue a judge that does not check (it is a coin flip there).
    /// </summary>
    public double AdversarialWrongOnlyPolishShare { get; init; } = 0.8;

    /// <summary>
    /// Adversarial Chat Hard pairs whose wrong answer is a correct worked solution of a neighbouring
    /// sum (two adjacent digits of one operand swapped), not a slip: every step checks out, but it
    /// answers another question, as LLMBar's adversarial answers answer a nearby instruction.
    /// </summary>
    public double NeighbourSumShare { get; init; } = 0.5;

    /// <summary>Safety pairs whose request is forbidden (the rest are look-alikes), balanced as xstest is.</summary>
    public double ForbiddenShare { get; init; } = 0.5;

    /// <summary>The default world: 95 % intervals a few points wide, built in seconds.</summary>
    public static MiniWorldConfig Default { get; } = new();

    /// <summary>Tiny sizes for wiring tests; the world's parameters are the default ones.</summary>
    public static MiniWorldConfig Smoke { get; } = new()
    {
        TrainPairs = 48, TestPairs = 32, ChatPairs = 32, ChatHardPairs = 32, ReasoningPairs = 32, SafetyPairs = 32,
    };

    /// <summary>Throws <see cref="BadInputException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        foreach (var (name, value) in new[] { (nameof(TrainPairs), TrainPairs), (nameof(TestPairs), TestPairs), (nameof(ChatPairs), ChatPairs),
            (nameof(ChatHardPairs), ChatHardPairs), (nameof(ReasoningPairs), ReasoningPairs), (nameof(SafetyPairs), SafetyPairs) })
            Require(value >= 0, name, $"must not be negative (got {value})");
        Require(MinDigits >= 1 && MinDigits <= MaxDigits, nameof(MinDigits), $"must be 1 to {nameof(MaxDigits)} (got {MinDigits})");
        Require(ReasoningDigits > MaxDigits && ReasoningDigits <= 6, nameof(ReasoningDigits),
            $"must exceed {nameof(MaxDigits)} and be at most 6 (got {ReasoningDigits})");
        foreach (var (name, value) in new[] { (nameof(RightPolishRate), RightPolishRate), (nameof(WrongPolishRate), WrongPolishRate),
            (nameof(NeutralPolishRate), NeutralPolishRate), (nameof(ChatHardAdversarialShare), ChatHardAdversarialShare),
            (nameof(AdversarialWrongOnlyPolishShare), AdversarialWrongOnlyPolishShare), (nameof(NeighbourSumShare), NeighbourSumShare),
            (nameof(StepsRate), StepsRate), (nameof(ForbiddenShare), ForbiddenShare) })
            Require(value is >= 0 and <= 1, name, $"must be a probability (got {value})");
        Require(double.IsFinite(CorrectnessWeight) && CorrectnessWeight > 0, nameof(CorrectnessWeight), "must be positive");
        Require(double.IsFinite(StyleWeight) && StyleWeight >= 0, nameof(StyleWeight), "must not be negative");
    }

    static void Require(bool ok, string field, string problem)
    {
        if (!ok)
            throw new BadInputException($"MiniWorld config: {field} {problem}");
    }
}
