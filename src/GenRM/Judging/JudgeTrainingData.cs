using GenRM.Data;
using GenRM.Evaluation;
using GenRM.Text;
using GenRM.Training;

namespace GenRM.Judging;

/// <summary>
/// Training sets of the non-bootstrapped methods, built from the same preference pairs. Pairwise
/// inputs (PairRM, GenRM) show each pair once, in the protocol's seeded A/B order, so every method
/// sees each human label exactly once.
/// </summary>
public static class JudgeTrainingData
{
    /// <summary>Bradley-Terry: the prompt with the chosen and with the rejected response.</summary>
    public static IReadOnlyList<PreferenceExample> BradleyTerry(IEnumerable<PreferencePair> pairs, ConversationEncoder encoder) =>
        [.. pairs.Select(p => new PreferenceExample(encoder.Prompt(p.Prompt), encoder.Response(p.Chosen), encoder.Response(p.Rejected), (float)(p.Margin ?? 0)))];

    /// <summary>PairRM: both responses in the direct judge prompt; label 0 when A is the chosen one.</summary>
    public static IReadOnlyList<ClassificationExample> PairwiseClassifier(IEnumerable<PreferencePair> pairs, ConversationEncoder encoder, IJudgePromptFormat format, int seed) =>
        [.. pairs.Select(p =>
        {
            var shown = AbOrder.Arrange(p, seed);
            var item = new JudgeItem(p.Prompt, shown.ResponseA, shown.ResponseB);
            return new ClassificationExample(PairwiseClassifierJudge.Input(encoder, format, item), shown.ChosenIsA ? 0 : 1);
        })];

    /// <summary>GenRM without reasoning: SFT of the verdict after the direct prompt, −log π(I | x, y1, y2).</summary>
    public static IReadOnlyList<SftExample> Verdicts(IEnumerable<PreferencePair> pairs, ConversationEncoder encoder, IJudgePromptFormat format, int seed) =>
        [.. pairs.Select(p =>
        {
            var shown = AbOrder.Arrange(p, seed);
            var prompt = encoder.Prompt(format.Direct(p.Prompt, shown.ResponseA, shown.ResponseB));
            return new SftExample(prompt, encoder.Response(format.Reply(null, shown.ChosenIsA ? Verdict.A : Verdict.B)));
        })];
}
