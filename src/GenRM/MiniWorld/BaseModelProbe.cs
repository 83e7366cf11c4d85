using GenRM.Data;
using GenRM.Generation;
using GenRM.Judging;
using GenRM.Modeling;
using GenRM.Text;

namespace GenRM.MiniWorld;

/// <summary>Greedy exact-answer accuracy on sums of one digit count.</summary>
public sealed record SumAccuracy(int Digits, int Correct, int Total)
{
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;
}

/// <summary>
/// Measures what a MiniWorld base model can do before any method trains it (its
/// <see cref="BaseModelCard"/>), by batched generation: sums, single-answer verification, and
/// zero-shot judging of the world's pairs by the study's direct readout (both orders), with a written check (sampled as the study's
/// chain-of-thought judge samples), and after a hint. Every item is drawn from <c>seed</c>, so the
/// same model, seed and thread count give the same card.
/// </summary>
public sealed class BaseModelProbe(LanguageModel model, int batchSize = 64)
{
    // A worked 4-digit answer in its longest style is ~70 characters; a rationale ~150 (MiniWorldLengths).
    const int AnswerTokens = 96, RationaleTokens = 200;

    /// <summary>The study's rationale sampling (PAPER.md: temperature 1.0, top-p 0.95).</summary>
    const double SampleTemperature = 1.0, SampleTopP = 0.95;

