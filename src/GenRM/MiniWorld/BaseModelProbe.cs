using GenRM.Data;
using GenRM.Generation;
using GenRM.Modeling;
using GenRM.Text;

namespace GenRM.MiniWorld;

/// <summary>Greedy exact-answer accuracy on sums of one digit count.</summary>
public sealed record SumAccuracy(int Digits, int Correct, int Total)
{
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;
}

/// <summary>
/// A zero-shot judge's behaviour on one section in one mode: how often its reply holds a verdict
/// (RewardBench's rule), how often the verdict names the chosen answer (an unreadable reply counts
/// as wrong), and how often it says A (0.5 for a judge with no position bias: the chosen answer is A
/// in half the prompts).
/// </summary>
public sealed record JudgeStatistics(string Section, JudgeMode Mode, int Pairs, int Parseable, int Correct, int SaysA)
{
    public double ParseableRate => Rate(Parseable);
    public double Accuracy => Rate(Correct);
    public double SaysARate => Rate(SaysA);

    double Rate(int count) => Pairs == 0 ? 0 : (double)count / Pairs;
}

/// <summary>
/// A quick look at what a base model can do, by greedy generation in batches: sums asked as the
/// world's chat questions, and zero-shot judging in the judge format.
/// </summary>
public sealed class BaseModelProbe(LanguageModel model, int batchSize = 64)
{
    // A worked 4-digit answer in its longest style is ~70 characters; a rationale ~150 (MiniWorldLengths).
    const int AnswerTokens = 96, DirectTokens = 12, RationaleTokens = 224;

    readonly MiniWorldTokenizer _tokenizer = new();
    readonly MiniWorldChatTemplate _template = new();

    /// <summary>
    /// Accuracy per digit count on <paramref name="perDigits"/> fresh sums of each count from
    /// <paramref name="minDigits"/> to <paramref name="maxDigits"/>, asked in every phrasing in turn;
    /// the last number of the reply is the answer.
    /// </summary>
    public IReadOnlyList<SumAccuracy> Sums(int minDigits, int maxDigits, int perDigits, long seed)
    {
        var rng = new WorldRandom(seed).Fork("probe-sums");
        var results = new List<SumAccuracy>();
        for (int digits = minDigits; digits <= maxDigits; digits++)
        {
            var problems = Enumerable.Range(0, perDigits).Select(_ => AdditionProblem.Sample(rng, digits)).ToArray();
            var prompts = problems.Select((p, i) => Chat(Questions.Render(Questions.All[i % Questions.All.Count], p))).ToArray();
            var replies = Generate(prompts, AnswerTokens);
            results.Add(new SumAccuracy(digits, problems.Where((p, i) => LastNumber(replies[i]) == p.Answer).Count(), perDigits));
        }
        return results;
    }

    /// <summary>Judges every pair once, the chosen answer as A in even positions and as B in odd ones.</summary>
    public JudgeStatistics Judge(string section, IReadOnlyList<PreferencePair> pairs, JudgeMode mode)
    {
        if (mode == JudgeMode.Rationalizer) throw new ArgumentException("a zero-shot judge gets no hint", nameof(mode));
        var prompts = pairs.Select((pair, i) => i % 2 == 0
            ? JudgePrompt(mode, pair, pair.Chosen, pair.Rejected)
            : JudgePrompt(mode, pair, pair.Rejected, pair.Chosen)).ToArray();
        var verdicts = Generate(prompts, mode == JudgeMode.Direct ? DirectTokens : RationaleTokens).Select(VerdictParser.Parse).ToArray();
        int correct = verdicts.Where((v, i) => v == (i % 2 == 0 ? Verdict.A : Verdict.B)).Count();
        return new JudgeStatistics(section, mode, pairs.Count, verdicts.Count(v => v != Verdict.None), correct, verdicts.Count(v => v == Verdict.A));
    }

    string JudgePrompt(JudgeMode mode, PreferencePair pair, string answerA, string answerB) =>
        _template.Render(MiniWorldJudgeFormat.Messages(mode, RationaleChecker.QuestionOf(pair), answerA, answerB), addGenerationPrompt: true);

    string Chat(string question) => _template.Render([ChatMessage.User(question)], addGenerationPrompt: true);

    /// <summary>Greedy replies in batches of similar prompt length (less padding), in the prompts' order.</summary>
    string[] Generate(string[] prompts, int maxNewTokens)
    {
        var generator = new TextGenerator(model, _tokenizer);
        var encoded = prompts.Select(_tokenizer.Encode).ToArray();
        var replies = new string[prompts.Length];
        foreach (var chunk in Enumerable.Range(0, prompts.Length).OrderBy(i => encoded[i].Length).Chunk(batchSize))
        {
            int longest = chunk.Max(i => encoded[i].Length);
            var options = new GenerationOptions { Temperature = 0, MaxNewTokens = Math.Min(maxNewTokens, model.Config.MaxPositionEmbeddings - longest) };
            var completions = generator.Generate(chunk.Select(i => encoded[i]).ToArray(), options);
            for (int j = 0; j < chunk.Length; j++)
                replies[chunk[j]] = completions[j].Text;
        }
        return replies;
    }

    /// <summary>The last run of digits in <paramref name="text"/> as a number, or null when there is none.</summary>
    static long? LastNumber(string text)
    {
        int end = text.Length;
        while (end > 0 && !char.IsAsciiDigit(text[end - 1])) end--;
        int start = end;
        while (start > 0 && char.IsAsciiDigit(text[start - 1])) start--;
        return end > start && end - start <= 18 ? long.Parse(text.AsSpan(start, end - start), System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
