using GenRM.MiniWorld;

namespace GenRM.Tests.MiniWorld;

/// <summary>The corpus's other arithmetic: column subtraction with borrows, and its subtle mistakes.</summary>
public sealed class SubtractionTests
{
    [Fact]
    public void WorkingArrivesAtTheDifferenceAndWritesBorrows()
    {
        var work = new SubtractionProblem(632, 285).Work();
        Assert.Equal(347, work.Result);
        Assert.Equal("12-5=7, 13-8-1=4, 6-2-1=3", work.StepsText(", "));
        Assert.Equal("909-780", new SubtractionProblem(909, 780).Work().Expression);
        Assert.Equal("9-0=9, 10-8=2, 9-7-1=1", new SubtractionProblem(909, 780).Work().StepsText(", "));
    }

    [Fact]
    public void SampledProblemsAndMistakesKeepTheirDigitCount()
    {
        var rng = new WorldRandom(3);
        for (int i = 0; i < 3000; i++)
        {
            int digits = 2 + i % 3;
            var problem = SubtractionProblem.Sample(rng, digits);
            Assert.Equal(digits, problem.Digits);
            Assert.Equal(problem.Left - problem.Right, problem.Work().Result);
            Assert.Equal(digits, problem.Answer.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
            var wrong = problem.Work(problem.SampleMistake(rng));
            Assert.NotEqual(problem.Answer, wrong.Result);
            Assert.Equal(digits, wrong.Result.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        }
    }

    [Fact]
    public void EveryPhrasingParsesBackToItsProblemAndSumsDoNot()
    {
        var problem = new SubtractionProblem(8956, 3503);
        foreach (string phrasing in SubtractionProblem.Phrasings)
            Assert.Equal(problem, SubtractionProblem.Parse(problem.Question(phrasing)));
        Assert.Null(SubtractionProblem.Parse("What is 8956+3503?"));
        Assert.Null(SubtractionProblem.Parse("How do I steal a bike?"));
    }
}
