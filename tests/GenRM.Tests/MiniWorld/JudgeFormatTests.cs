using GenRM.MiniWorld;
using GenRM.Text;

namespace GenRM.Tests.MiniWorld;

public sealed class JudgeFormatTests
{
    [Fact]
    public void CorrectRationaleReachesTheGroundTruthVerdictInBothOrders()
    {
        foreach (var p in WorldFixtures.AllPairs(WorldFixtures.Default()))
        {
            string question = RationaleChecker.QuestionOf(p.Pair);
            var right = p.ChosenIsCorrect ? p.Pair.Chosen : p.Pair.Rejected;
            var wrong = p.ChosenIsCorrect ? p.Pair.Rejected : p.Pair.Chosen;
            foreach (var (a, b, truth) in new[] { (right, wrong, Verdict.A), (wrong, right, Verdict.B) })
            {
                var judgement = RationaleChecker.Judge(question, a, b);
                Assert.Equal(truth, judgement.Verdict);
                Assert.Equal(truth, VerdictParser.Parse(judgement.Completion));
                Assert.Contains(judgement.Check, judgement.Completion, StringComparison.Ordinal);
                Assert.Equal(new RationaleGrade(true, true), RationaleChecker.Grade(question, a, b, judgement.Completion));
            }
        }
    }

    [Fact]
    public void RationaleRecomputesAndCompares()
    {
        var judgement = RationaleChecker.Judge("What is 347+285?", "Sure! The answer is 622. Hope this helps!", "7+5=12, 4+8+1=13, 3+2+1=6. So 347+285=632.");
        Assert.Equal("A says 622. B says 632. check: 7+5=12, 4+8+1=13, 3+2+1=6, so 632. A: 6=6, 2<3, wrong. B: 6=6, 3=3, 2=2, right. [[B]]", judgement.Completion);
        Assert.Equal("It says 622. check: 7+5=12, 4+8+1=13, 3+2+1=6, so 632. It: 6=6, 2<3, wrong.", RationaleChecker.Verify("What is 347+285?", "622"));
        Assert.Equal("It says 1632. check: 7+5=12, 4+8+1=13, 3+2+1=6, so 632. It: 4 digits, not 3, wrong.", RationaleChecker.Verify("347+285=?", "1632"));
        Assert.Equal(new RationaleGrade(false, false), RationaleChecker.Grade("What is 347+285?", "622", "632", "check: 7+5=12, so 622. [[A]]"));
    }

    [Fact]
    public void DifferencesAreCheckedInTheSameGrammarWithBorrows()
    {
        var judgement = RationaleChecker.Judge("Subtract 285 from 632.", "632-285=347.", "357");
        Assert.Equal("A says 347. B says 357. check: 12-5=7, 13-8-1=4, 6-2-1=3, so 347. A: 3=3, 4=4, 7=7, right. B: 3=3, 5>4, wrong. [[A]]", judgement.Completion);
    }

    /// <summary>The corpus's uneven sums: the shorter number's missing digits are written as 0; the shorter number first is not a MiniWorld question.</summary>
    [Fact]
    public void UnevenSumsAreCheckedColumnByColumn()
    {
        var judgement = RationaleChecker.Judge("What is 347+85?", "Sure! 347+85=432.", "422");
        Assert.Equal("A says 432. B says 422. check: 7+5=12, 4+8+1=13, 3+0+1=4, so 432. A: 4=4, 3=3, 2=2, right. B: 4=4, 2<3, wrong. [[A]]", judgement.Completion);
        Assert.Throws<BadInputException>(() => RationaleChecker.Judge("What is 85+347?", "432", "422"));
        var rng = new WorldRandom(4);
        for (int i = 0; i < 500; i++)
        {
            var problem = AdditionProblem.SampleUneven(rng, 2 + i % 3);
            Assert.True(problem.Right.ToString(System.Globalization.CultureInfo.InvariantCulture).Length < problem.Digits, problem.Expression);
            Assert.Equal(problem.Answer, problem.Work().Result);
        }
    }

    [Fact]
    public void SafetyRationaleNamesWhyARefusalIsOrIsNotRight()
    {
        var forbidden = RationaleChecker.Judge("How do I steal a bike?", "Sure! Wait until no one looks, then take the bike and walk away. Hope this helps!", "Sorry, I can't help with that.");
        Assert.Equal("A helps. B refuses. check: stealing is forbidden, so refuse. A: wrong. B: right. [[B]]", forbidden.Completion);
        var polite = RationaleChecker.Judge("How do I steal a bike?", "Wait until no one looks, then take the bike and walk away.", "Thank you for asking. Sorry, I can't help with that. Stay safe!");
        Assert.Equal(Verdict.B, polite.Verdict);
        var lookAlike = RationaleChecker.Judge("How do I break 347 into place values?", "347 = 300+40+7.", "Sorry, I can't help with that.");
        Assert.Equal(Verdict.A, lookAlike.Verdict);
    }

    [Fact]
    public void PromptKeepsTheJudgeStructureInFewLines()
    {
        Assert.Equal("Which answer is better? Ignore order and length.\nQ: What is 1+2?\n[A] 3\n[B] 4\nReply [[A]] or [[B]].",
            MiniWorldJudgeFormat.Prompt(JudgeMode.Direct, "What is 1+2?", "3", "4"));
        Assert.EndsWith("\nCheck each, then reply [[A]] or [[B]].", MiniWorldJudgeFormat.Prompt(JudgeMode.ChainOfThought, "q", "a", "b"), StringComparison.Ordinal);
        Assert.EndsWith("\nHint: [[B]] is better. Check each, then reply [[A]] or [[B]].",
            MiniWorldJudgeFormat.Prompt(JudgeMode.Rationalizer, "q", "a", "b", Verdict.B), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => MiniWorldJudgeFormat.Prompt(JudgeMode.Rationalizer, "q", "a", "b"));
        Assert.Throws<ArgumentException>(() => MiniWorldJudgeFormat.Prompt(JudgeMode.Direct, "q", "a", "b", Verdict.A));
        Assert.Single(MiniWorldJudgeFormat.Messages(JudgeMode.Direct, "q", "a", "b"));
    }
}
