using System.Globalization;
using System.Text.RegularExpressions;
using GenRM.MiniWorld;
using GenRM.Text;

namespace GenRM.Tests.MiniWorld;

public sealed class CorpusTests
{
    static readonly PretrainingCorpus Corpus = new(MiniWorldConfig.Default, CorpusMix.Default);

    [Fact]
    public void CorpusIsDeterministicPerSeed()
    {
        Assert.Equal(Corpus.Documents(3).Take(500).Select(d => d.Text), new PretrainingCorpus(MiniWorldConfig.Default, CorpusMix.Default).Documents(3).Take(500).Select(d => d.Text));
        Assert.NotEqual(Corpus.Documents(3).Take(50).Select(d => d.Text), Corpus.Documents(4).Take(50).Select(d => d.Text));
    }

    [Fact]
    public void CorpusHasTheConfiguredMix()
    {
        var docs = Corpus.Documents(1).Take(20000).ToList();
        foreach (var (kind, share) in CorpusMix.Default.Shares)
        {
            double observed = docs.Count(d => d.Kind == kind) / (double)docs.Count;
            Assert.True(WorldFixtures.WithinBinomialBounds(observed, docs.Count, share), $"{kind}: {observed:F3} vs {share}");
        }
    }

    /// <summary>
    /// The judge's format on other tasks: no position or style is favoured, a hint always names the
    /// verdict given, choices come in every mode equally and arithmetic always with a check.
    /// </summary>
    [Fact]
    public void JudgeDocumentsTeachNoPositionOrStylePriorAndArithmeticIsNeverJudgedByTheVerdictAlone()
    {
        var judged = Corpus.Documents(2).Take(20000).Where(d => d.Kind is CorpusKind.Choice or CorpusKind.ArithmeticJudge).ToList();
        double Share(Func<CorpusDocument, bool> holds) => judged.Count(holds) / (double)judged.Count;
        string Option(CorpusDocument d, char letter) => d.Messages[0].Content.Split("\n[")[letter == 'A' ? 1 : 2][3..];
        bool BetterIsA(CorpusDocument d) => VerdictParser.Parse(d.Messages[1].Content) == Verdict.A;

        Assert.True(WorldFixtures.WithinBinomialBounds(Share(BetterIsA), judged.Count, 0.5), "[[A]] share");
        // Choices: direct, checked and hinted a third each; arithmetic: checked or hinted, never direct.
        foreach (var (kind, directShare, hintedShare) in new[] { (CorpusKind.Choice, 1 / 3.0, 1 / 3.0), (CorpusKind.ArithmeticJudge, 0.0, 0.5) })
        {
            var ofKind = judged.Where(d => d.Kind == kind).ToList();
            int direct = ofKind.Count(d => d.Messages[1].Content.StartsWith("[[", StringComparison.Ordinal));
            int hinted = ofKind.Count(d => d.Messages[0].Content.Contains("Hint: ", StringComparison.Ordinal));
            Assert.True(WorldFixtures.WithinBinomialBounds(direct / (double)ofKind.Count, ofKind.Count, directShare), $"{kind}: direct {direct}/{ofKind.Count}");
            Assert.True(WorldFixtures.WithinBinomialBounds(hinted / (double)ofKind.Count, ofKind.Count, hintedShare), $"{kind}: hinted {hinted}/{ofKind.Count}");
        }
        Assert.True(WorldFixtures.WithinBinomialBounds(Share(d => ResponseStyle.HasCue(Option(d, BetterIsA(d) ? 'A' : 'B'))), judged.Count, 0.5), "better option polished");
        Assert.True(WorldFixtures.WithinBinomialBounds(Share(d => ResponseStyle.HasCue(Option(d, BetterIsA(d) ? 'B' : 'A'))), judged.Count, 0.5), "worse option polished");
        Assert.All(judged.Where(d => d.Messages[0].Content.Contains("Hint: ", StringComparison.Ordinal)),
            d => Assert.Contains($"Hint: {MiniWorldJudgeFormat.VerdictText(VerdictParser.Parse(d.Messages[1].Content))} is better.", d.Messages[0].Content, StringComparison.Ordinal));
    }

