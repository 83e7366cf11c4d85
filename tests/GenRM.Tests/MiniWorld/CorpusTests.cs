using System.Globalization;
using System.Text.RegularExpressions;
using GenRM.MiniWorld;
using GenRM.Text;

namespace GenRM.Tests.MiniWorld;

public sealed class CorpusTests
{
    static readonly PretrainingCorpus Corpus = new(MiniWorldConfig.Default);

    [Fact]
    public void CorpusIsDeterministicPerSeed()
    {
        Assert.Equal(Corpus.Documents(3).Take(500).Select(d => d.Text), new PretrainingCorpus(MiniWorldConfig.Default).Documents(3).Take(500).Select(d => d.Text));
        Assert.NotEqual(Corpus.Documents(3).Take(50).Select(d => d.Text), Corpus.Documents(4).Take(50).Select(d => d.Text));
    }

    [Fact]
    public void CorpusHasTheConfiguredMix()
    {
        var c = MiniWorldConfig.Default;
        var docs = Corpus.Documents(1).Take(20000).ToList();
        foreach (var (kind, share) in new[] { (CorpusKind.WorkedSolution, c.WorkedSolutionShare), (CorpusKind.Verification, c.VerificationShare),
            (CorpusKind.Chat, c.ChatShare), (CorpusKind.Choice, c.ChoiceShare) })
        {
            double observed = docs.Count(d => d.Kind == kind) / (double)docs.Count;
            Assert.True(WorldFixtures.WithinBinomialBounds(observed, docs.Count, share), $"{kind}: {observed:F3} vs {share}");
        }
    }

    [Fact]
    public void ChoiceVerdictsAreBalancedAndHalfCarryAWrittenCheck()
    {
        var choices = Corpus.Documents(2).Take(20000).Where(d => d.Kind == CorpusKind.Choice).Select(d => d.Messages[1].Content).ToList();
        double a = choices.Count(t => VerdictParser.Parse(t) == Verdict.A) / (double)choices.Count;
        double written = choices.Count(t => t.StartsWith("check: ", StringComparison.Ordinal)) / (double)choices.Count;
        Assert.True(WorldFixtures.WithinBinomialBounds(a, choices.Count, 0.5), $"[[A]] share {a:F3}");
        Assert.True(WorldFixtures.WithinBinomialBounds(written, choices.Count, 0.5), $"written share {written:F3}");
        Assert.Contains(choices, t => t.Contains("is larger", StringComparison.Ordinal));
        Assert.Contains(choices, t => t.Contains("sorted", StringComparison.Ordinal));
        Assert.Contains(choices, t => t.Contains(", right.", StringComparison.Ordinal));
    }

    [Fact]
    public void ChoiceChecksNameTheOptionTheyChoose()
    {
        var rng = new WorldRandom(9);
        for (int i = 0; i < 2000; i++)
        {
            var item = ChoiceTasks.Sample(rng, 2, 4);
            Assert.NotEqual(item.OptionA, item.OptionB);
            string better = item.Verdict == Verdict.A ? item.OptionA : item.OptionB, worse = item.Verdict == Verdict.A ? item.OptionB : item.OptionA;
            if (item.Question == "Which number is larger?")
                Assert.True(long.Parse(better, CultureInfo.InvariantCulture) > long.Parse(worse, CultureInfo.InvariantCulture), item.Check);
            else if (item.Question == "Which list is sorted?")
                Assert.Equal(better.Split(' ').Select(int.Parse).Order(), better.Split(' ').Select(int.Parse));
            else
                Assert.Contains($"'{better}'", item.Question, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void VerificationRecomputesTheTruthAndSaysRightExactlyWhenTheAnswerIsRight()
    {
        foreach (var doc in Corpus.Documents(6).Take(5000).Where(d => d.Kind == CorpusKind.Verification))
        {
            string[] lines = doc.Messages[0].Content.Split('\n');
            string question = lines[1]["Q: ".Length..], answer = string.Join("\n", lines[2..])["Answer: ".Length..];
            string check = doc.Messages[1].Content;
            bool right = check.EndsWith(", right.", StringComparison.Ordinal);
            if (SafetyRequest.Parse(question) is { } request)
            {
                Assert.Equal((request.Kind == SafetyKind.Forbidden) == SafetyRequest.IsRefusal(answer), right);
                continue;
            }
            var m = Regex.Match(check, @"so ([0-9]+)\. It says ([0-9]+), (right|wrong)\.$");
            Assert.True(m.Success, check);
            Assert.Equal(Regex.Matches(question, "[0-9]+").Sum(n => int.Parse(n.Value, CultureInfo.InvariantCulture)), int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            Assert.Equal(m.Groups[1].Value == m.Groups[2].Value, right);
        }
    }

    [Fact]
    public void CorpusCoversEveryDifficultyTheWorldUses()
    {
        var digits = Corpus.Documents(8).Take(3000).Where(d => d.Kind == CorpusKind.WorkedSolution)
            .Select(d => Regex.Match(d.Messages[0].Content, "[0-9]+").Length).ToHashSet();
        Assert.Equal(Enumerable.Range(MiniWorldConfig.Default.MinDigits, MiniWorldConfig.Default.ReasoningDigits - MiniWorldConfig.Default.MinDigits + 1), digits.Order());
    }

    [Fact]
    public void CorpusHasRefusalsAndLookAlikeAnswers()
    {
        var chat = Corpus.Documents(4).Take(3000).Where(d => d.Kind == CorpusKind.Chat).ToList();
        Assert.Contains(chat, d => SafetyRequest.Parse(d.Messages[0].Content)?.Kind == SafetyKind.Forbidden && SafetyRequest.IsRefusal(d.Messages[1].Content));
        Assert.Contains(chat, d => SafetyRequest.Parse(d.Messages[0].Content)?.Kind == SafetyKind.LookAlike && !SafetyRequest.IsRefusal(d.Messages[1].Content));
        Assert.DoesNotContain(chat, d => SafetyRequest.Parse(d.Messages[0].Content)?.Kind == SafetyKind.Forbidden && !SafetyRequest.IsRefusal(d.Messages[1].Content));
    }
}
