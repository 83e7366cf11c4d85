using GenRM.Data;
using GenRM.Evaluation;
using GenRM.Experiments;
using GenRM.Judging;
using GenRM.Text;

namespace GenRM.Tests.Experiments;

/// <summary>Accuracy by number of votes, from one judging run's sampled verdicts.</summary>
public sealed class MajorityVotingTests
{
    static JudgedPair Judged(string id, string subset, bool chosenShownAsA, params Verdict[] votes)
    {
        var pair = PreferencePair.FromUserPrompt(id, "q", "good", "bad", subset: subset);
        var judgement = new Judgement(0.5, GenerativeJudge.Majority(votes), Rationales: [.. votes.Select(v => v.ToString())], Votes: votes);
        return new JudgedPair(pair, chosenShownAsA, judgement, ItemOutcome.FromVerdict(pair, judgement.Verdict, chosenShownAsA));
    }

    [Fact]
    public void EachVoteCountTakesTheMajorityOfTheFirstVotesOnlyAndATieScoresHalf()
    {
        JudgedPair[] judged =
        [
            // chosen is A: the first vote is wrong, the majority of 3 right.
            Judged("1", "in-distribution", true, Verdict.B, Verdict.A, Verdict.A),
            // chosen is B: right alone, a tie (no verdict) after 2... and after 3 with an unparsable vote.
            Judged("2", "in-distribution", false, Verdict.B, Verdict.A, Verdict.None),
            Judged("3", "Chat", true, Verdict.A, Verdict.A, Verdict.B),
        ];

        var stats = MajorityVoting.Measure("zero-shot-cot", judged, [3, 1, 2]);

        Assert.Equal(
            [("in-distribution", 1, 0.5), ("in-distribution", 2, 0.5), ("in-distribution", 3, 0.75), ("Chat", 1, 1.0), ("Chat", 2, 1.0), ("Chat", 3, 1.0)],
            stats.Select(s => (s.Section, s.Votes, s.Accuracy)));
        // With all votes it is the judge's own verdict.
        Assert.Equal(judged.Where(j => j.Pair.Subset == "in-distribution").Average(j => j.Outcome.Score), stats[2].Accuracy);
        Assert.Equal(WilsonInterval.Compute(1.5, 2), stats[2].Ci95);
    }

    [Fact]
    public void MoreVotesThanSampledOrAJudgeWithoutVotesIsRefused()
    {
        JudgedPair[] judged = [Judged("1", "in-distribution", true, Verdict.A, Verdict.B)];
        var tooMany = Assert.Throws<ArgumentException>(() => MajorityVoting.Measure("m", judged, [1, 3]));
        Assert.Contains("1 to 2", tooMany.Message, StringComparison.Ordinal);

        var pair = PreferencePair.FromUserPrompt("x", "q", "a", "b");
        JudgedPair[] direct = [new(pair, true, Judgement.FromProbability(0.7), ItemOutcome.FromProbability(pair, 0.7, true))];
        Assert.Throws<ArgumentException>(() => MajorityVoting.Measure("zero-shot", direct, [1]));
    }
}
