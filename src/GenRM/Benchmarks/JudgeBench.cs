using GenRM.Data;
using GenRM.Experiments;
using GenRM.Judging;
using GenRM.Reporting;
using GenRM.Text;

namespace GenRM.Benchmarks;

/// <summary>Judging throughput in pairs per second: the reward-model judge, the direct prompted judge, and the chain-of-thought judge with k votes.</summary>
internal static class JudgeBench
{
    /// <summary>The three judges' pairs/s, and the shapes they judged (for the peer).</summary>
    public static (IReadOnlyList<BenchFigure> Figures, JudgeShapes Shapes) Run(BenchSetup setup, BenchConfig config, TextWriter? log)
    {
        var evaluation = new EvaluationSettings { Votes = config.CotVotes, BatchSize = config.StarBatchSize };
        var sampling = new StarSettings { MaxRationaleTokens = config.SampleTokens };
        int maxLength = MiniWorld.MiniWorldModel.ContextLength;
        IPreferenceJudge Judge(string method, Modeling.LanguageModel model) =>
            JudgeFactory.Create(method, model, setup.Encoder, setup.Format, evaluation, sampling, maxLength, config.Seed);

        using var rewardModel = setup.Model.WithRewardHead(1, config.Seed);
        var cases = new (string Key, IPreferenceJudge Judge, int Pairs, string Description)[]
        {
            ("judge_reward_model_pairs_per_s", Judge(StudyOrder.BradleyTerry, rewardModel), config.JudgePairs, "Bradley-Terry reward-model judge"),
            ("judge_direct_pairs_per_s", Judge(StudyOrder.ZeroShot, setup.Model), config.JudgePairs, "direct prompted judge (verdict probabilities)"),
            ($"judge_cot_k{config.CotVotes}_pairs_per_s", Judge(StudyOrder.ZeroShotCot, setup.Model), config.CotJudgePairs,
                $"chain-of-thought judge, k = {config.CotVotes}, up to {config.SampleTokens} tokens, stops at EOS"),
        };
        var figures = new List<BenchFigure>();
        IReadOnlyList<Judgement> rationales = [];
        foreach (var (key, judge, count, description) in cases)
        {
            var items = BenchSetup.Take(setup.EvaluationPairs, count).Select(p => new JudgeItem(p.Prompt, p.Chosen, p.Rejected)).ToArray();
            IReadOnlyList<Judgement> judged = [];
            double seconds = BenchTiming.Seconds(setup.Device, () => judged = judge.Judge(items));
            log?.WriteLine($"  {key}: {count / seconds:F1}");
            figures.Add(new BenchFigure(key, count / seconds, "pairs/s", description));
            rationales = judged;
        }
        return (figures, Shapes(setup, config, rationales));
    }

    // The last case is the chain-of-thought judge: its rationales give the tokens a vote took (its text and the EOS).
    static JudgeShapes Shapes(BenchSetup setup, BenchConfig config, IReadOnlyList<Judgement> cot)
    {
        var encoder = setup.Encoder;
        var pairs = BenchSetup.Take(setup.EvaluationPairs, config.JudgePairs);
        var rewardModel = JudgeTrainingData.BradleyTerry(pairs, encoder).Select(e => new[] { e.Prompt.Length + e.Chosen.Length, e.Prompt.Length + e.Rejected.Length }).ToArray();
        var direct = pairs.Select(p => encoder.Prompt(setup.Format.Direct(p.Prompt, p.Chosen, p.Rejected)).Length).ToArray();
        var first = pairs[0];
        int verdictTokens = encoder.Completion(setup.Format.Direct(first.Prompt, first.Chosen, first.Rejected), setup.Format.Reply(null, Verdict.A)).Completion.Length;
        var cotPrompts = BenchSetup.Take(setup.EvaluationPairs, config.CotJudgePairs).Select(setup.ChainOfThoughtPrompt).Select(p => p.Length).ToArray();
        var votes = cot.SelectMany(j => j.Rationales ?? []).ToArray();
        int newTokens = votes.Length == 0 ? config.SampleTokens : (int)Math.Round(votes.Average(r => encoder.Tokenizer.Encode(r).Length + 1.0));
        return new JudgeShapes(config.StarBatchSize, rewardModel, direct, verdictTokens, cotPrompts, config.CotVotes, Math.Min(newTokens, config.SampleTokens));
    }
}