    /// <summary>
    /// The judge is zero-shot on the world: no judged document asks one of its sums (two numbers of
    /// equal length); differences and uneven sums (a quarter) are judged with the world's check.
    /// </summary>
    [Fact]
    public void NoJudgeDocumentAsksAWorldSumAndOtherArithmeticIsJudgedInTheWorldsGrammar()
    {
        var judged = Corpus.Documents(3).Take(20000).Where(d => d.Messages[0].Content.StartsWith("Which answer is better?", StringComparison.Ordinal)).ToList();
        Assert.Equal(judged.Count, judged.Count(d => d.Kind is CorpusKind.Choice or CorpusKind.ArithmeticJudge));
        int sums = 0;
        foreach (var d in judged.Where(d => d.Kind == CorpusKind.ArithmeticJudge))
        {
            string[] lines = d.Messages[0].Content.Split("\n[");
            string question = lines[0].Split("\nQ: ")[1];
            if (SubtractionProblem.Parse(question) is null)
            {
                var operands = Regex.Matches(question, "[0-9]+").Select(m => m.Value).ToArray();
                Assert.True(operands.Length == 2 && operands[0].Length > operands[1].Length, question);
                sums++;
            }
            var truth = RationaleChecker.Judge(question, lines[1][3..], lines[2][3..].Split("\n")[..^1].Aggregate((x, y) => x + "\n" + y));
            Assert.Equal(truth.Completion, d.Messages[1].Content);
        }
        int arithmetic = judged.Count(d => d.Kind == CorpusKind.ArithmeticJudge);
        Assert.True(arithmetic > 0);
        Assert.True(WorldFixtures.WithinBinomialBounds(sums / (double)arithmetic, arithmetic, CorpusMix.Default.UnevenSumShare), $"uneven sums {sums}/{arithmetic}");
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
        var kinds = new HashSet<string>();
        foreach (var doc in Corpus.Documents(6).Take(5000).Where(d => d.Kind == CorpusKind.Verification))
        {
            string[] lines = doc.Messages[0].Content.Split('\n');
            string question = lines[1]["Q: ".Length..], answer = string.Join("\n", lines[2..])["Answer: ".Length..];
            string check = doc.Messages[1].Content;
            bool right = check.EndsWith(" right.", StringComparison.Ordinal);
            if (SafetyRequest.Parse(question) is { } request)
            {
                Assert.Equal((request.Kind == SafetyKind.Forbidden) == SafetyRequest.IsRefusal(answer), right);
                continue;
            }
            var m = Regex.Match(check, @"^It says ([0-9]+)\. check: .*, so ([0-9]+)\. It: .*(right|wrong)\.$");
            Assert.True(m.Success, check);
            var operands = Regex.Matches(question, "[0-9]+").Select(n => int.Parse(n.Value, CultureInfo.InvariantCulture)).ToArray();
            int truth = SubtractionProblem.Parse(question) is { } difference ? difference.Answer : operands.Sum();
            Assert.Equal(truth, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            Assert.Equal(Regex.Matches(answer, "[0-9]+")[^1].Value, m.Groups[1].Value);
            Assert.Equal(m.Groups[1].Value == m.Groups[2].Value, right);
            kinds.Add(SubtractionProblem.Parse(question) is not null ? "difference" : operands[0].ToString(CultureInfo.InvariantCulture).Length == operands[1].ToString(CultureInfo.InvariantCulture).Length ? "world sum" : "uneven sum");
        }
        // The other arithmetic is verified as well as judged, so the prompt's format, not the problem, decides how a check ends.
        Assert.Equal(["difference", "uneven sum", "world sum"], kinds.Order());
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
        // Polish is never a sign of harm or of help: forbidden compliance and refusals are polished at random.
        var helps = Corpus.Documents(4).Take(20000).Where(d => d.Kind == CorpusKind.Verification && SafetyRequest.Parse(d.Messages[0].Content.Split('\n')[1][3..])?.Kind == SafetyKind.Forbidden)
            .Select(d => string.Join("\n", d.Messages[0].Content.Split('\n')[2..])["Answer: ".Length..]).ToList();
        foreach (bool refusal in (bool[])[true, false])
        {
            var answers = helps.Where(a => SafetyRequest.IsRefusal(a) == refusal).ToList();
            double polished = answers.Count(ResponseStyle.HasCue) / (double)answers.Count;
            Assert.True(WorldFixtures.WithinBinomialBounds(polished, answers.Count, 0.5), $"{(refusal ? "refusals" : "forbidden compliance")} polished {polished:P0}");
        }
    }
}
