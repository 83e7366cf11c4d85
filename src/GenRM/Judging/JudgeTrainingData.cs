using GenRM.Data;
using GenRM.Text;
using GenRM.Training;

namespace GenRM.Judging;

/// <summary>
/// Training sets of the non-bootstrapped methods, built from the same preference pairs. Pairwise
/// inputs (PairRM, GenRM) show each pair in both A/B orders, so a judge cannot learn a position
/// from the labels (and the base model's position prior is trained out, not around).
/// </summary>
public static class JudgeTrainingData
{
    /// <summary>Bradley-Terry: the prompt with the chosen and with the rejected response.</summary>
    public static IReadOnlyList<PreferenceExample> BradleyTerry(IEnumerable<PreferencePair> pairs, ConversationEncoder encoder) =>
        [.. pairs.Select(p =>
        {
            var (prompt, chosen, rejected) = encoder.Completions(p.Prompt, p.Chosen, p.Rejected);
            return new PreferenceExample(prompt, chosen, rejected, (float)(p.Margin ?? 0));
        })];

    /// <summary>PairRM: both responses in the direct judge prompt, in both orders; label 0 when A is the chosen one.</summary>
    public static IReadOnlyList<ClassificationExample> PairwiseClassifier(IEnumerable<PreferencePair> pairs, ConversationEncoder encoder, IJudgePromptFormat format) =>
        [.. BothOrders(pairs).Select(s =>
        {
            var item = new JudgeItem(s.Pair.Prompt, s.ResponseA, s.ResponseB);
            return new ClassificationExample(PairwiseClassifierJudge.Input(encoder, format, item), s.ChosenIsA ? 0 : 1);
        })];

    /// <summary>GenRM without reasoning: SFT of the verdict after the direct prompt, −log π(I | x, y1, y2), in both orders.</summary>
    public static IReadOnlyList<SftExample> Verdicts(IEnumerable<PreferencePair> pairs, ConversationEncoder encoder, IJudgePromptFormat format) =>
        [.. BothOrders(pairs).Select(s =>
        {
            var (prompt, verdict) = encoder.Completion(format.Direct(s.Pair.Prompt, s.ResponseA, s.ResponseB), format.Reply(null, s.ChosenIsA ? Verdict.A : Verdict.B));
            return new SftExample(prompt, verdict);
        })];

    /// <summary>Each pair with its chosen response as A, then as B.</summary>
    static IEnumerable<(PreferencePair Pair, string ResponseA, string ResponseB, bool ChosenIsA)> BothOrders(IEnumerable<PreferencePair> pairs) =>
        pairs.SelectMany(p => new[] { (p, p.Chosen, p.Rejected, true), (p, p.Rejected, p.Chosen, false) });
}
