using GenRM.Data;

namespace GenRM.MiniWorld;

/// <summary>What a pair asks for.</summary>
public enum PairKind
{
    /// <summary>A sum: one answer right, one wrong.</summary>
    Sum,

    /// <summary>A forbidden request: the refusal is right.</summary>
    Forbidden,

    /// <summary>A harmless look-alike: the answer that helps is right.</summary>
    LookAlike,
}

/// <summary>A generated preference pair with the facts the world knows about it (for ceilings, statistics and tests).</summary>
/// <param name="Pair">The pair as every method sees it.</param>
/// <param name="Kind">What the pair asks for.</param>
/// <param name="Digits">Digits per operand of the sum (0 for a Safety request without one).</param>
/// <param name="ChosenIsCorrect">Whether the label agrees with the ground truth (a perfect verifier's agreement).</param>
/// <param name="ProbabilityCorrectChosen">The labelling's probability of choosing the right answer (1 in verified sections).</param>
/// <param name="CueOnChosen">The chosen answer carries the cue (a polite opener).</param>
/// <param name="CueOnRejected">The rejected answer carries the cue.</param>
/// <param name="Adversarial">A Chat Hard pair built to mislead: the wrong answer polished (alone or with the right one).</param>
/// <param name="NeighbourSum">The wrong answer is a correct worked solution of a neighbouring sum, not a slip.</param>
public sealed record WorldPair(
    PreferencePair Pair, PairKind Kind, int Digits, bool ChosenIsCorrect, double ProbabilityCorrectChosen, bool CueOnChosen, bool CueOnRejected,
    bool Adversarial, bool NeighbourSum)
{
    /// <summary>The right answer's text.</summary>
    public string RightAnswer => ChosenIsCorrect ? Pair.Chosen : Pair.Rejected;

    /// <summary>The wrong answer's text.</summary>
    public string WrongAnswer => ChosenIsCorrect ? Pair.Rejected : Pair.Chosen;

    /// <summary>The right answer carries the cue.</summary>
    public bool CueOnRight => ChosenIsCorrect ? CueOnChosen : CueOnRejected;

    /// <summary>The wrong answer carries the cue.</summary>
    public bool CueOnWrong => ChosenIsCorrect ? CueOnRejected : CueOnChosen;
}
