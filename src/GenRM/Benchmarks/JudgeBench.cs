using GenRM.Experiments;
using GenRM.Judging;
using GenRM.Reporting;

namespace GenRM.Benchmarks;

/// <summary>Judging throughput in pairs per second: the reward-model judge, the direct prompted judge, and the chain-of-thought judge with k votes.</summary>
internal static class JudgeBench
{
    public static IEnumerable<BenchFigure> Run(BenchSetup setup, BenchConfig config, TextWriter? log)
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
        foreach (var (key, judge, count, description) in cases)
        {
            var items = BenchSetup.Take(setup.EvaluationPairs, count).Select(p => new JudgeItem(p.Prompt, p.Chosen, p.Rejected)).ToArray();
            double seconds = BenchTiming.Seconds(setup.Device, () => judge.Judge(items));
            log?.WriteLine($"  {key}: {count / seconds:F1}");
            yield return new BenchFigure(key, count / seconds, "pairs/s", description);
        }
    }
}
