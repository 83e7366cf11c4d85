using GenRM.MiniWorld;

namespace GenRM.Tests.MiniWorld;

public sealed class TaskTests
{
    [Fact]
    public void CorrectWorkingShowsEachColumnWithItsCarry()
    {
        var work = new AdditionProblem(347, 285).Work();
        Assert.True(work.IsCorrect);
        Assert.Equal("7+5=12, 4+8+1=13, 3+2+1=6", work.StepsText(", "));
        Assert.Equal(632, work.Result);
    }

    [Theory]
    [InlineData(MistakeKind.DroppedCarry, 1, 0, "7+5=12, 4+8=12, 3+2+1=6", 622)]
    [InlineData(MistakeKind.Slip, 1, 1, "7+5=12, 4+8+1=14, 3+2+1=6", 642)]
    [InlineData(MistakeKind.Blunder, 2, 3, "7+5=12, 4+8+1=13, 3+2+1=9", 932)]
    public void MistakesAreConsistentWithTheirWrittenSteps(MistakeKind kind, int column, int delta, string steps, int result)
    {
        var work = new AdditionProblem(347, 285).Work(new Mistake(kind, column, delta));
        Assert.Equal(steps, work.StepsText(", "));
        Assert.Equal(result, work.Result);
        Assert.False(work.IsCorrect);
    }

    [Fact]
    public void EverySampledMistakeShiftsTheResultByItsColumn()
    {
        var rng = new WorldRandom(11);
        for (int i = 0; i < 3000; i++)
        {
            var problem = AdditionProblem.Sample(rng, rng.Next(2, 5));
            var mistake = Mistake.Sample(rng, problem, Enum.GetValues<MistakeKind>());
            var wrong = problem.Work(mistake);
            int shift = (wrong.Steps[mistake.Column].Sum - problem.Work().Steps[mistake.Column].Sum) * (int)Math.Pow(10, mistake.Column);
            Assert.NotEqual(0, shift);
            Assert.Equal(problem.Answer + shift, wrong.Result);
        }
    }

    [Fact]
    public void EveryStyleWritesTheResultLastAndOnlyPolishedAnswersCarryTheCue()
    {
        var work = new AdditionProblem(347, 285).Work(new Mistake(MistakeKind.DroppedCarry, 1));
        foreach (bool polished in new[] { true, false })
            foreach (bool steps in new[] { true, false })
                for (int variant = 0; variant < 6; variant++)
                {
                    string text = new ResponseStyle(polished, steps, variant).Render(work);
                    Assert.EndsWith("622", System.Text.RegularExpressions.Regex.Matches(text, "[0-9]+")[^1].Value, StringComparison.Ordinal);
                    Assert.Equal(polished, ResponseStyle.HasCue(text));
                    Assert.Equal(steps, text.Contains("4+8=12", StringComparison.Ordinal));
                }
    }
}