    /// <summary>The seed of the world a committed model's card is measured on: apart from the study seeds (1, 2, 3, ...).</summary>
    public const long CardSeed = 9001;

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
            var replies = Greedy(prompts, AnswerTokens);
            results.Add(new SumAccuracy(digits, problems.Where((p, i) => LastNumber(replies[i]) == p.Answer).Count(), perDigits));
        }
        return results;
    }

    /// <summary>
    /// Measures the card on a world of <paramref name="world"/>'s parameters drawn from
    /// <paramref name="seed"/>: <paramref name="items"/> items (sums per digit count, pairs, samples) per measure.
    /// </summary>
    public BaseModelCard Card(string name, MiniWorldConfig world, int items, long seed, CancellationToken cancellation = default)
    {
        var measures = new List<CardMeasure>();
        foreach (var sums in Sums(world.MinDigits, world.ReasoningDigits, items, seed))
            measures.Add(new CardMeasure($"sums, {sums.Digits} digits (greedy, exact answer)", sums.Accuracy, sums.Total, Min: 0.95));
        cancellation.ThrowIfCancellationRequested();
        measures.Add(Verification(world, items, seed));
        cancellation.ThrowIfCancellationRequested();

        var splits = MiniWorldSplits.Generate(world, seed);
        var rng = new WorldRandom(seed).Fork("probe-pairs");
        // The pairs are the world's in-distribution training pairs, each shown in a seeded random order.
        var pairs = splits.Train.Select(p => (Pair: p, ChosenIsA: rng.Chance(0.5))).ToArray();
        var all = pairs.Take(items).ToArray();
        var tied = pairs.Where(p => p.Pair.CueOnChosen == p.Pair.CueOnRejected).Take(items).ToArray();

        var cot = Sample(all.Select(p => JudgePrompt(JudgeMode.ChainOfThought, p.Pair.Pair, p.ChosenIsA)).ToArray(), seed);
        var grades = all.Select((p, i) => Grade(p.Pair.Pair, p.ChosenIsA, cot[i])).ToArray();
        measures.Add(new CardMeasure("chain of thought writes the correct check of the sum (T = 1)", grades.Average(g => g.CheckCorrect ? 1.0 : 0), all.Length, Min: 0.30));
        measures.Add(new CardMeasure("chain of thought, verdict right (T = 1; against the truth)", grades.Average(g => g.VerdictCorrect ? 1.0 : 0), all.Length));
        cancellation.ThrowIfCancellationRequested();

        // Polish on both answers or neither: only correctness can explain these labels.
        if (tied.Length > 0)
        {
            var tiedVerdicts = Sample(tied.Select(p => JudgePrompt(JudgeMode.ChainOfThought, p.Pair.Pair, p.ChosenIsA)).ToArray(), seed + 1);
            measures.Add(new CardMeasure("chain of thought accuracy on style-tied pairs (T = 1; against the labels)",
                tied.Select((p, i) => Score(tiedVerdicts[i], p.ChosenIsA)).Average(), tied.Length, Min: 0.60, Max: 0.75));
        }
        cancellation.ThrowIfCancellationRequested();

        // The study's direct readout (P([[A]]) against P([[B]])), on both orders of every pair, so the
        // accuracy carries no noise from which answer happened to be drawn as A.
        var inOrder = DirectProbabilities(all.Select(p => (RationaleChecker.QuestionOf(p.Pair.Pair), p.Pair.Pair.Chosen, p.Pair.Pair.Rejected)));
        var swapped = DirectProbabilities(all.Select(p => (RationaleChecker.QuestionOf(p.Pair.Pair), p.Pair.Pair.Rejected, p.Pair.Pair.Chosen)));
        double[] saysA = [.. inOrder.Concat(swapped)];
        measures.Add(new CardMeasure("direct verdict accuracy (P([[A]]) vs P([[B]]), both orders; against the labels)",
            inOrder.Zip(swapped, (chosenAsA, chosenAsB) => (Decide(chosenAsA) + 1 - Decide(chosenAsB)) / 2).Average(), all.Length, Min: 0.45, Max: 0.60));
        measures.Add(new CardMeasure("says A (direct, both orders)", saysA.Average(Decide), saysA.Length, Min: 0.40, Max: 0.60));
        measures.Add(new CardMeasure("mean P([[A]]) (direct, both orders)", saysA.Average(), saysA.Length));
        measures.Add(PolishPreference(world, items, seed));
        cancellation.ThrowIfCancellationRequested();

        var hinted = Sample(all.Select(p => JudgePrompt(JudgeMode.Rationalizer, p.Pair.Pair, p.ChosenIsA)).ToArray(), seed + 2);
        var follows = all.Select((p, i) => (p.Pair.ChosenIsCorrect, Followed: Score(hinted[i], p.ChosenIsA))).ToArray();
        measures.Add(new CardMeasure("follows the hint (rationalizer prompt, T = 1)", follows.Average(f => f.Followed), all.Length, Min: 0.80));
        // The hint names the label, which is the wrong answer on mislabelled pairs: a judge that
        // checks instead of following the hint scores its checking accuracy on the first and the
        // complement on the second.
        foreach (bool right in new[] { true, false })
        {
            var part = follows.Where(f => f.ChosenIsCorrect == right).ToArray();
            if (part.Length > 0)
                measures.Add(new CardMeasure($"follows a hint naming the {(right ? "right" : "wrong")} answer", part.Average(f => f.Followed), part.Length));
        }
        return new BaseModelCard(name, model.ParameterCount, measures);
    }

    /// <summary>"Is this answer right?" on sums, half of the answers right: the share of replies whose last call (right or wrong) is correct.</summary>
    CardMeasure Verification(MiniWorldConfig world, int items, long seed)
    {
        var rng = new WorldRandom(seed).Fork("probe-verification");
        var cases = Enumerable.Range(0, items).Select(_ =>
        {
            var problem = AdditionProblem.Sample(rng, rng.Next(world.MinDigits, world.MaxDigits + 1));
            bool right = rng.Chance(0.5);
            var work = right ? problem.Work() : problem.Work(Mistake.Sample(rng, problem, Mistake.Subtle));
            string answer = ResponseStyle.Sample(rng, rng.Chance(0.5), rng.Chance(world.StepsRate)).Render(work);
            return (Prompt: Chat($"Is this answer right?\nQ: {Questions.Render(rng.Pick(Questions.InDistribution), problem)}\nAnswer: {answer}"), Right: right);
        }).ToArray();
        var replies = Greedy([.. cases.Select(c => c.Prompt)], RationaleTokens);
        double accuracy = cases.Select((c, i) => LastCall(replies[i]) == c.Right ? 1.0 : 0).Average();
        return new CardMeasure("single answer called right or wrong correctly (greedy)", accuracy, items, Min: 0.90);
    }

    /// <summary>
    /// Pairs of one answer written twice, plain and polished, in both orders: the share of direct
    /// verdicts (the study's readout) for the polished copy. Only the polish differs, so 0.5 is no style prior.
    /// </summary>
    CardMeasure PolishPreference(MiniWorldConfig world, int items, long seed)
    {
        var rng = new WorldRandom(seed).Fork("probe-polish");
        var pairs = new List<(string Question, string Polished, string Plain)>();
        for (int i = 0; i < (items + 1) / 2; i++)
        {
            var problem = AdditionProblem.Sample(rng, rng.Next(world.MinDigits, world.MaxDigits + 1));
            var work = rng.Chance(0.5) ? problem.Work() : problem.Work(Mistake.Sample(rng, problem, Mistake.Subtle));
            bool steps = rng.Chance(world.StepsRate);
            int variant = rng.Next(0, 6);
            pairs.Add((Questions.Render(rng.Pick(Questions.InDistribution), problem), new ResponseStyle(true, steps, variant).Render(work), new ResponseStyle(false, steps, variant).Render(work)));
        }
        var polishedAsA = DirectProbabilities(pairs.Select(p => (p.Question, p.Polished, p.Plain)));
        var polishedAsB = DirectProbabilities(pairs.Select(p => (p.Question, p.Plain, p.Polished)));
        double polishedChosen = polishedAsA.Select(Decide).Concat(polishedAsB.Select(p => 1 - Decide(p))).Average();
        return new CardMeasure("prefers the polished copy of the same answer (direct, both orders)", polishedChosen, 2 * pairs.Count, Min: 0.40, Max: 0.60);
    }

    /// <summary>1 when the readout says A, 0 when B, 0.5 on an exact tie.</summary>
    static double Decide(double probabilityA) => probabilityA > 0.5 ? 1 : probabilityA < 0.5 ? 0 : 0.5;

    /// <summary>The study's direct readout, P(A better) = p([[A]]) / (p([[A]]) + p([[B]])), for each (question, A, B).</summary>
    double[] DirectProbabilities(IEnumerable<(string Question, string A, string B)> items)
    {
        var source = new LocalCompletionSource(model, new ConversationEncoder(_tokenizer, _template), batchSize, model.Config.LongestSequence);
        IReadOnlyList<ChatMessage>[] prompts = [.. items.Select(i => (IReadOnlyList<ChatMessage>)MiniWorldJudgeFormat.Messages(JudgeMode.Direct, i.Question, i.A, i.B))];
        return [.. source.VerdictProbabilities(prompts, MiniWorldJudgeFormat.Completion(null, Verdict.A), MiniWorldJudgeFormat.Completion(null, Verdict.B))];
    }

    static RationaleGrade Grade(PreferencePair pair, bool chosenIsA, string reply) =>
        chosenIsA
            ? RationaleChecker.Grade(RationaleChecker.QuestionOf(pair), pair.Chosen, pair.Rejected, reply)
            : RationaleChecker.Grade(RationaleChecker.QuestionOf(pair), pair.Rejected, pair.Chosen, reply);

    /// <summary>RewardBench's rule: 1 for the labelled answer, 0 for the other, 0.5 for no verdict.</summary>
    static double Score(string reply, bool chosenIsA) => VerdictParser.Parse(reply) switch
    {
        Verdict.None => 0.5,
        var v => v == (chosenIsA ? Verdict.A : Verdict.B) ? 1 : 0,
    };

    /// <summary>The judge prompt for <paramref name="pair"/> with the chosen answer as A or B; the rationalizer's hint names the chosen answer.</summary>
    string JudgePrompt(JudgeMode mode, PreferencePair pair, bool chosenIsA)
    {
        var (a, b) = chosenIsA ? (pair.Chosen, pair.Rejected) : (pair.Rejected, pair.Chosen);
        Verdict? hint = mode == JudgeMode.Rationalizer ? (chosenIsA ? Verdict.A : Verdict.B) : null;
        return _template.Render(MiniWorldJudgeFormat.Messages(mode, RationaleChecker.QuestionOf(pair), a, b, hint), addGenerationPrompt: true);
    }

    string Chat(string question) => _template.Render([ChatMessage.User(question)], addGenerationPrompt: true);

    string[] Greedy(string[] prompts, int maxNewTokens) => Generate(prompts, new GenerationOptions { Temperature = 0, MaxNewTokens = maxNewTokens });

    string[] Sample(string[] prompts, long seed) =>
        Generate(prompts, new GenerationOptions { Temperature = SampleTemperature, TopP = SampleTopP, MaxNewTokens = RationaleTokens, Seed = seed });

    /// <summary>Replies in batches of similar prompt length (less padding), in the prompts' order.</summary>
    string[] Generate(string[] prompts, GenerationOptions options)
    {
        var generator = new TextGenerator(model, _tokenizer);
        var encoded = prompts.Select(p => _tokenizer.Encode(p)).ToArray();
        var replies = new string[prompts.Length];
        int chunkIndex = 0;
        foreach (var chunk in Enumerable.Range(0, prompts.Length).OrderBy(i => encoded[i].Length).Chunk(batchSize))
        {
            int longest = chunk.Max(i => encoded[i].Length);
            var chunkOptions = options with { MaxNewTokens = Math.Min(options.MaxNewTokens, model.Config.LongestSequence - longest), Seed = options.Seed + chunkIndex++ };
            var completions = generator.Generate(chunk.Select(i => encoded[i]).ToArray(), chunkOptions);
            for (int j = 0; j < chunk.Length; j++)
                replies[chunk[j]] = completions[j].Text;
        }
        return replies;
    }

    /// <summary>Whether the reply's last call is "right" (true), "wrong" (false), or neither (null).</summary>
    static bool? LastCall(string reply)
    {
        int right = reply.LastIndexOf("right", StringComparison.Ordinal), wrong = reply.LastIndexOf("wrong", StringComparison.Ordinal);
        return right < 0 && wrong < 0 ? null : right > wrong;
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
