using GenRM.Bootstrapping;
using GenRM.Data;
using GenRM.Evaluation;
using GenRM.Judging;
using GenRM.MiniWorld;
using GenRM.Text;

namespace GenRM.Experiments;

/// <summary>
/// What MiniWorld knows about a judged pair or a sampled rationale that real data does not: where
/// the polish cue sits, and whether a rationale does the world's check (<see cref="RationaleChecker"/>).
/// </summary>
internal static class MiniWorldFacts
{
    /// <summary>
    /// <paramref name="record"/> with the cue on each answer and, for a pair judged by sampled
    /// rationales (any section: every MiniWorld pair has a check), how many of them contain the
    /// correct check for the order the judge saw.
    /// </summary>
    public static ItemRecord Add(ItemRecord record, JudgedPair judged)
    {
        var pair = judged.Pair;
        var withCue = record with { CueOnChosen = ResponseStyle.HasCue(pair.Chosen), CueOnRejected = ResponseStyle.HasCue(pair.Rejected) };
        if (judged.Judgement.Rationales is not { Count: > 0 } rationales)
            return withCue;
        return withCue with { Rationales = rationales.Count, RationalesWithCheck = rationales.Count(r => HasCheck(pair, judged.ChosenShownAsA, r)) };
    }

    /// <summary>Whether each pair's chosen answer is the right one, by id, as the world's checker reads it from the pair.</summary>
    public static IReadOnlyDictionary<string, bool> ChosenIsRight(IEnumerable<PreferencePair> pairs) =>
        pairs.ToDictionary(p => p.Id, p => RationaleChecker.Judge(p, chosenIsA: true).Verdict == Verdict.A, StringComparer.Ordinal);

    /// <summary>
    /// <paramref name="items"/> with whether each one's chosen answer is right (<see cref="ChosenIsRight"/>).
    /// Added when the report is made, so outcomes judged before the fact was kept get it too.
    /// </summary>
    public static IReadOnlyList<ItemRecord> WithTruth(IReadOnlyList<ItemRecord> items, IReadOnlyDictionary<string, bool> chosenIsRight) =>
        [.. items.Select(i => chosenIsRight.TryGetValue(i.Id, out bool right) ? i with { ChosenIsRight = right } : i)];

    /// <summary>Of a STaR iteration's rationales, how many (all, and kept) contain the correct check; the samples' items must be in <paramref name="pairs"/>.</summary>
    public static (int Sampled, int Kept) StarChecks(IEnumerable<RationaleSample> samples, IReadOnlyDictionary<string, PreferencePair> pairs)
    {
        int sampled = 0, kept = 0;
        foreach (var sample in samples)
        {
            // The label's verdict names the chosen answer's position as the sample's prompt showed it.
            if (!HasCheck(pairs[sample.ItemId], sample.Correct == Verdict.A, sample.Text)) continue;
            sampled++;
            if (sample.Kept) kept++;
        }
        return (sampled, kept);
    }

    static bool HasCheck(PreferencePair pair, bool chosenShownAsA, string rationale)
    {
        string question = RationaleChecker.QuestionOf(pair);
        return chosenShownAsA
            ? RationaleChecker.Grade(question, pair.Chosen, pair.Rejected, rationale).CheckCorrect
            : RationaleChecker.Grade(question, pair.Rejected, pair.Chosen, rationale).CheckCorrect;
    }
}
