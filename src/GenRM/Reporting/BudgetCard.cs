namespace GenRM.Reporting;

/// <summary>
/// What training one method cost (MINIWORLD-AUDIT.md, 3.3): the comparison between methods is fair
/// only at similar budgets. All zero for judges that train nothing.
/// </summary>
/// <param name="Method">Method id.</param>
/// <param name="OptimizerSteps">Optimizer steps over every training run (every STaR iteration).</param>
/// <param name="Examples">Training examples processed, every epoch counted (pairs, verdicts, rationales or DPO pairs).</param>
/// <param name="Tokens">Real (unpadded) tokens read for those examples (a DPO pair's prompt once for both replies).</param>
/// <param name="TrainingSeconds">Wall seconds of training.</param>
/// <param name="SamplingSeconds">Wall seconds of STaR's rationale sampling and held-out judging (0 for other methods).</param>
public sealed record BudgetCard(string Method, int OptimizerSteps, long Examples, long Tokens, double TrainingSeconds, double SamplingSeconds)
{
    /// <summary>The card from a method's metrics rows (one per optimizer step, with <c>examples</c> and <c>tokens</c>) and its phase times.</summary>
    public static BudgetCard From(string method, IReadOnlyList<IReadOnlyDictionary<string, double>> metrics, double trainingSeconds, double samplingSeconds)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        long Sum(string key) => (long)metrics.Sum(row => row.GetValueOrDefault(key));
        return metrics.Count == 0
            ? new BudgetCard(method, 0, 0, 0, 0, samplingSeconds)
            : new BudgetCard(method, metrics.Count, Sum("examples"), Sum("tokens"), trainingSeconds, samplingSeconds);
    }
}
