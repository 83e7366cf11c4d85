namespace GenRM.MiniWorld;

/// <summary>Measured facts about a set of pairs, for the description, the report and the tests.</summary>
/// <param name="Name">The section (or split) name.</param>
/// <param name="Count">Number of pairs.</param>
/// <param name="AgreementCeiling">Fraction whose label is the right answer: the accuracy of a perfect verifier.</param>
/// <param name="ExpectedAgreementCeiling">The same, expected from the labelling model (the mean probability of choosing the right answer).</param>
/// <param name="CueOnChosen">Fraction where the chosen answer carries the cue and the rejected one does not.</param>
/// <param name="CueOnRejected">Fraction where the rejected answer carries the cue and the chosen one does not.</param>
/// <param name="ShortcutAccuracy">Accuracy of a judge that prefers the cued answer and flips a coin on a tie.</param>
/// <param name="MeanDigits">Mean digits per operand over the pairs that hold a sum.</param>
public sealed record SectionStatistics(
    string Name, int Count, double AgreementCeiling, double ExpectedAgreementCeiling, double CueOnChosen, double CueOnRejected,
    double ShortcutAccuracy, double MeanDigits)
{
    public static SectionStatistics Of(string name, IReadOnlyCollection<WorldPair> pairs)
    {
        double Mean(Func<WorldPair, double> f) => pairs.Count == 0 ? 0 : pairs.Average(f);
        double cueOnChosen = Mean(p => p.CueOnChosen && !p.CueOnRejected ? 1 : 0);
        double cueOnRejected = Mean(p => p.CueOnRejected && !p.CueOnChosen ? 1 : 0);
        var sums = pairs.Where(p => p.Digits > 0).ToList();
        return new SectionStatistics(name, pairs.Count, Mean(p => p.ChosenIsCorrect ? 1 : 0), Mean(p => p.ProbabilityCorrectChosen),
            cueOnChosen, cueOnRejected, pairs.Count == 0 ? 0 : WorldCeilings.Realized(name, pairs).StyleOracle, sums.Count == 0 ? 0 : sums.Average(p => p.Digits));
    }
}
